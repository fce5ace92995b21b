package rlbench.bench.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Judges machine settings for benchmarking, each as ok, warn (with why it matters and how to fix
 * it) or not exposed, after pyperf's {@code system show}: the performance governor, boost off, SMT
 * off or one thread per core with the siblings idle, transparent huge pages madvise or never,
 * isolated and tickless CPUs for the benchmark, one NUMA node, the tsc clocksource, a quiet
 * machine. The settings may be this machine's, read now, or a run's, read back from its env.json:
 * the judgement uses only what the settings hold, so a report lists the warnings of the machine
 * the run ran on, not of the one reading it.
 */
public final class Doctor {

    /** A 1-minute load average at or above this, a whole CPU's worth of other work, is a warning. */
    static final double LOAD_LIMIT = 1.0;

    private static final String CPU = "/sys/devices/system/cpu/";
    private static final String SMT_OFF = "`echo off | sudo tee " + CPU + "smt/control`";

    private Doctor() {
    }

    /** Every setting's finding, in a fixed order: pinning, then the CPU clock, topology, memory, timing, load. */
    public static List<Finding> examine(MachineSettings s) {
        CpuList online = parse(s.onlineCpus());
        CpuList pinned = parse(s.pinnedCpus());
        List<Finding> f = new ArrayList<>();
        f.add(pinning(pinned, online));
        f.add(governor(s, pinned));
        f.add(boost(s));
        f.add(smt(s, pinned));
        f.add(thp(s));
        f.add(thpDefrag(s));
        f.add(isolated(s.isolatedCpus(), pinned, online));
        f.add(nohzFull(s.nohzFullCpus(), pinned, online));
        f.add(numa(s.numaNodes(), pinned));
        f.add(clocksource(s));
        f.add(load(s.loadAverage()));
        f.add(s.cmdline() == null ? Finding.notExposed("Kernel command line", "no /proc/cmdline")
                : Finding.ok("Kernel command line", s.cmdline()));
        return f;
    }

    /**
     * The report's caveats for a run: one bullet per warning of the settings in its env.json
     * ({@code machineJson}, the parsed {@code "machine"} value), none when the run recorded none.
     *
     * @throws IllegalArgumentException with one line when the recorded settings are malformed
     */
    public static List<String> caveats(Object machineJson) {
        if (machineJson == null) {
            return List.of();
        }
        return examine(MachineSettings.fromJson(machineJson)).stream()
                .filter(x -> x.verdict() == Finding.Verdict.WARN).map(Finding::caveat).toList();
    }

    private static Finding pinning(CpuList pinned, CpuList online) {
        String name = "CPU pinning";
        if (pinned != null) {
            return Finding.ok(name, "--cpus " + pinned + " (taskset)");
        }
        if (online != null && online.size() <= 1) {
            return Finding.ok(name, "not pinned, on a machine with one CPU");
        }
        return Finding.warn(name, "not pinned" + (online == null ? "" : ": the benchmark JVMs may run on any of CPUs " + online),
                "The scheduler moves benchmark threads between CPUs, and each move restarts them on cold caches.",
                "pin with `--cpus LIST`, best to isolated CPUs, one thread per core, on one NUMA node; "
                        + "`./rlbench doctor --cpus LIST` judges a choice.");
    }

    private static Finding governor(MachineSettings s, CpuList pinned) {
        String name = "CPU governor";
        Map<String, String> g = s.governors();
        if (g == null || g.isEmpty()) {
            return Finding.notExposed(name, "no " + CPU + "cpu*/cpufreq/scaling_governor (VMs and containers often hide it)");
        }
        String value = g.entrySet().stream().map(e -> e.getKey() + " on " + e.getValue()).collect(Collectors.joining("; "))
                + (s.scalingDriver() == null ? "" : " (driver " + s.scalingDriver()
                + (s.amdPstate() == null ? "" : ", amd_pstate " + s.amdPstate()) + ")");
        CpuList slow = CpuList.empty();
        for (Map.Entry<String, String> e : g.entrySet()) {
            CpuList cpus = parse(e.getValue());
            if (!e.getKey().equals("performance")) {
                slow = slow.or(pinned == null ? cpus : cpus.and(pinned));
            }
        }
        if (slow.isEmpty()) {
            return Finding.ok(name, value);
        }
        return Finding.warn(name, value,
                "A governor other than performance lowers the clock of an idle CPU and raises it again under load, so a "
                        + "benchmark that waits (for a lock, for the device) runs partly at a lower clock, by an amount that "
                        + "varies between runs" + (pinned == null ? "." : "; --cpus " + pinned + " includes CPUs " + slow + "."),
                "`sudo cpupower frequency-set -g performance`, or write `performance` to " + CPU + "cpu*/cpufreq/scaling_governor.");
    }

