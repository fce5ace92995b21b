package rlbench.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rlbench.bench.machine.Finding.Verdict;

class DoctorTest {

    @TempDir
    Path dir;

    private static Map<String, Finding> bySetting(MachineSettings s) {
        Map<String, Finding> out = new LinkedHashMap<>();
        Doctor.examine(s).forEach(f -> out.put(f.setting(), f));
        return out;
    }

    private static Map<String, Verdict> verdicts(MachineSettings s) {
        Map<String, Verdict> out = new LinkedHashMap<>();
        Doctor.examine(s).forEach(f -> out.put(f.setting(), f.verdict()));
        return out;
    }

    private static final List<String> SETTINGS = List.of("CPU pinning", "CPU governor", "Boost / turbo", "SMT",
            "Transparent huge pages", "THP defrag", "Isolated CPUs", "nohz_full CPUs", "NUMA nodes", "Clocksource", "Load average",
            "Kernel command line");

    @Test
    void aTunedBoxPinnedToItsIsolatedCpusIsOkEverywhere() {
        MachineSettings s = FakeMachine.tuned(dir).probe().probe().pinnedTo(CpuList.parse("2-3"));
        Map<String, Finding> f = bySetting(s);
        assertEquals(SETTINGS, List.copyOf(f.keySet()), "one finding per setting, in a fixed order");
        f.values().forEach(x -> assertEquals(Verdict.OK, x.verdict(), x.toString()));
        assertEquals("active; --cpus 2-3 uses one thread per core (keep their siblings 6-7 idle)", f.get("SMT").value());
        assertEquals("2-3; --cpus 2-3 are all isolated", f.get("Isolated CPUs").value());
        assertEquals("performance on 0-7 (driver intel_pstate)", f.get("CPU governor").value());
        assertEquals("off (/sys/devices/system/cpu/intel_pstate/no_turbo)", f.get("Boost / turbo").value());
        f.values().forEach(x -> assertEquals("", x.why() + x.fix(), "an ok has nothing to fix"));
    }

    @Test
    void theSameBoxUnpinnedIsWarnedToPinToItsIsolatedCpus() {
        Map<String, Finding> f = bySetting(FakeMachine.tuned(dir).probe().probe());
        assertEquals(Verdict.WARN, f.get("CPU pinning").verdict());
        assertEquals(Verdict.WARN, f.get("SMT").verdict());
        assertEquals(Verdict.WARN, f.get("Isolated CPUs").verdict());
        assertEquals("2-3, but the run is not pinned to them", f.get("Isolated CPUs").value());
        assertEquals("run with `--cpus 2-3` (or a part of it).", f.get("Isolated CPUs").fix());
        assertEquals(Verdict.WARN, f.get("nohz_full CPUs").verdict());
        assertEquals(Verdict.OK, f.get("CPU governor").verdict());
    }

    @Test
    void anUntunedBoxWarnsOnEachNoisySettingWithAFix() {
        Map<String, Finding> f = bySetting(FakeMachine.untuned(dir).probe().probe());
        Map<String, Verdict> v = new LinkedHashMap<>();
        f.forEach((k, x) -> v.put(k, x.verdict()));
        Map<String, Verdict> expected = new LinkedHashMap<>();
        SETTINGS.forEach(k -> expected.put(k, Verdict.WARN));
        expected.put("Kernel command line", Verdict.OK);
        assertEquals(expected, v);
        f.values().stream().filter(x -> x.verdict() == Verdict.WARN).forEach(x -> {
            assertTrue(x.why().endsWith("."), x.toString());
            assertTrue(x.fix().endsWith("."), x.toString());
        });
        assertEquals("powersave on 0-3; schedutil on 4-7 (driver acpi-cpufreq)", f.get("CPU governor").value());
        assertTrue(f.get("CPU governor").fix().contains("cpupower frequency-set -g performance"));
        assertEquals("`echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost`.", f.get("Boost / turbo").fix());
        assertTrue(f.get("SMT").fix().startsWith("`echo off | sudo tee /sys/devices/system/cpu/smt/control`"));
        assertTrue(f.get("Transparent huge pages").fix().contains("echo madvise"));
        assertEquals("none", f.get("nohz_full CPUs").value());
        assertEquals("2 nodes (0: 0-1,4-5; 1: 2-3,6-7)", f.get("NUMA nodes").value());
        assertTrue(f.get("NUMA nodes").fix().contains("`--cpus 0-1,4-5`"), f.get("NUMA nodes").fix());
        assertEquals("hpet (available: tsc hpet acpi_pm)", f.get("Clocksource").value());
        assertTrue(f.get("Clocksource").fix().startsWith("`echo tsc | sudo tee "), "tsc is available, so switch to it");
        assertEquals("3.50 2.00 1.00 (1, 5, 15 minutes)", f.get("Load average").value());
    }

