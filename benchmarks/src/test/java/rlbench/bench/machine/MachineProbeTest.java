package rlbench.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineProbeTest {

    @TempDir
    Path dir;

    @Test
    void readsEachSettingFromTheTree() {
        MachineSettings s = FakeMachine.tuned(dir).probe().probe();
        assertEquals("0-7", s.onlineCpus());
        assertNull(s.pinnedCpus(), "the probe does not pin");
        assertEquals("intel_pstate", s.scalingDriver());
        assertNull(s.amdPstate());
        assertEquals(Map.of("performance", "0-7"), s.governors());
        assertEquals(false, s.boost(), "no_turbo 1 is boost off");
        assertEquals("/sys/devices/system/cpu/intel_pstate/no_turbo", s.boostSource());
        assertEquals(true, s.smtActive());
        assertEquals(List.of("0,4", "1,5", "2,6", "3,7"), s.smtSiblings());
        assertEquals("madvise", s.thp());
        assertEquals("madvise", s.thpDefrag());
        assertEquals("2-3", s.isolatedCpus());
        assertEquals("2-3", s.nohzFullCpus());
        assertEquals(Map.of("0", "0-7"), s.numaNodes());
        assertEquals("tsc", s.clocksource());
        assertEquals("tsc hpet acpi_pm", s.availableClocksources());
        assertTrue(s.cmdline().contains("isolcpus=2-3"), s.cmdline());
        assertEquals(List.of(0.05, 0.10, 0.20), s.loadAverage());
    }

    @Test
    void readsAnUntunedBoxAsItIs() {
        MachineSettings s = FakeMachine.untuned(dir).probe().probe();
        Map<String, String> governors = new LinkedHashMap<>();
        governors.put("powersave", "0-3");
        governors.put("schedutil", "4-7");
        assertEquals(governors, s.governors());
        assertEquals(true, s.boost());
        assertEquals("/sys/devices/system/cpu/cpufreq/boost", s.boostSource());
        assertEquals("always", s.thp());
        assertEquals("always", s.thpDefrag());
        assertEquals("", s.isolatedCpus(), "an empty isolated file is none, not 'not exposed'");
        assertEquals("", s.nohzFullCpus(), "the kernel's (null) is none");
        assertEquals(Map.of("0", "0-1,4-5", "1", "2-3,6-7"), s.numaNodes());
        assertEquals(List.of(3.5, 2.0, 1.0), s.loadAverage());
    }

    @Test
    void boostFromPerPolicyFilesIsOnWhenAnyPolicyHasItOn() {
        FakeMachine m = FakeMachine.untuned(dir).remove("sys/devices/system/cpu/cpufreq/boost")
                .write("sys/devices/system/cpu/cpufreq/policy0/boost", "0\n")
                .write("sys/devices/system/cpu/cpufreq/policy4/boost", "1\n")
                .write("sys/devices/system/cpu/amd_pstate/status", "active\n");
        MachineSettings s = m.probe().probe();
        assertEquals(true, s.boost());
        assertEquals("/sys/devices/system/cpu/cpufreq/policy*/boost", s.boostSource());
        assertEquals("active", s.amdPstate());
        m.write("sys/devices/system/cpu/cpufreq/policy4/boost", "0\n");
        assertEquals(false, m.probe().probe().boost());
    }

    @Test
    void smtFollowsTheSiblingListsWhenSmtActiveIsMissing() {
        FakeMachine m = FakeMachine.tuned(dir).remove("sys/devices/system/cpu/smt/active");
        assertEquals(true, m.probe().probe().smtActive());
        for (int cpu = 0; cpu < 8; cpu++) {
            m.write("sys/devices/system/cpu/cpu" + cpu + "/topology/thread_siblings_list", cpu + "\n");
        }
        MachineSettings s = m.probe().probe();
        assertEquals(false, s.smtActive());
        assertEquals(List.of(), s.smtSiblings());
    }

    @Test
    void aMachineThatExposesNothingIsNotExposedEverywhereAndNeverFails() {
        MachineSettings s = FakeMachine.bare(dir.resolve("empty")).probe().probe();
        assertEquals(new MachineSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null), s);
        assertEquals(new MachineSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null), new MachineProbe(dir.resolve("no such folder")).probe());
    }

    @Test
    void garbageInAFileIsNotExposedRatherThanAGuess() {
        FakeMachine m = FakeMachine.tuned(dir)
                .write("sys/devices/system/cpu/isolated", "banana\n")
                .write("sys/devices/system/cpu/intel_pstate/no_turbo", "maybe\n")
                .write("proc/loadavg", "high\n");
        MachineSettings s = m.probe().probe();
        assertNull(s.isolatedCpus());
        assertNull(s.boost());
        assertNull(s.loadAverage());
    }

    @Test
    void theSettingsGoToEnvJsonAndComeBackTheSame() throws Exception {
        MachineSettings s = FakeMachine.untuned(dir).probe().probe().pinnedTo(CpuList.parse("1,3"));
        Map<String, Object> json = s.toJson();
        assertEquals(List.of("online_cpus", "pinned_cpus", "scaling_driver", "amd_pstate", "governors", "boost", "boost_source",
                "smt_active", "smt_siblings", "thp", "thp_defrag", "isolated_cpus", "nohz_full_cpus", "numa_nodes", "clocksource",
                "available_clocksources", "cmdline", "load_average"), List.copyOf(json.keySet()), "env.json's snake_case, in order");
        assertEquals("1,3", json.get("pinned_cpus"));
        assertTrue(json.containsKey("amd_pstate") && json.get("amd_pstate") == null, "not exposed is written as null");
        ObjectMapper mapper = new ObjectMapper();
        String text = mapper.writeValueAsString(Map.of("machine", json));
        Object back = mapper.readValue(text, Map.class).get("machine");
        assertEquals(s, MachineSettings.fromJson(back));
        assertEquals(s, MachineSettings.fromJson(mapper.readTree(text).get("machine")));
    }

    @Test
    void fieldsAnOlderRunDidNotRecordReadAsNotExposedAndUnknownOnesAreIgnored() {
        MachineSettings s = MachineSettings.fromJson(Map.of("thp", "never", "recorded_by_a_newer_rlbench", 1));
        assertEquals("never", s.thp());
        assertNull(s.boost());
    }

    @Test
    void malformedRecordedSettingsAreRefusedInOneLine() {
        for (Object bad : List.of("a string", List.of(1),
                Map.of("isolated_cpus", "2-x"),
                Map.of("governors", Map.of("performance", "1-")),
                Map.of("load_average", List.of(1.0, -2.0, 3.0)),
                Map.of("load_average", List.of(1.0)),
                Map.of("boost", List.of(true)),
                Map.of("boost", "yes"),
                Map.of("smt_active", "true"),
                Map.of("thp", 5),
                Map.of("cmdline", false),
                Map.of("load_average", List.of("1", "2", "3")),
                Map.of("numa_nodes", List.of("0-3")))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineSettings.fromJson(bad), bad.toString());
            assertTrue(e.getMessage().startsWith("env.json \"machine\""), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }
}
