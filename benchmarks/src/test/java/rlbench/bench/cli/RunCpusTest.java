package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rlbench.bench.machine.FakeMachine;
import rlbench.bench.machine.MachineProbe;

/**
 * {@code rlbench run --cpus}: a list the machine cannot pin to is refused in one line with exit 2
 * before anything runs, with no run folder made and earlier results left as they were. The
 * machine is a fake tree with CPUs 0-7, of which 0-5 are online and 0-3 allowed to this process.
 */
class RunCpusTest {

    @TempDir
    Path dir;

    private FakeMachine machine;

    @BeforeEach
    void fakeMachine() {
        machine = FakeMachine.tuned(dir.resolve("machine"))
                .write("sys/devices/system/cpu/online", "0-5\n")
                .write("proc/self/status", "Name:\tjava\nCpus_allowed_list:\t0-3\n");
        System.setProperty(MachineProbe.ROOT_PROPERTY, machine.root.toString());
    }

    @AfterEach
    void liveMachineAgain() {
        System.clearProperty(MachineProbe.ROOT_PROPERTY);
    }

    /** Runs with {@code --cpus list} twice: into a folder of earlier results, and into a new one; both must be refused untouched. */
    private String refused(String list) throws Exception {
        Path earlier = Files.createDirectories(dir.resolve("earlier"));
        Files.writeString(earlier.resolve("results.csv"), "earlier results");
        Cli o = Cli.run("run", "--designs", "none", "--workloads", "fault", "--threads", "1", "--cpus", list, "--out", earlier.toString())
                .assertBadInput();
        assertEquals("earlier results", Files.readString(earlier.resolve("results.csv")));
        try (var files = Files.list(earlier)) {
            assertEquals(1, files.count(), "nothing added to the folder");
        }
        Path fresh = dir.resolve("fresh");
        Cli again = Cli.run("run", "--designs", "none", "--workloads", "fault", "--threads", "1", "--cpus", list, "--out", fresh.toString())
                .assertBadInput();
        assertFalse(Files.exists(fresh), "no run folder made");
        assertEquals(o.err(), again.err());
        return o.err();
    }

    @ParameterizedTest(name = "[{index}] --cpus {0}")
    @CsvSource(delimiter = '|', value = {
        "a      | rlbench: --cpus: 'a' is not a CPU number or range (want a list such as 0-3,8,10-11)",
        "1-     | rlbench: --cpus: '1-' is not a CPU number or range (want a list such as 0-3,8,10-11)",
        "0,,1   | rlbench: --cpus: '' in '0,,1' is not a CPU number or range (want a list such as 0-3,8,10-11)",
        "3-1    | rlbench: --cpus: the range 3-1 runs backwards; write 1-3",
        "99999  | rlbench: --cpus 99999: CPU 99999 does not exist on this machine (its CPUs are 0-7)",
        "7      | rlbench: --cpus 7: CPU 7 is offline (online: 0-5)",
        "2-5    | rlbench: --cpus 2-5: this process may not run on CPUs 4-5; its affinity or cgroup cpuset allows 0-3",
    })
    void aListTheMachineCannotPinToIsRefusedBeforeAnythingRuns(String list, String message) throws Exception {
        assertEquals(message + "\n", refused(list));
    }

    @Test
    void tasksetMissingIsRefused() throws Exception {
        machine.noTaskset();
        assertEquals("rlbench: --cpus needs taskset on the PATH to pin the benchmark JVMs; install util-linux\n", refused("1"));
    }

    @Test
    void tasksetThatCannotPinIsRefusedWithItsOwnReason() throws Exception {
        machine.taskset("echo \"taskset: failed to set pid 42's affinity: Invalid argument\" >&2; exit 1");
        String err = refused("1");
        assertTrue(err.startsWith("rlbench: --cpus 1: "), err);
        assertTrue(err.endsWith("taskset -c 1 true fails: taskset: failed to set pid 42's affinity: Invalid argument\n"), err);
    }

    @Test
    void theOptionIsListedInHelp() {
        Cli o = Cli.run("run", "--help");
        assertTrue(o.out().contains("--cpus=LIST"), o.out());
    }
}
