package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ResultsCsvTest {

    private static final double NONE = Double.NaN;

    @TempDir
    Path dir;

    @Test
    void headerThenOneLinePerRowWithParameterColumnsInPlace() throws Exception {
        Path f = dir.resolve("results.csv");
        ResultsCsv csv = ResultsCsv.create(f, "run-1", List.of("cache", "punchPages"));
        csv.append(List.of(
                new Row("rwsem", "punch", "punch", 2, Map.of("punchPages", "64"), "p99_ns", 1234.0, "ns", NONE, NONE, 10),
                new Row("none", "fault", "fault", 1, Map.of("cache", "a,b"), "ops_per_s", 1.5e6, "ops/s", 1_400_000, 1_600_000, 3),
                new Row("none", "fault", "fault", 1, Map.of("cache", "say \"hi\""), "mean_ns", 1239.2873, "ns", NONE, NONE, 5)));
        List<String> lines = Files.readAllLines(f);
        assertEquals("run_id,design,workload,op,threads,round,cache,punchPages,metric,value,unit,ci_low,ci_high,n", lines.get(0));
        assertEquals("run-1,rwsem,punch,punch,2,,,64,p99_ns,1234,ns,,,10", lines.get(1), "round empty: an aggregate");
        assertEquals("run-1,none,fault,fault,1,,\"a,b\",,ops_per_s,1500000,ops/s,1400000,1600000,3", lines.get(2));
        assertEquals("run-1,none,fault,fault,1,,\"say \"\"hi\"\"\",,mean_ns,1239.29,ns,,,5", lines.get(3), "quotes doubled, 6 digits");
        assertTrue(Files.readString(f).endsWith("5\n") && !Files.readString(f).contains("\r"), "lines end in \\n alone");
        csv.append(List.of(new Row("rwsem", "punch", "punch", 2, Map.of("punchPages", "64"), "p99_ns", 1200.0, "ns", NONE, NONE, 4)), 2);
        assertEquals("run-1,rwsem,punch,punch,2,2,,64,p99_ns,1200,ns,,,4", Files.readAllLines(f).get(4), "a round's row carries its number");
    }

    @Test
    void appendsAccumulateAndAnExistingFileIsNeverOverwritten() throws Exception {
        Path f = dir.resolve("results.csv");
        ResultsCsv csv = ResultsCsv.create(f, "r", List.of());
        for (int i = 0; i < 3; i++) {
            csv.append(List.of(new Row("d", "w", "op", i + 1, Map.of(), "mean_ns", i, "ns", NONE, NONE, 1)));
        }
        assertEquals(4, Files.readAllLines(f).size());
        assertThrows(RuntimeException.class, () -> ResultsCsv.create(f, "again", List.of()));
        assertEquals(4, Files.readAllLines(f).size(), "the old results survive");
    }

    @Test
    void aRowTheReaderWouldRefuseIsNeverWrittenNorAnyRowOfItsBenchmark() throws Exception {
        Path f = dir.resolve("results.csv");
        ResultsCsv csv = ResultsCsv.create(f, "r", List.of());
        csv.append(List.of(new Row("d", "w", "op", 1, Map.of(), "p50_ns", 10, "ns", NONE, NONE, 1)));
        Row fine = new Row("d", "w", "op", 2, Map.of(), "p50_ns", 10, "ns", NONE, NONE, 1);
        for (Row bad : List.of(
                new Row("d", "w", "op", 2, Map.of(), "p99_ns", Double.NaN, "ns", NONE, NONE, 1),
                new Row("d", "w", "op", 2, Map.of(), "p99_ns", -1, "ns", NONE, NONE, 1),
                new Row("d", "w", "op", 2, Map.of(), "ops_per_s", 5, "ops/s", 6, 4, 3),
                new Row("d", "w", "op", 0, Map.of(), "p99_ns", 5, "ns", NONE, NONE, 1),
                new Row("d", "w", "op", 2, Map.of(), "p99_ns", 5, "ns", NONE, NONE, -1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> csv.append(List.of(fine, bad)), bad.toString());
            assertTrue(e.getMessage().startsWith(f + ":4: "), "the line it would have had, after its benchmark's fine row: " + e.getMessage());
        }
        assertEquals(2, Files.readAllLines(f).size(), "the header and the first benchmark's row; nothing of the refused ones");
        csv.append(List.of(fine));
        assertEquals(2, ResultsTable.read(f).rows().size(), "and the file still reads");
    }

    @Test
    void aQuotedNewlineTheWriterWritesReadsBack() {
        Path f = dir.resolve("results.csv");
        ResultsCsv csv = ResultsCsv.create(f, "r", List.of("cache", "regions"));
        String twoLines = "first line\nsecond, with a \"quote\"";
        csv.append(List.of(
                new Row("none", "fault", "fault", 1, Map.of("cache", twoLines), "ops_per_s", 5, "ops/s", 4, 6, 3),
                new Row("none", "fault", "fault", 2, Map.of("cache", "plain"), "ops_per_s", 7, "ops/s", NONE, NONE, 3)));
        ResultsTable t = ResultsTable.read(f);
        assertEquals(2, t.rows().size());
        Row first = t.rows().get(new Row.Key("none", "fault", "fault", 1, Map.of("cache", twoLines), "ops_per_s"));
        assertEquals(twoLines, first.params().get("cache"));
        assertEquals(4, first.ciLow());
        Row second = t.rows().get(new Row.Key("none", "fault", "fault", 2, Map.of("cache", "plain"), "ops_per_s"));
        assertEquals(2, t.line(first));
        assertEquals(4, t.line(second), "the line a row starts on, counting the quoted line break");
    }

    @Test
    void numbersArePlainDecimals() {
        assertEquals("0.000123457", ResultsCsv.format(1.23456789e-4));
        assertEquals("12345678", ResultsCsv.format(12_345_678));
        assertEquals("1.5", ResultsCsv.format(1.5));
        assertEquals("-3022030", ResultsCsv.format(-3_022_030));
        assertEquals("", ResultsCsv.format(Double.NaN));
        assertEquals("", ResultsCsv.format(Double.POSITIVE_INFINITY));
        assertTrue(!ResultsCsv.format(1e20).contains("E"));
    }

    @Test
    void theBaselineIsWrittenBackByteForByte() throws Exception {
        Path baseline = baseline().resolve("results.csv");
        ResultsTable t = ResultsTable.read(baseline);
        List<String> header = List.of(Files.readAllLines(baseline).get(0).split(","));
        List<String> params = header.subList(ResultsCsv.LEADING_BEFORE_ROUNDS.size() + 1, header.size() - ResultsCsv.TRAILING.size());
        Path again = dir.resolve("again.csv");
        ResultsCsv csv = ResultsCsv.create(again, "baseline", params);
        // Each round's rows as their round wrote them, then the aggregates; the file's order of
        // benchmarks within a round is the run's random one, so the lines are compared as a set.
        for (java.util.SortedMap<Integer, Row> byRound : t.rounds().values()) {
            byRound.forEach((round, row) -> csv.append(List.of(row), round));
        }
        csv.append(List.copyOf(t.rows().values()));
        List<String> want = new java.util.ArrayList<>(Files.readAllLines(baseline));
        List<String> got = new java.util.ArrayList<>(Files.readAllLines(again));
        assertEquals(want.get(0), got.get(0), "the header");
        java.util.Collections.sort(want);
        java.util.Collections.sort(got);
        assertEquals(want, got);
    }

    /** The committed baseline run, found from the module folder the tests run in. */
    /** The committed baseline run folder, found above the working directory; the test is skipped without one. */
    public static Path baseline() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("results/baseline"))) {
            p = p.getParent();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(p != null, "no results/baseline above " + Path.of("").toAbsolutePath());
        return p.resolve("results/baseline");
    }
}
