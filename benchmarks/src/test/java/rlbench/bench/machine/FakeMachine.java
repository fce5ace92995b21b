package rlbench.bench.machine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A hand-made {@code /sys} and {@code /proc} tree for {@link MachineProbe}: {@link #tuned} is an
 * eight-CPU box set up as the doctor advises, {@link #untuned} one left as most boxes are.
 */
public final class FakeMachine {

    public final Path root;

    private FakeMachine(Path root) {
        this.root = root;
    }

    /**
     * Eight CPUs, two threads per core (0 and 4 share a core, 1 and 5, ...); performance
     * governor; intel_pstate with turbo off; THP madvise; CPUs 2-3 isolated and tickless; one NUMA
     * node; tsc; load 0.05; taskset on the PATH; this process may use every CPU.
     */
    public static FakeMachine tuned(Path dir) {
        FakeMachine m = new FakeMachine(dir);
        m.write("sys/devices/system/cpu/online", "0-7\n");
        m.write("sys/devices/system/cpu/present", "0-7\n");
        m.write("sys/devices/system/cpu/possible", "0-7\n");
        for (int cpu = 0; cpu < 8; cpu++) {
            m.write("sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor", "performance\n");
            m.write("sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_driver", "intel_pstate\n");
            m.write("sys/devices/system/cpu/cpu" + cpu + "/topology/thread_siblings_list", (cpu % 4) + "," + (cpu % 4 + 4) + "\n");
        }
        m.write("sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
        m.write("sys/devices/system/cpu/smt/active", "1\n");
        m.write("sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never\n");
        m.write("sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise [madvise] never\n");
        m.write("sys/devices/system/cpu/isolated", "2-3\n");
        m.write("sys/devices/system/cpu/nohz_full", "2-3\n");
        m.write("sys/devices/system/node/online", "0\n");
        m.write("sys/devices/system/node/node0/cpulist", "0-7\n");
        m.write("sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n");
        m.write("sys/devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet acpi_pm \n");
        m.write("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 isolcpus=2-3 nohz_full=2-3 rcu_nocbs=2-3\n");
        m.write("proc/loadavg", "0.05 0.10 0.20 1/300 4242\n");
        m.write("proc/self/status", "Name:\tjava\nCpus_allowed:\tff\nCpus_allowed_list:\t0-7\nMems_allowed_list:\t0\n");
        m.taskset("exit 0");
        return m;
    }

    /**
     * The same eight CPUs left as they come: powersave on CPUs 0-3 and schedutil on 4-7,
     * acpi-cpufreq with boost on, SMT on, THP always with defrag always, nothing isolated,
     * {@code nohz_full} reading {@code (null)} as the kernel writes it when not asked, two NUMA
     * nodes, hpet, load 3.5.
     */
    public static FakeMachine untuned(Path dir) {
        FakeMachine m = tuned(dir);
        for (int cpu = 0; cpu < 8; cpu++) {
            m.write("sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor", cpu < 4 ? "powersave\n" : "schedutil\n");
            m.write("sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_driver", "acpi-cpufreq\n");
        }
        m.remove("sys/devices/system/cpu/intel_pstate/no_turbo");
        m.write("sys/devices/system/cpu/cpufreq/boost", "1\n");
        m.write("sys/kernel/mm/transparent_hugepage/enabled", "[always] madvise never\n");
        m.write("sys/kernel/mm/transparent_hugepage/defrag", "[always] defer defer+madvise madvise never\n");
        m.write("sys/devices/system/cpu/isolated", "\n");
        m.write("sys/devices/system/cpu/nohz_full", " (null)\n");
        m.write("sys/devices/system/node/online", "0-1\n");
        m.write("sys/devices/system/node/node0/cpulist", "0-1,4-5\n");
        m.write("sys/devices/system/node/node1/cpulist", "2-3,6-7\n");
        m.write("sys/devices/system/clocksource/clocksource0/current_clocksource", "hpet\n");
        m.write("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet\n");
        m.write("proc/loadavg", "3.50 2.00 1.00 2/300 4242\n");
        return m;
    }

    /** An empty tree: a machine that exposes nothing. */
    public static FakeMachine bare(Path dir) {
        try {
            return new FakeMachine(Files.createDirectories(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeMachine write(String file, String content) {
        try {
            Path p = root.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public FakeMachine remove(String file) {
        try {
            Files.deleteIfExists(root.resolve(file));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts a {@code taskset} with this shell body in the first folder of the PATH, under the root. */
    public FakeMachine taskset(String body) {
        Path p = tasksetPath();
        write(root.relativize(p).toString(), "#!/bin/sh\n" + body + "\n");
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Takes {@code taskset} off the PATH. */
    public FakeMachine noTaskset() {
        return remove(root.relativize(tasksetPath()).toString());
    }

    private Path tasksetPath() {
        String first = System.getenv("PATH").split(":")[0];
        return root.resolve(first.replaceFirst("^/+", "")).resolve("taskset");
    }

    public MachineProbe probe() {
        return new MachineProbe(root);
    }
}