    @Test
    void intelPstateBoostIsTurnedOffThroughNoTurbo() {
        FakeMachine m = FakeMachine.tuned(dir).write("sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
        Finding f = bySetting(m.probe().probe()).get("Boost / turbo");
        assertEquals(Verdict.WARN, f.verdict());
        assertEquals("`echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo`.", f.fix());
    }

    @Test
    void pinningIsJudgedAgainstTheTopology() {
        MachineSettings untuned = FakeMachine.untuned(dir).probe().probe();
        Map<String, Finding> siblings = bySetting(untuned.pinnedTo(CpuList.parse("0,4")));
        assertEquals(Verdict.WARN, siblings.get("SMT").verdict());
        assertEquals("active; --cpus 0,4 holds threads of one core: 0,4", siblings.get("SMT").value());
        assertEquals(Verdict.OK, siblings.get("NUMA nodes").verdict(), "0 and 4 are both on node 0");
        Map<String, Finding> spread = bySetting(untuned.pinnedTo(CpuList.parse("0-3")));
        assertEquals(Verdict.OK, spread.get("SMT").verdict());
        assertEquals(Verdict.WARN, spread.get("NUMA nodes").verdict());
        assertEquals("2 nodes (0: 0-1,4-5; 1: 2-3,6-7); --cpus 0-3 spans nodes 0, 1", spread.get("NUMA nodes").value());
        Map<String, Finding> governor = bySetting(untuned.pinnedTo(CpuList.parse("5")));
        assertTrue(governor.get("CPU governor").why().endsWith("--cpus 5 includes CPUs 5."), governor.get("CPU governor").why());
        MachineSettings tuned = FakeMachine.tuned(dir.resolve("t")).probe().probe();
        Finding partly = bySetting(tuned.pinnedTo(CpuList.parse("1-2"))).get("Isolated CPUs");
        assertEquals(Verdict.WARN, partly.verdict());
        assertEquals("2-3; --cpus 1-2 includes CPUs that are not: 1", partly.value());
    }

    @Test
    void onlyTheGovernorsOfThePinnedCpusCount() {
        FakeMachine m = FakeMachine.tuned(dir).write("sys/devices/system/cpu/cpu7/cpufreq/scaling_governor", "powersave\n");
        assertEquals(Verdict.WARN, verdicts(m.probe().probe()).get("CPU governor"));
        assertEquals(Verdict.OK, verdicts(m.probe().probe().pinnedTo(CpuList.parse("2-3"))).get("CPU governor"));
    }

    @Test
    void aMachineThatExposesNothingIsNotExposedWithWhereTheProbeLooked() {
        Map<String, Finding> f = bySetting(FakeMachine.bare(dir.resolve("empty")).probe().probe());
        f.forEach((k, x) -> {
            if (!k.equals("CPU pinning")) {
                assertEquals(Verdict.NOT_EXPOSED, x.verdict(), x.toString());
                assertTrue(x.value().startsWith("no /"), x.toString());
            }
        });
        assertEquals(Verdict.WARN, f.get("CPU pinning").verdict(), "not pinned, on a machine of unknown size");
    }

    @Test
    void aOneCpuMachineIsNotToldToIsolateOrPin() {
        FakeMachine m = FakeMachine.untuned(dir).write("sys/devices/system/cpu/online", "0\n");
        Map<String, Verdict> v = verdicts(m.probe().probe());
        assertEquals(Verdict.OK, v.get("CPU pinning"));
        assertEquals(Verdict.OK, v.get("Isolated CPUs"));
        assertEquals(Verdict.OK, v.get("nohz_full CPUs"));
    }

    @Test
    void theArm64CounterIsAsGoodAsTsc() {
        FakeMachine m = FakeMachine.tuned(dir)
                .write("sys/devices/system/clocksource/clocksource0/current_clocksource", "arch_sys_counter\n");
        assertEquals(Verdict.OK, verdicts(m.probe().probe()).get("Clocksource"));
    }

    @Test
    void aClocksourceWithoutTscOnOfferPointsAtTheCommandLineAndTheHypervisor() {
        FakeMachine m = FakeMachine.tuned(dir)
                .write("sys/devices/system/clocksource/clocksource0/current_clocksource", "kvm-clock\n")
                .write("sys/devices/system/clocksource/clocksource0/available_clocksource", "kvm-clock\n");
        Finding f = bySetting(m.probe().probe()).get("Clocksource");
        assertEquals(Verdict.WARN, f.verdict());
        assertTrue(f.fix().startsWith("the kernel offers no tsc here"), f.fix());
    }

    @Test
    void theReportsCaveatsAreTheWarningsOfTheRecordedSettingsAndNoneWithoutThem() {
        assertEquals(List.of(), Doctor.caveats(null), "an older run's env.json has no machine settings: no caveat");
        MachineSettings tunedRun = FakeMachine.tuned(dir).probe().probe().pinnedTo(CpuList.parse("2-3"));
        assertEquals(List.of(), Doctor.caveats(tunedRun.toJson()));
        List<String> c = Doctor.caveats(FakeMachine.untuned(dir.resolve("u")).probe().probe().toJson());
        assertEquals(11, c.size(), c.toString());
        assertTrue(c.get(0).startsWith("**CPU pinning**: not pinned: the benchmark JVMs may run on any of CPUs 0-7. The scheduler"),
                c.get(0));
        assertTrue(c.stream().allMatch(x -> x.contains(" Fix: ")), c.toString());
    }
}
