package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        "--workloads locks -p punchPages=1.5     | -p punchPages=1.5 is not a whole number",
        "--workloads locks -p punchPages=0       | -p punchPages=0 is outside 1..67108864",
    })
    void aValueTheBenchmarkWouldRejectIsRefusedFirst(String args, String message) throws Exception {
        Cli o = runOnEarlierResults(args.trim().split(" ")).assertBadInput();
        assertTrue(o.err().contains(message), o.err());
    }

    /**
     * {@code ./rlbench run args... --out DIR/new}: a refusal must leave no run folder behind (a
     * folder left there could not be used as {@code --out} again).
     */
    private Cli runOnNewFolder(String... args) {
        Path out = dir.resolve("new");
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--out";
        all[args.length + 1] = out.toString();
        Cli o = Cli.run("run", all);
        assertFalse(Files.exists(out), "no run folder is left behind: " + o.err());
        return o;
    }

    /** The values the issue found checked only inside the forks, each refused by the launcher's JVM first. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "-p hitRatio=1.5                         | rlbench: -p hitRatio=1.5 is outside 0..1",
        "-p hitRatio=NaN                         | rlbench: -p hitRatio=NaN is not a finite number",
        "-p hitRatio=Infinity                    | rlbench: -p hitRatio=Infinity is not a finite number",
        "-p filePages=0                          | rlbench: -p filePages=0 is outside 1..67108864 (2^26 pages, 256 GiB of 4 KiB pages)",
        "-p filePages=-5                         | rlbench: -p filePages=-5 is outside 1..67108864 (2^26 pages, 256 GiB of 4 KiB pages)",
        "-p filePages=1099511627776              | rlbench: -p filePages=1099511627776 is outside 1..67108864 (2^26 pages, 256 GiB of 4 KiB pages)",
        "-p filePages=99999999999999999999999    | rlbench: -p filePages=99999999999999999999999 is outside 1..67108864 (2^26 pages, 256 GiB of 4 KiB pages)",
        "-p punchPages=0                         | rlbench: -p punchPages=0 is outside 1..2147483647",
        "-p deviceLatencyNs=-1                   | rlbench: -p deviceLatencyNs=-1 is outside 0..1000000000 (0 is a ramdisk; at most a second)",
        "-p faultKind=sideways                   | rlbench: -p faultKind=sideways is neither read nor write",
        "-p faultKind=READ                       | rlbench: -p faultKind=READ is neither read nor write",
        "-p deviceMode=bogus                     | rlbench: -p deviceMode=bogus is neither DATA nor STAMP_ONLY",
        "--workloads punch -p cache=warm         | rlbench: -p cache=warm is neither dense nor sparse",
        "--workloads write -p regions=all        | rlbench: -p regions=all is neither disjoint nor shared",
        "-p punchIntervalUs=-1                   | rlbench: -p punchIntervalUs=-1 is outside 0..1000000 (0 punches back to back; at most a second)",
        "-p pagesPerWrite=0                      | rlbench: -p pagesPerWrite=0 is outside 1..2147483647",
        "--workloads mixed -p readPages=-1       | rlbench: -p readPages=-1 is outside 1..2147483647",
        "-p lockstat=maybe                       | rlbench: -p lockstat=maybe is neither on nor off",
        "-p lockstat=OFF                         | rlbench: -p lockstat=OFF is neither on nor off",
    })
    void everyParameterValueIsCheckedAgainstItsDeclarationBeforeAnythingRuns(String args, String message) {
        Cli o = runOnNewFolder(args.trim().split(" ")).assertBadInput();
        assertEquals(message + "\n", o.err());
    }

    /** Rules between parameters (and threads), as the workloads' own setups state them. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "--workloads fault -p filePages=4096 -p punchPages=8192  | rlbench: in the fault workload at 1 thread, punchPages=8192 "
                + "is larger than filePages=4096: a punch must fit in the file",
        "--workloads punch -p filePages=4096 -p punchPages=4096  | rlbench: in the punch workload at 2 threads, punchPages=4096 "
                + "is larger than the puncher's half of the file (2048 pages of filePages=4096)",
        "--workloads punch -p filePages=64 -p punchPages=1 -p pagesPerWrite=64 | rlbench: in the punch workload at 2 threads, "
                + "pagesPerWrite=64 is larger than the workers' half of the file (32 pages of filePages=64)",
        "--workloads mixed -p filePages=64 -p readPages=128      | rlbench: in the mixed workload at 2 threads, readPages=128 "
                + "is larger than filePages=64: every op works within the file",
        "--workloads write -p filePages=64 -p pagesPerWrite=16 --threads 2,8 | rlbench: in the write workload at 8 threads, "
                + "pagesPerWrite=16 is larger than a writing thread's slice of the file (filePages=64 over 8 writing threads: 8 pages)",
        "--workloads fault -p cacheMode=nvdimm                   | rlbench: in the fault workload at 1 thread, unknown cache mode "
                + "'nvdimm' (known: pagecache, dax)",
        "--workloads fault --designs linux,none -p cacheMode=dax | rlbench: in the fault workload at 1 thread, cacheMode=dax is "
                + "the simulation's; the linux target runs on its filesystem's page cache: use cacheMode=pagecache",
        "--workloads fault -p mappers=0                          | rlbench: -p mappers=0 is outside 1..64 (each mapper maps "
                + "the whole file: its page table is filePages entries)",
        "--workloads fault --designs linux,none -p mappers=4     | rlbench: in the fault workload at 1 thread, mappers=4 needs "
                + "separate address spaces; the linux target runs in this one process: use mappers=1",
        "--workloads dio -p ioBytes=512                          | rlbench: in the dio workload at 1 thread, ioBytes=512 is not "
                + "a multiple of 4096: direct IO must be page-aligned here (O_DIRECT to a 4 KiB-sector filesystem gets EINVAL)",
        "--workloads dio --designs nosuch                        | rlbench: unknown design 'nosuch' (known: none, rwsem, "
                + "page-lock, range-tree, lock-entries, two-state, list-range, seq-retry, io-range, mmap-write, linux)",
    })
    void parametersThatDoNotFitEachOtherAreRefusedBeforeAnythingRuns(String args, String message) {
        Cli o = runOnNewFolder(args.trim().split(" +")).assertBadInput();
        assertEquals(message + "\n", o.err());
    }

    /**
     * The open-loop rate, the punch target and cache, and the injected slowdown: each bad value or
     * combination is one line and exit 2, with no run folder left.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "-p ratePerThread=0                           | rlbench: -p ratePerThread=0 is not a rate: give ops/s per worker (1..1000000) with -p arrival=open",
        "-p arrival=open -p ratePerThread=0           | rlbench: -p ratePerThread=0 is not a rate: give ops/s per worker (1..1000000) with -p arrival=open",
        "-p arrival=open -p ratePerThread=-5          | rlbench: -p ratePerThread=-5 is outside 0..1000000 (ops/s per worker, with arrival=open; at most one op a microsecond)",
        "-p arrival=open -p ratePerThread=1000001     | rlbench: -p ratePerThread=1000001 is outside 0..1000000 (ops/s per worker, with arrival=open; at most one op a microsecond)",
        "--profile smoke -p arrival=open -p ratePerThread=4 | rlbench: -p ratePerThread=4 schedules less than one op per worker in the smoke profile's 200 ms iterations: give at least 5",
        "-p arrival=sometimes                         | rlbench: -p arrival=sometimes is neither closed nor open",
        "-p arrival=open                              | rlbench: in the fault workload at 1 thread, arrival=open needs a rate: -p ratePerThread=N (ops/s per worker, 1..1000000)",
        "-p ratePerThread=1000                        | rlbench: in the fault workload at 1 thread, ratePerThread=1000 paces open-loop workers only: add -p arrival=open",
        "-p punchTarget=sideways                      | rlbench: -p punchTarget=sideways is neither overlap nor disjoint",
        "-p punchCache=warm                           | rlbench: -p punchCache=warm is not one of dense, sparse, none",
        "-p punchCache=none                           | rlbench: in the fault workload at 1 thread, punchCache=none would leave the file full of holes: no fault worker writes them back; give dense or sparse",
        "-p punchTarget=disjoint -p filePages=4096 -p punchPages=4096 | rlbench: in the fault workload at 1 thread, punchPages=4096 is larger than the puncher's half of the file with punchTarget=disjoint (2048 pages of filePages=4096)",
        "-p injectNs=-1                               | rlbench: -p injectNs=-1 is outside 0..1000000000 (0 injects nothing; at most a second)",
        "-p injectPct=1001                            | rlbench: -p injectPct=1001 is outside 0..1000 (0 injects nothing; at most 1000 percent)",
        "-p injectPct=10                              | rlbench: in the fault workload at 1 thread, injectPct=10 needs the design to slow: -p injectDesign=NAME",
        "-p injectNs=100                              | rlbench: in the fault workload at 1 thread, injectNs=100 needs the design to slow: -p injectDesign=NAME",
        "-p injectNs=100 -p injectDesign=btree        | rlbench: in the fault workload at 1 thread, injectDesign=btree is not a design (known: none, rwsem, page-lock, range-tree, lock-entries, two-state, list-range, seq-retry, io-range, mmap-write, linux)",
        "-p injectDesign=rwsem                        | rlbench: in the fault workload at 1 thread, injectDesign=rwsem injects nothing without -p injectNs=N or -p injectPct=P",
        "--designs none -p injectNs=5 -p injectDesign=rwsem | rlbench: -p injectDesign=rwsem names a design this run does not measure: add it to --designs",
    })
    void aRateTargetOrInjectionTheWorkloadCannotRunIsRefused(String args, String message) {
        String[] given = args.trim().split(" +");
        String[] all = new String[given.length + 2];
        all[0] = "--workloads";
        all[1] = "fault";
        System.arraycopy(given, 0, all, 2, given.length);
        Cli o = runOnNewFolder(all).assertBadInput();
        assertEquals(message + "\n", o.err());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "--workloads write -p punchTarget=disjoint    | rlbench: in the write workload at 1 thread, punchCache=none with punchTarget=disjoint would punch holes into holes: no writer writes the puncher's half; give dense or sparse",
        "--workloads write -p punchTarget=disjoint -p punchCache=dense -p filePages=64 -p pagesPerWrite=16 --threads 4 | rlbench: in the write workload at 4 threads, pagesPerWrite=16 is larger than a writing thread's slice of the writers' half of the file (32 pages of filePages=64 over 4 writing threads: 8 pages)",
    })
    void aDisjointWriteNeedsARefillAndRoomInTheWritersHalf(String args, String message) {
        Cli o = runOnNewFolder(args.trim().split(" +")).assertBadInput();
        assertEquals(message + "\n", o.err());
    }

    /** Every list names each item once; a repeat would run benchmarks twice and write duplicate rows. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--designs none,none                     | rlbench: --designs lists 'none' twice in 'none,none'; name each once",
        "--workloads fault,fault                 | rlbench: --workloads lists 'fault' twice in 'fault,fault'; name each once",
        "--threads 1,1                           | rlbench: --threads lists '1' twice in '1,1'; name each once",
        "--threads 2,02                          | rlbench: --threads lists 2 twice in '2,02'; name each once",
        "-p filePages=4096,4096                  | rlbench: -p filePages lists '4096' twice in '4096,4096'; name each once",
        "-p filePages=4096,04096                 | rlbench: -p filePages gives one value twice (4096 and 04096); give each value once",
        "-p hitRatio=0.5,0.50                    | rlbench: -p hitRatio gives one value twice (0.5 and 0.50); give each value once",
        "-p filePages=4096 -p filePages=8192     | rlbench: -p filePages is given twice; give its values once, comma-separated: -p filePages=a,b",
    })
    void aListItemGivenTwiceIsRefused(String args, String message) {
        Cli o = runOnNewFolder(args.trim().split(" ")).assertBadInput();
        assertEquals(message + "\n", o.err());
    }

    /** Rounds and their seed are checked before anything runs, on a run and on an earlier folder alike. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "--rounds 0                              | rlbench: --rounds wants a whole number from 1 to 1000, got '0'",
        "--rounds x                              | rlbench: --rounds wants a whole number from 1 to 1000, got 'x'",
        "--rounds -3                             | rlbench: --rounds wants a whole number from 1 to 1000, got '-3'",
        "--rounds 1001                           | rlbench: --rounds wants a whole number from 1 to 1000, got '1001'",
        "--rounds 2 --seed -1                    | rlbench: --seed wants a whole number from 0 to 9223372036854775807, got '-1'",
        "--seed seven                            | rlbench: --seed wants a whole number from 0 to 9223372036854775807, got 'seven'",
        "--seed 9223372036854775808              | rlbench: --seed wants a whole number from 0 to 9223372036854775807, got '9223372036854775808'",
    })
    void badRoundsOrSeedAreRefusedBeforeAnythingRuns(String args, String message) throws Exception {
        Cli fresh = runOnNewFolder(args.trim().split(" +")).assertBadInput();
        assertEquals(message + "\n", fresh.err());
        Cli earlier = runOnEarlierResults(args.trim().split(" +")).assertBadInput();
        assertEquals(message + "\n", earlier.err());
    }

    @Test
    void anEmptyOutNamesTheRealProblem() {
        Cli o = Cli.run("run", "--workloads", "floor", "--out", "").assertBadInput();
        assertTrue(o.err().startsWith("rlbench: --out is empty: name the folder for the run"), o.err());
    }

    /**
     * Another JMH run holds JMH's lock: refused before the folder exists. The test holds the lock
     * in a temporary directory of its own, so no JMH run elsewhere on the machine is disturbed.
     */
    @Test
    void aRunRefusesAtOnceWhileAnotherJmhRunHoldsItsLock() throws Exception {
        String tmp = System.getProperty("java.io.tmpdir");
        Path lockDir = Files.createDirectories(dir.resolve("tmp"));
        System.setProperty("java.io.tmpdir", lockDir.toString());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(lockDir.resolve("jmh.lock"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.channels.FileLock held = ch.lock();
            Cli o = runOnNewFolder("--workloads", "floor").assertBadInput();
            assertTrue(o.err().startsWith("rlbench: another JMH run holds JMH's lock (" + lockDir.resolve("jmh.lock") + ")"),
                    o.err());
            held.release();
            rlbench.bench.run.JmhLock.checkFree(); // a lock file nobody holds stops nothing
            System.setProperty("jmh.ignoreLock", "true");
            try (java.nio.channels.FileLock again = ch.lock()) {
                rlbench.bench.run.JmhLock.checkFree(); // JMH's own way past its lock is honoured
            } finally {
                System.clearProperty("jmh.ignoreLock");
            }
        } finally {
            System.setProperty("java.io.tmpdir", tmp);
        }
    }

    @Test
    void aFileTooLargeForTheForksHeapIsRefusedWithTheEstimateTheLimitAndWhatToChange() throws Exception {
        // cache=dense named: quick's punch now runs the sparse cache only, which needs less
        Cli o = runOnEarlierResults("--workloads", "punch", "-p", "filePages=16777216", "-p", "cache=dense", "--jvm-args", "-Xmx1g")
                .assertBadInput();
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

    /**
     * Benchmarks that fail in their forks (here JMH's own executor setting is bogus, which only
     * the fork reads): each FAILED line names its JMH log, the run ends with one line on stderr
     * and exit 1, and nothing of a failed benchmark is left as a result.
     */
    @Test
    void benchmarksThatFailInTheirForksAreNamedWithTheirLogsAndLeaveNoResult() throws Exception {
        Path out = dir.resolve("failing");
        Cli o = Cli.run("run", "--profile", "smoke", "--designs", "none", "--workloads", "locks", "-p", "punchPages=1,262144",
                "--jvm-args", "-Djmh.executor=NOPE",
                "--out", out.toString());
        assertEquals(1, o.code(), o.err() + o.out());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().startsWith("rlbench: all 4 benchmarks failed, no rows;"), o.err());
        assertTrue(o.out().contains("[1/4] FAILED: ") && o.out().contains("(JMH's log: " + out.resolve("jmh").resolve("001-none-locks-")),
                o.out());
        assertEquals(1, Files.readAllLines(out.resolve("results.csv")).size(), "the header alone");
        assertFalse(Files.exists(out.resolve("jmh").resolve("results.json")), "no benchmark finished");
        assertFalse(Files.exists(out.resolve("hgrm")), "no histogram of a failed benchmark");
    }

    @Test
    void aWorkloadWithoutAFileTooLargeForTheHeapNamesTheJvmNotAFileSize() throws Exception {
        Cli o = runOnEarlierResults("--workloads", "locks", "--jvm-args", "-Xmx3m").assertBadInput();
        assertEquals("rlbench: the locks workload needs about 32 MiB of heap for the JVM and JMH; the benchmark JVMs get 3 MiB "
                + "(--jvm-args -Xmx3m): raise -Xmx\n", o.err(), "no filePages=null");
    }

    @Test
    void aFramePoolTooLargeForTheHeapNamesTheFramePool() throws Exception {
        Cli o = runOnEarlierResults("--workloads", "fault", "-p", "framePoolPages=1000000", "--jvm-args", "-Xmx2g").assertBadInput();
        assertTrue(o.err().startsWith("rlbench: -p framePoolPages=1000000 needs about "), o.err());
        assertTrue(o.err().endsWith("raise -Xmx or lower framePoolPages\n"), o.err());
    }

    @Test
    void manyThreadsMappingTheFileAreNamedAsTheCause() throws Exception {
        // -p arrival=closed takes over a parameter quick's disjoint-punch case sets, so the case is left out
        Cli o = runOnEarlierResults("--workloads", "fault", "--threads", "4096", "-p", "arrival=closed", "--jvm-args", "-Xmx1g")
                .assertBadInput();
        assertTrue(o.err().startsWith("rlbench: --threads 4096 with filePages=65536 (the fault workload's default) needs about "),
                o.err());
        assertTrue(o.err().endsWith("raise -Xmx or lower --threads or filePages\n"), o.err());

        Cli c = runOnEarlierResults("--workloads", "fault", "--threads", "4096", "--jvm-args", "-Xmx1g").assertBadInput();
        assertTrue(c.err().startsWith("rlbench: --threads 4096 with filePages=524288 (the quick profile's disjoint-punch case) "
                + "needs about "), c.err());
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
        assertEquals("rlbench: unknown workload 'lock' (known: fault, write, punch, mixed, dio, locks, floor)\n", o.err());
    }
}