    private static Finding boost(MachineSettings s) {
        String name = "Boost / turbo";
        if (s.boost() == null) {
            return Finding.notExposed(name, "no " + CPU + "intel_pstate/no_turbo or cpufreq boost file (VMs often hide it)");
        }
        String value = (s.boost() ? "on" : "off") + (s.boostSource() == null ? "" : " (" + s.boostSource() + ")");
        if (!s.boost()) {
            return Finding.ok(name, value);
        }
        String source = s.boostSource() == null ? "" : s.boostSource();
        String fix;
        if (source.endsWith("no_turbo")) {
            fix = "`echo 1 | sudo tee " + CPU + "intel_pstate/no_turbo`.";
        } else if (source.endsWith("boost")) {
            fix = "`echo 0 | sudo tee " + source + "`.";
        } else {
            fix = "turn turbo or boost off in the firmware setup.";
        }
        return Finding.warn(name, value,
                "The clock rises above its base while the package is cool and few cores are busy, so the same code runs "
                        + "faster or slower with the machine's temperature and with what the other cores do.",
                fix);
    }

    private static Finding smt(MachineSettings s, CpuList pinned) {
        String name = "SMT";
        if (s.smtActive() == null) {
            return Finding.notExposed(name, "no " + CPU + "smt/active or cpu*/topology/thread_siblings_list");
        }
        if (!s.smtActive()) {
            return Finding.ok(name, "inactive: one thread per core");
        }
        List<String> groups = s.smtSiblings() == null ? List.of() : s.smtSiblings();
        String some = groups.stream().limit(4).collect(Collectors.joining(" ")) + (groups.size() > 4 ? " ..." : "");
        if (pinned != null && s.smtSiblings() != null) {
            List<String> shared = new ArrayList<>();
            CpuList idle = CpuList.empty();
            for (String grp : groups) {
                CpuList core = parse(grp);
                CpuList used = core.and(pinned);
                if (used.size() > 1) {
                    shared.add(used.toString());
                } else if (!used.isEmpty()) {
                    idle = idle.or(core.minus(pinned));
                }
            }
            if (shared.isEmpty()) {
                return Finding.ok(name, "active; --cpus " + pinned + " uses one thread per core"
                        + (idle.isEmpty() ? "" : " (keep their siblings " + idle + " idle)"));
            }
            return Finding.warn(name, "active; --cpus " + pinned + " holds threads of one core: " + String.join(" ", shared),
                    "Two benchmark threads on one core share its execution units and caches, so each slows the other by "
                            + "an amount that depends on what both do.",
                    "pin to one thread per core (these share a core: " + some + "), or turn SMT off: " + SMT_OFF + ".");
        }
        return Finding.warn(name, "active" + (some.isEmpty() ? "" : " (threads of one core: " + some + ")"),
                "Two threads of one core share its execution units and caches, so a benchmark thread runs slower whenever "
                        + "the scheduler puts other work, or another benchmark thread, on its sibling.",
                SMT_OFF + ", or pin with `--cpus` to one thread per core and leave the siblings idle.");
    }

