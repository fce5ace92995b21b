package rlbench.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuPinningTest {

    @TempDir
    Path dir;

    private String refusal(String list, FakeMachine m) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuPinning.check(list, m.probe()));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aListOfUsableCpusIsKeptAsASet() {
        assertEquals("2-3", CpuPinning.check("3,2,2-3", FakeMachine.tuned(dir).probe()).cpus().toString());
    }

    @Test
    void eachRefusalNamesTheCpusAndWhatTheMachineHas() {
        FakeMachine m = FakeMachine.tuned(dir)
                .write("sys/devices/system/cpu/online", "0-5\n")
                .write("proc/self/status", "Name:\tjava\nCpus_allowed_list:\t0-3\n");
        assertEquals("--cpus: 'a' is not a CPU number or range (want a list such as 0-3,8,10-11)", refusal("a", m));
        assertEquals("--cpus: '1-' is not a CPU number or range (want a list such as 0-3,8,10-11)", refusal("1-", m));
        assertEquals("--cpus is empty; give CPUs such as --cpus 2-3, or leave it out", refusal(" ", m));
        assertEquals("--cpus 99999: CPU 99999 does not exist on this machine (its CPUs are 0-7)", refusal("99999", m));
        assertEquals("--cpus 0,8-9: CPUs 8-9 do not exist on this machine (its CPUs are 0-7)", refusal("0,8-9", m));
        assertEquals("--cpus 6: CPU 6 is offline (online: 0-5)", refusal("6", m));
        assertEquals("--cpus 3-5: this process may not run on CPUs 4-5; its affinity or cgroup cpuset allows 0-3", refusal("3-5", m));
    }

    @Test
    void tasksetMissingOrFailingIsRefused() {
        FakeMachine m = FakeMachine.tuned(dir).noTaskset();
        assertEquals("--cpus needs taskset on the PATH to pin the benchmark JVMs; install util-linux", refusal("1", m));
        m.taskset("echo \"taskset: failed to set pid 42's affinity: Invalid argument\" >&2; exit 1");
        String why = refusal("1", m);
        assertTrue(why.startsWith("--cpus 1: "), why);
        assertTrue(why.endsWith("taskset -c 1 true fails: taskset: failed to set pid 42's affinity: Invalid argument"), why);
    }

    @Test
    void notLinuxIsRefused() {
        String why = refusal("0", FakeMachine.bare(dir.resolve("empty")));
        assertTrue(why.startsWith("--cpus needs Linux: "), why);
    }

    @Test
    void theLaunchScriptExecsTasksetWithTheListAndThisJava() throws Exception {
        Path script = CpuPinning.check("2-3", FakeMachine.tuned(dir).probe()).launchScript();
        String text = Files.readString(script);
        assertTrue(Files.isExecutable(script));
        assertTrue(text.startsWith("#!/bin/sh\n"), text);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertTrue(text.endsWith(" -c 2-3 " + CpuPinning.quote(java.toString()) + " \"$@\"\n"), text);
        assertEquals("'it'\\''s'", CpuPinning.quote("it's"));
    }

    /** On this machine, for real: a JVM started through the script runs on the chosen CPU only. */
    @Test
    void aJvmStartedThroughTheScriptRunsOnTheChosenCpu() throws Exception {
        MachineProbe live = new MachineProbe(Path.of("/"));
        CpuList allowed = live.allowedCpus();
        assumeTrue(allowed != null && live.onPath("taskset") != null, "needs Linux and taskset");
        List<Integer> cpus = allowed.numbers();
        String last = String.valueOf(cpus.get(cpus.size() - 1));
        Path script = CpuPinning.check(last, live).launchScript();
        Process p = new ProcessBuilder(script.toString(), "-cp", System.getProperty("java.class.path"),
                PrintAffinity.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(last + "\n", out);
    }
}
