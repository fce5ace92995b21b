package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code rlbench run}'s checks before anything runs: each refusal is one line and exit 2 and
 * names what to change, and it leaves the output folder as it was.
 */
class RunCommandTest {

    @TempDir
    Path dir;

    /**
     * {@code ./rlbench run args... --out DIR}, where DIR holds an earlier results.csv: a run that
     * got past every check would stop at the non-empty folder, so a refusal here is the check's,
     * and the earlier results must survive it.
     */
    private Cli runOnEarlierResults(String... args) throws Exception {
        Path old = dir.resolve("results.csv");
        Files.writeString(old, "earlier results");
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--out";
        all[args.length + 1] = dir.toString();
        Cli o = Cli.run("run", all);
        assertEquals("earlier results", Files.readString(old), "results already written are kept");
        return o;
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "-p filePages=0                          | -p filePages=0 is outside 1..67108864",
        "-p filePages=67108865                   | -p filePages=67108865 is outside 1..67108864",
        "-p filePages=4096,99999999999           | -p filePages=99999999999 is outside 1..67108864",
        "-p filePages=lots                       | -p filePages=lots is not a whole number",
        "-p framePoolPages=1                     | -p framePoolPages=1 is outside 2..2147483647",
        "-p framePoolPages=3000000000            | -p framePoolPages=3000000000 is outside 2..2147483647",
        "-p hitRatio=often                       | -p hitRatio=often is not a finite number",
        "-p deviceMode=TAPE                      | -p deviceMode=TAPE is neither DATA nor STAMP_ONLY",
        "--workloads locks -p punchPages=1.5     | -p punchPages=1.5 is not a whole number (long)",
    })
    void aValueTheBenchmarkWouldRejectIsRefusedFirst(String args, String message) throws Exception {
        Cli o = runOnEarlierResults(args.trim().split(" ")).assertBadInput();
        assertTrue(o.err().contains(message), o.err());
    }

    @Test
    void aFileTooLargeForTheForksHeapIsRefusedWithTheEstimateTheLimitAndWhatToChange() throws Exception {
        Cli o = runOnEarlierResults("--workloads", "punch", "-p", "filePages=16777216", "--jvm-args", "-Xmx1g").assertBadInput();
        assertTrue(o.err().startsWith("rlbench: -p filePages=16777216 needs about 1.6 GiB of heap for the punch workload at "), o.err());
        assertTrue(o.err().contains("; the benchmark JVMs get 1.0 GiB (--jvm-args -Xmx1g), of which a benchmark may plan for 90%: "
                + "raise -Xmx or lower filePages\n"), o.err());
    }

    @Test
    void aDefaultFileSizeThatDoesNotFitIsNamedAsTheWorkloadsDefault() throws Exception {
        Cli o = runOnEarlierResults("--workloads", "punch", "--jvm-args", "-Xmx64m").assertBadInput();
        assertTrue(o.err().startsWith("rlbench: filePages=524288 (the punch workload's default) needs about "), o.err());
        assertTrue(o.err().contains("(--jvm-args -Xmx64m)"), o.err());
    }

    @Test
    void aFramePoolTooLargeForTheHeapNamesTheFramePool() throws Exception {
        Cli o = runOnEarlierResults("--workloads", "fault", "-p", "framePoolPages=1000000", "--jvm-args", "-Xmx2g").assertBadInput();
        assertTrue(o.err().startsWith("rlbench: -p framePoolPages=1000000 needs about "), o.err());
        assertTrue(o.err().endsWith("raise -Xmx or lower framePoolPages\n"), o.err());
    }

    @Test
    void manyThreadsMappingTheFileAreNamedAsTheCause() throws Exception {
        Cli o = runOnEarlierResults("--workloads", "fault", "--threads", "4096", "--jvm-args", "-Xmx1g").assertBadInput();
        assertTrue(o.err().startsWith("rlbench: --threads 4096 with filePages=65536 (the fault workload's default) needs about "),
                o.err());
        assertTrue(o.err().endsWith("raise -Xmx or lower --threads or filePages\n"), o.err());
    }

    @Test
    void blockContentsBeyondTheDirectMemoryLimitAreRefusedWithTheStampOnlyWayOut() throws Exception {
        Cli o = runOnEarlierResults("--workloads", "fault", "-p", "filePages=1048576",
                "--jvm-args", "-Xmx8g -XX:MaxDirectMemorySize=1g").assertBadInput();
        assertTrue(o.err().startsWith("rlbench: -p filePages=1048576 needs about 4.5 GiB of direct memory for the fault workload "
                + "(deviceMode=DATA keeps 4 KiB a block off the heap); the benchmark JVMs get 1.0 GiB "
                + "(--jvm-args -XX:MaxDirectMemorySize=1g)"), o.err());
        assertTrue(o.err().contains("use -p deviceMode=STAMP_ONLY"), o.err());
    }

    @Test
    void aFileThatFitsPassesEveryCheck() throws Exception {
        Cli o = runOnEarlierResults("--workloads", "punch", "-p", "filePages=16777216", "--jvm-args", "-Xmx4g").assertBadInput();
        assertTrue(o.err().contains("is not empty"), "stopped by the output folder, after the checks passed: " + o.err());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''                              | --jvm-args is empty",
        "Xmx2g                           | --jvm-args: 'Xmx2g' is not a JVM option",
        "-Xmx2g Xss1m                    | --jvm-args: 'Xss1m' is not a JVM option",
        "-Xmxlots                        | --jvm-args: -Xmxlots is not a size",
        "-Xms2g -Xmx1g                   | --jvm-args: -Xms2g is larger than the maximum heap -Xmx1g",
        "-XX:MaxDirectMemorySize=some    | --jvm-args: -XX:MaxDirectMemorySize=some is not a size",
        "-XX:+RlbenchNoSuchOption        | Unrecognized VM option 'RlbenchNoSuchOption'",
    })
    void malformedJvmArgsAreRefusedBeforeAnythingRuns(String jvmArgs, String message) throws Exception {
        Cli o = runOnEarlierResults("--workloads", "floor", "--jvm-args", jvmArgs).assertBadInput();
        assertTrue(o.err().contains(message), o.err());
    }

    @Test
    void theLocksWorkloadIsNamedAmongTheKnownOnes() {
        Cli o = Cli.run("run", "--workloads", "lock").assertBadInput();
        assertEquals("rlbench: unknown workload 'lock' (known: fault, write, punch, mixed, locks, floor)\n", o.err());
    }
}
