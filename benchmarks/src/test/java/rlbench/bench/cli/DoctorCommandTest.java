package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rlbench.bench.machine.FakeMachine;
import rlbench.bench.machine.MachineProbe;

/**
 * {@code rlbench doctor} on fake {@code /sys} and {@code /proc} trees (the probe reads the one
 * {@link MachineProbe#ROOT_PROPERTY} names), on a run's env.json, and the report's caveats.
 */
class DoctorCommandTest {

    @TempDir
    Path dir;

    @AfterEach
    void liveMachineAgain() {
        System.clearProperty(MachineProbe.ROOT_PROPERTY);
    }

    private FakeMachine machine(FakeMachine m) {
        System.setProperty(MachineProbe.ROOT_PROPERTY, m.root.toString());
        return m;
    }

    private static List<String> settingLines(String out) {
        return out.lines().filter(l -> l.startsWith("ok ") || l.startsWith("warn ") || l.startsWith("not exposed ")).toList();
    }

    @Test
    void aTunedMachinePinnedToItsIsolatedCpusIsOkOnEveryLine() {
        FakeMachine m = machine(FakeMachine.tuned(dir));
        Cli o = Cli.run("doctor", "--cpus", "2-3");
        assertEquals(0, o.code(), o.err());
        assertEquals("", o.err());
        assertTrue(o.out().startsWith("This machine's settings, read from " + m.root + "/sys and " + m.root + "/proc:\n\n"), o.out());
        List<String> lines = settingLines(o.out());
        assertEquals(12, lines.size(), o.out());
        lines.forEach(l -> assertTrue(l.startsWith("ok "), l));
        assertTrue(lines.contains("ok          CPU governor            performance on 0-7 (driver intel_pstate)"), o.out());
        assertTrue(lines.contains("ok          CPU pinning             --cpus 2-3 (taskset)"), o.out());
        assertFalse(o.out().contains("fix:"), o.out());
        assertTrue(o.out().endsWith("\n12 ok, 0 warn, 0 not exposed. The doctor only advises; a run's report lists its warnings as caveats.\n"),
                o.out());
    }

    @Test
    void anUntunedMachineGetsAWarningWithWhyAndFixForEachNoisySettingAndStillExitsZero() {
        machine(FakeMachine.untuned(dir));
        Cli o = Cli.run("doctor");
        assertEquals(0, o.code(), o.err());
        String out = o.out();
        assertTrue(out.contains("warn        Boost / turbo           on (/sys/devices/system/cpu/cpufreq/boost)\n"
                + " ".repeat(36) + "why: The clock rises above its base"), out);
        assertTrue(out.contains("\n" + " ".repeat(36) + "fix: `echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost`.\n"), out);
        assertTrue(out.contains("warn        CPU governor            powersave on 0-3; schedutil on 4-7 (driver acpi-cpufreq)\n"), out);
        assertTrue(out.contains("warn        Transparent huge pages  always\n"), out);
        assertEquals(11, settingLines(out).stream().filter(l -> l.startsWith("warn ")).count(), out);
        assertEquals(11, out.lines().filter(l -> l.trim().startsWith("fix: ")).count(), out);
        assertTrue(out.endsWith("\n1 ok, 11 warn, 0 not exposed. The doctor only advises; a run's report lists its warnings as caveats.\n"), out);
    }

    @Test
    void theSettingsAreOneTableWithoutAHeaderAWarningsWhyAndFixUnderItsValue() {
        machine(FakeMachine.untuned(dir));
        List<String> lines = Cli.run("doctor").out().lines().toList();
        List<String> table = lines.subList(2, lines.size() - 2);
        assertEquals("", lines.get(1));
        assertEquals("", lines.get(lines.size() - 2));
        assertEquals(12 + 2 * 11, table.size(), String.join("\n", lines));
        for (int i = 0; i < table.size(); i++) {
            String l = table.get(i);
            assertFalse(l.endsWith(" "), "no line ends in a blank: '" + l + "'");
            if (l.startsWith(" ")) {
                assertTrue(l.matches(" {36}(why|fix): \\S.*"), l);
                assertTrue(l.contains("why: ") ? table.get(i - 1).startsWith("warn ") : table.get(i - 1).contains("why: "), l);
            } else {
                assertTrue(l.matches("(ok|warn|not exposed) +\\S.{0,22} +\\S.*") && l.charAt(35) == ' ' && l.charAt(36) != ' ', l);
            }
        }
    }