    private static Finding thp(MachineSettings s) {
        String name = "Transparent huge pages";
        if (s.thp() == null) {
            return Finding.notExposed(name, "no /sys/kernel/mm/transparent_hugepage/enabled");
        }
        if (!s.thp().equals("always")) {
            return Finding.ok(name, s.thp());
        }
        return Finding.warn(name, s.thp(),
                "Every large anonymous mapping, the JVM heap included, may get 2 MiB pages at fault time or later from "
                        + "khugepaged, so memory access and fault costs change with how fragmented memory is.",
                "`echo madvise | sudo tee /sys/kernel/mm/transparent_hugepage/enabled` (or never).");
    }

    private static Finding thpDefrag(MachineSettings s) {
        String name = "THP defrag";
        if (s.thpDefrag() == null) {
            return Finding.notExposed(name, "no /sys/kernel/mm/transparent_hugepage/defrag");
        }
        if ("never".equals(s.thp())) {
            return Finding.ok(name, s.thpDefrag() + " (huge pages are off)");
        }
        if (!s.thpDefrag().equals("always")) {
            return Finding.ok(name, s.thpDefrag());
        }
        return Finding.warn(name, s.thpDefrag(),
                "A fault that wants a huge page may stall to compact memory, which shows as rare slow operations in the tails.",
                "`echo defer+madvise | sudo tee /sys/kernel/mm/transparent_hugepage/defrag` (or madvise, or never).");
    }

    private static Finding isolated(String text, CpuList pinned, CpuList online) {
        String name = "Isolated CPUs";
        CpuList iso = parse(text);
        if (iso == null) {
            return Finding.notExposed(name, "no " + CPU + "isolated");
        }
        if (iso.isEmpty()) {
            if (online != null && online.size() <= 1) {
                return Finding.ok(name, "none, on a machine with one CPU");
            }
            return Finding.warn(name, "none",
                    "The scheduler places other tasks, deferred interrupt work and kernel threads on the CPUs the benchmark uses.",
                    "boot with `isolcpus=LIST nohz_full=LIST rcu_nocbs=LIST`, LIST being CPUs for the benchmark (not CPU 0), "
                            + "and run with `--cpus LIST`.");
        }
        return onReservedCpus(name, iso, pinned, "isolated",
                "The benchmark JVMs run on the other CPUs, beside everything else: isolated CPUs help only a run pinned to them.");
    }

    private static Finding nohzFull(String text, CpuList pinned, CpuList online) {
        String name = "nohz_full CPUs";
        CpuList nohz = parse(text);
        if (nohz == null) {
            return Finding.notExposed(name, "no " + CPU + "nohz_full (a kernel without NO_HZ_FULL)");
        }
        if (nohz.isEmpty()) {
            if (online != null && online.size() <= 1) {
                return Finding.ok(name, "none, on a machine with one CPU");
            }
            return Finding.warn(name, "none",
                    "The scheduler tick interrupts each busy CPU 100 to 1000 times a second and adds its cost to whatever "
                            + "operation it lands in.",
                    "boot with `nohz_full=LIST` for the isolated CPUs the benchmark runs on, and run with `--cpus LIST`.");
        }
        return onReservedCpus(name, nohz, pinned, "tickless",
                "The tick still interrupts the CPUs the benchmark runs on: only a run pinned to the nohz_full CPUs avoids it.");
    }

    /** Isolated or tickless CPUs exist: ok when the run is pinned within them. */
    private static Finding onReservedCpus(String name, CpuList reserved, CpuList pinned, String adjective, String whyUnpinned) {
        if (pinned == null) {
            return Finding.warn(name, reserved + ", but the run is not pinned to them", whyUnpinned,
                    "run with `--cpus " + reserved + "` (or a part of it).");
        }
        CpuList outside = pinned.minus(reserved);
        if (outside.isEmpty()) {
            return Finding.ok(name, reserved + "; --cpus " + pinned + " are all " + adjective);
        }
        return Finding.warn(name, reserved + "; --cpus " + pinned + " includes CPUs that are not: " + outside,
                "Benchmark threads on CPUs " + outside + " share them with everything else.",
                "pin to " + adjective + " CPUs only: `--cpus " + reserved + "` or a part of it.");
    }

