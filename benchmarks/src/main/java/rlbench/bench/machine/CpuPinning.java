package rlbench.bench.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code run --cpus LIST}: the CPUs every benchmark JVM is pinned to, checked before anything
 * runs, and the launch script that pins them. JMH starts each fork with the script in place of
 * {@code java}; the script execs {@code taskset -c LIST java ...}, so the fork and every thread it
 * starts run on those CPUs only. The launcher itself is not pinned.
 */
public final class CpuPinning {

    private final CpuList cpus;
    private final Path taskset;

    private CpuPinning(CpuList cpus, Path taskset) {
        this.cpus = cpus;
        this.taskset = taskset;
    }

    /**
     * Checks {@code list} against the machine {@code probe} reads: the syntax, then that every
     * CPU exists, is online and is one this process may use (its affinity and cgroup cpuset),
     * then that {@code taskset} is on the PATH and pins to the list.
     *
     * @throws IllegalArgumentException with one line starting {@code --cpus}
     */
    public static CpuPinning check(String list, MachineProbe probe) {
        CpuList cpus;
        try {
            cpus = CpuList.parse(list);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cpus: " + e.getMessage());
        }
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("--cpus is empty; give CPUs such as --cpus 2-3, or leave it out");
        }
        CpuList present = probe.presentCpus();
        CpuList online = probe.onlineCpus();
        CpuList allowed = probe.allowedCpus();
        if (online == null || allowed == null) {
            throw new IllegalArgumentException("--cpus needs Linux: " + probe.root().resolve("sys/devices/system/cpu/online")
                    + " or " + probe.root().resolve("proc/self/status") + " cannot be read");
        }
        CpuList missing = present == null ? CpuList.empty() : cpus.minus(present).minus(online);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("--cpus " + list + ": " + name(missing) + (missing.size() == 1 ? " does" : " do")
                    + " not exist on this machine (its CPUs are " + (present.isEmpty() ? online : present) + ")");
        }
        CpuList offline = cpus.minus(online);
        if (!offline.isEmpty()) {
            throw new IllegalArgumentException("--cpus " + list + ": " + name(offline) + (offline.size() == 1 ? " is" : " are")
                    + " offline (online: " + online + ")");
        }
        CpuList forbidden = cpus.minus(allowed);
        if (!forbidden.isEmpty()) {
            throw new IllegalArgumentException("--cpus " + list + ": this process may not run on " + name(forbidden)
                    + "; its affinity or cgroup cpuset allows " + allowed);
        }
        Path taskset = probe.onPath("taskset");
        if (taskset == null) {
            throw new IllegalArgumentException("--cpus needs taskset on the PATH to pin the benchmark JVMs; install util-linux");
        }
        CpuPinning p = new CpuPinning(cpus, taskset);
        p.tryOnce();
        return p;
    }

    private static String name(CpuList c) {
        return (c.size() == 1 ? "CPU " : "CPUs ") + c;
    }

    public CpuList cpus() {
        return cpus;
    }

    /** {@code taskset -c LIST true}: what would pin a fork, tried on a process that does nothing. */
    private void tryOnce() {
        List<String> cmd = List.of(taskset.toString(), "-c", cpus.toString(), "true");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("--cpus: " + String.join(" ", cmd) + " did not finish in 30 s");
            }
            if (p.exitValue() != 0) {
                String why = out.lines().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("exit code " + p.exitValue());
                throw new IllegalArgumentException("--cpus " + cpus + ": " + String.join(" ", cmd) + " fails: " + why);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--cpus: cannot start " + taskset + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("--cpus: interrupted while trying taskset");
        }
    }

    /**
     * Writes the script that JMH starts in place of {@code java}: it execs {@code taskset -c
     * LIST <this JVM's java> "$@"}. It lives in a temporary folder removed when this JVM exits, so
     * the run folder holds only results.
     *
     * @throws IllegalArgumentException with one line when the temporary folder cannot be written
     */
    public Path launchScript() {
        try {
            return writeLaunchScript();
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("--cpus: cannot write the script that pins the forks to the temporary folder: "
                    + e.getMessage());
        }
    }

    private Path writeLaunchScript() throws IOException {
        Path dir = Files.createTempDirectory("rlbench-cpus-");
        dir.toFile().deleteOnExit();
        Path script = dir.resolve("java");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.writeString(script, "#!/bin/sh\n# rlbench run --cpus " + cpus + ": each benchmark JVM starts pinned to these CPUs.\n"
                + "exec " + quote(taskset.toString()) + " -c " + cpus + " " + quote(java.toString()) + " \"$@\"\n",
                StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        script.toFile().deleteOnExit();
        return script;
    }

    /** A word for sh: single-quoted, a quote inside written as {@code '\''}. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