    @Test
    void aMachineThatExposesNothingSaysNotExposedAndWhereItLooked() {
        machine(FakeMachine.bare(dir.resolve("bare")));
        Cli o = Cli.run("doctor");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("not exposed CPU governor            no /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor"), o.out());
        assertTrue(o.out().contains("0 ok, 1 warn, 11 not exposed."), o.out());
    }

    /** A run folder whose env.json records {@code machine} (or no machine settings when null). */
    private Path runWith(Map<String, Object> machine) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String design : List.of("none", "rwsem")) {
            for (int t : List.of(1, 2)) {
                String bench = "q," + design + ",fault,fault," + t + ",,0,DATA,read,65536,0.9,,1000,16,off,,,";
                rows.add(bench + "ops_per_s," + 100_000 * t + ",ops/s," + 98_000 * t + "," + 102_000 * t + ",3");
                rows.add(bench + "p50_ns," + 1420 + ",ns,,,306232");
            }
        }
        Path run = dir.resolve("run");
        HistoryCommandTest.writeRun(run, Instant.parse("2026-03-01T10:00:00Z"), rows);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("started", "2026-03-01T10:00:00Z");
        env.put("profile", "quick");
        env.put("cores", 8);
        if (machine != null) {
            env.put("machine", machine);
        }
        Files.writeString(run.resolve("env.json"), new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(env));
        return run;
    }

    @Test
    void onARunItJudgesTheSettingsTheRunRecordedNotThisMachines() throws Exception {
        Path run = runWith(FakeMachine.untuned(dir.resolve("then")).probe().probe().toJson());
        machine(FakeMachine.tuned(dir.resolve("now")));
        Cli o = Cli.run("doctor", run.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("Settings recorded in " + run.resolve("env.json") + " when the run started:\n\n"), o.out());
        assertTrue(o.out().contains("warn        Boost / turbo           on"), o.out());
        assertTrue(o.out().contains("1 ok, 11 warn, 0 not exposed."), o.out());
    }

    @Test
    void theReportOfARunListsEveryWarningItRecordedAsACaveat() throws Exception {
        Path run = runWith(FakeMachine.untuned(dir.resolve("then")).probe().probe().toJson());
        machine(FakeMachine.tuned(dir.resolve("now")));
        Cli o = Cli.run("report", run.toString());
        assertEquals(0, o.code(), o.err());
        String md = Files.readString(run.resolve("report.md"));
        String caveats = md.substring(md.indexOf("## Caveats"), md.indexOf("## ", md.indexOf("## Caveats") + 3));
        for (String setting : List.of("CPU pinning", "CPU governor", "Boost / turbo", "SMT", "Transparent huge pages", "THP defrag",
                "Isolated CPUs", "nohz_full CPUs", "NUMA nodes", "Clocksource", "Load average")) {
            assertTrue(caveats.contains("\n- **" + setting + "**: "), setting + " in: " + caveats);
        }
        assertTrue(caveats.contains("- **Boost / turbo**: on (/sys/devices/system/cpu/cpufreq/boost). The clock rises"), caveats);
        assertTrue(caveats.contains(" Fix: `echo 0 | sudo tee /sys/devices/system/cpu/cpufreq/boost`.\n"), caveats);
        assertFalse(caveats.contains("Kernel command line"), "an ok setting is no caveat");
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("<li><strong>Boost / turbo</strong>: on (/sys/devices/system/cpu/cpufreq/boost)."), "rendered in html too");
    }

    @Test
    void aRunThatRecordedNoMachineSettingsGetsNoMachineCaveat() throws Exception {
        Path run = runWith(null);
        machine(FakeMachine.untuned(dir.resolve("now")));
        assertEquals(0, Cli.run("report", run.toString()).code());
        String md = Files.readString(run.resolve("report.md"));
        assertFalse(md.contains("**CPU pinning**") || md.contains("**Boost / turbo**"), md);
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        machine(FakeMachine.tuned(dir.resolve("m")));
        assertEquals("rlbench: --cpus: 'a' is not a CPU number or range (want a list such as 0-3,8,10-11)\n",
                Cli.run("doctor", "--cpus", "a").assertBadInput().err());
        assertEquals("rlbench: --cpus 99999: CPU 99999 does not exist on this machine (its CPUs are 0-7)\n",
                Cli.run("doctor", "--cpus", "99999").assertBadInput().err());
        Path old = runWith(null);
        assertEquals("rlbench: " + old.resolve("env.json") + " records no machine settings (the run is older than rlbench doctor)\n",
                Cli.run("doctor", old.toString()).assertBadInput().err());
        assertEquals("rlbench: --cpus judges this machine; leave it out when reading a run's env.json\n",
                Cli.run("doctor", old.toString(), "--cpus", "1").assertBadInput().err());
        Files.delete(old.resolve("env.json"));
        assertEquals("rlbench: " + old + " has no env.json to read machine settings from\n",
                Cli.run("doctor", old.toString()).assertBadInput().err());
        assertEquals("rlbench: not a run folder: " + old.resolve("results.csv") + "\n",
                Cli.run("doctor", old.resolve("results.csv").toString()).assertBadInput().err());
        Path bad = runWith(Map.of("isolated_cpus", "2-x"));
        Cli o = Cli.run("doctor", bad.toString()).assertBadInput();
        assertTrue(o.err().startsWith("rlbench: " + bad.resolve("env.json") + ": env.json \"machine\" does not hold machine settings: "),
                o.err());
        assertTrue(o.err().contains("isolated_cpus: '2-x' is not a CPU number or range"), o.err());
        Cli.run("doctor", "--bogus").assertBadInput();
    }
}