    private static Finding numa(Map<String, String> nodes, CpuList pinned) {
        String name = "NUMA nodes";
        if (nodes == null || nodes.isEmpty()) {
            return Finding.notExposed(name, "no /sys/devices/system/node");
        }
        String list = nodes.entrySet().stream().map(e -> e.getKey() + ": " + (e.getValue().isEmpty() ? "no CPUs" : e.getValue()))
                .collect(Collectors.joining("; "));
        String value = nodes.size() + (nodes.size() == 1 ? " node" : " nodes") + " (" + list + ")";
        if (nodes.size() == 1) {
            return Finding.ok(name, value);
        }
        Map.Entry<String, String> first = nodes.entrySet().stream().filter(e -> !e.getValue().isEmpty()).findFirst()
                .orElse(nodes.entrySet().iterator().next());
        String fix = "pin with `--cpus` to the CPUs of one node (node " + first.getKey() + ": `--cpus " + first.getValue() + "`).";
        String why = "Threads on different nodes reach each other's memory and caches across the interconnect, slower than "
                + "locally, and the scheduler may move a thread away from its memory.";
        if (pinned == null) {
            return Finding.warn(name, value, why, fix);
        }
        List<String> used = new ArrayList<>();
        for (Map.Entry<String, String> e : nodes.entrySet()) {
            if (!parse(e.getValue()).and(pinned).isEmpty()) {
                used.add(e.getKey());
            }
        }
        if (used.size() <= 1) {
            return Finding.ok(name, value + "; --cpus " + pinned + (used.isEmpty() ? "" : " all on node " + used.get(0)));
        }
        return Finding.warn(name, value + "; --cpus " + pinned + " spans nodes " + String.join(", ", used), why, fix);
    }

    private static Finding clocksource(MachineSettings s) {
        String name = "Clocksource";
        String c = s.clocksource();
        if (c == null) {
            return Finding.notExposed(name, "no /sys/devices/system/clocksource/clocksource0/current_clocksource");
        }
        String available = s.availableClocksources() == null ? "" : s.availableClocksources().trim();
        String value = c + (available.isEmpty() ? "" : " (available: " + available + ")");
        // tsc on x86 and the architected counter on arm64 are read in user space in a few nanoseconds.
        if (c.equals("tsc") || c.equals("arch_sys_counter")) {
            return Finding.ok(name, value);
        }
        boolean tscThere = List.of(available.split("\\s+")).contains("tsc");
        return Finding.warn(name, value,
                "Every operation is timed with System.nanoTime, which reads the clocksource: tsc is read in user space in "
                        + "a few nanoseconds, others cost more per reading (hpet and acpi_pm enter the kernel, about a microsecond).",
                tscThere ? "`echo tsc | sudo tee /sys/devices/system/clocksource/clocksource0/current_clocksource`, "
                        + "or boot with `clocksource=tsc`."
                        : "the kernel offers no tsc here: the command line may force another (`clocksource=`, `tsc=unstable`); "
                        + "in a VM the hypervisor decides (ask for an invariant TSC); on bare metal, `dmesg | grep -i tsc` tells "
                        + "why tsc was marked unstable.");
    }

    private static Finding load(List<Double> l) {
        String name = "Load average";
        if (l == null || l.size() < 3) {
            return Finding.notExposed(name, "no /proc/loadavg");
        }
        String value = String.format(Locale.ROOT, "%.2f %.2f %.2f (1, 5, 15 minutes)", l.get(0), l.get(1), l.get(2));
        if (l.get(0) < LOAD_LIMIT) {
            return Finding.ok(name, value);
        }
        return Finding.warn(name, value,
                "Other work was running when this was read, and whatever keeps a CPU busy competes with the benchmark threads.",
                "stop other jobs and start when `uptime` shows a 1-minute load below " + LOAD_LIMIT
                        + " (a build, such as the launcher's own when the jar was stale, counts too).");
    }

    /** A recorded CPU list; {@link MachineSettings} has checked that each one parses. */
    private static CpuList parse(String text) {
        return text == null ? null : CpuList.parse(text);
    }
}
