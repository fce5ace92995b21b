package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResultsTableTest {

    private static final String HEADER = "run_id,design,workload,op,threads,cache,metric,value,unit,ci_low,ci_high,n";
    private static final String ROW = "r,none,fault,fault,1,,ops_per_s,5,ops/s,4,6,3";

    @TempDir
    Path dir;

    @Test
    void readsWhatTheRunnerWrites() {
        Path run = dir.resolve("run");
        run.toFile().mkdirs();
        ResultsCsv csv = ResultsCsv.create(run.resolve("results.csv"), "r1", List.of("cache", "regions"));
        csv.append(List.of(
                new Row("rwsem", "punch", "punch", 2, Map.of("cache", "a,\"b\""), "p99_ns", 1234, "ns", Double.NaN, Double.NaN, 10),
                new Row("none", "fault", "fault", 1, Map.of(), "ops_per_s", 2.5e6, "ops/s", 2_400_000, 2_600_000, 3)));
        ResultsTable t = RunFolder.open(run).results();
        assertEquals(2, t.rows().size());
        Row.Key k = new Row.Key("rwsem", "punch", "punch", 2, Map.of("cache", "a,\"b\""), "p99_ns");
        assertEquals(1234, t.rows().get(k).value());
        assertTrue(Double.isNaN(t.rows().get(k).ciLow()));
        Row.Key ops = new Row.Key("none", "fault", "fault", 1, Map.of(), "ops_per_s");
        assertEquals(2_400_000, t.rows().get(ops).ciLow());
        assertEquals(3, t.line(t.rows().get(ops)));
    }

    /** A multi-round run: the rounds' rows go to rounds(), the aggregates (round empty) to rows(). */
    @Test
    void roundRowsAreKeptApartFromTheAggregates() {
        Path run = dir.resolve("rounds");
        run.toFile().mkdirs();
        ResultsCsv csv = ResultsCsv.create(run.resolve("results.csv"), "r1", List.of("cache"));
        Row.Key k = new Row.Key("none", "fault", "fault", 1, Map.of(), "p50_ns");
        for (int r = 1; r <= 3; r++) {
            csv.append(List.of(new Row("none", "fault", "fault", 1, Map.of(), "p50_ns", 100 + r, "ns", Double.NaN, Double.NaN, 10)), r);
        }
        csv.append(List.of(new Row("none", "fault", "fault", 1, Map.of(), "p50_ns", 102, "ns", Double.NaN, Double.NaN, 30)));
        ResultsTable t = RunFolder.open(run).results();
        assertEquals(1, t.rows().size());
        assertEquals(102, t.rows().get(k).value());
        assertEquals(3, t.roundCount());
        assertEquals(List.of(101.0, 102.0, 103.0), java.util.Arrays.stream(t.roundValues(k)).boxed().toList());
        assertEquals(5, t.line(t.rows().get(k)), "the aggregate's own line");
        assertTrue(t.ignoring(Set.of("cache")).rounds().containsKey(k), "ignoring keeps the rounds under the shorter key");
    }

    /** A results.csv from before rounds (no round column) reads as aggregates, as the committed baseline does. */
    @Test
    void aFileWithoutTheRoundColumnStillReads() throws Exception {
        Path f = dir.resolve("results.csv");
        Files.writeString(f, HEADER + "\n" + ROW + "\n");
        ResultsTable t = ResultsTable.read(f);
        assertEquals(1, t.rows().size());
        assertEquals(0, t.roundCount());
        Path baseline = Path.of(System.getProperty("user.dir")).getParent().resolve("results/baseline/results.csv");
        if (Files.exists(baseline)) {
            assertTrue(ResultsTable.read(baseline).rows().size() > 100, "the committed baseline still reads");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "round zero|0|:2: round must be empty (an aggregate) or a whole number from 1, got '0'",
        "round twice|twice|:3: the same measurement appears twice in round 1",
        "round a word|two|:2: round must be empty (an aggregate) or a whole number from 1, got 'two'",
    })
    void aBadRoundIsRefusedWithItsLine(String name, String round, String message) throws Exception {
        if (round.equals("twice")) {
            round = "1,,p50_ns,1,ns,,,3\nr,none,fault,fault,1,1";
        }
        Path f = dir.resolve("results.csv");
        Files.writeString(f, "run_id,design,workload,op,threads,round,cache,metric,value,unit,ci_low,ci_high,n\n"
                + "r,none,fault,fault,1," + round + ",,p50_ns,1,ns,,,3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsTable.read(f));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty file||is empty",
        "not a header|a,b,c|:1: not a results.csv header",
        "short line|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1|:2: 8 cells, the header has 12",
        "value not a number|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,fast,ops/s,,,3|:2: value is not a number: 'fast'",
        "threads not a number|" + HEADER + "\\nr,none,fault,fault,two,,ops_per_s,1,ops/s,,,3|:2: threads is not a number",
        "ci not a number|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1,ops/s,x,2,3|:2: ci_low is not a number",
        "n missing|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1,ops/s,,,|:2: n is not a number",
        "unterminated quote|" + HEADER + "\\nr,none,fault,fault,1,\"dense,ops_per_s,1,ops/s,,,3|:2: unterminated quote",
        "unterminated quote on line 3|" + HEADER + "\\n" + ROW + "\\nr,none,fault,fault,2,\"dense,ops_per_s,1,ops/s,,,3|:3: unterminated quote",
        "text after a closing quote|" + HEADER + "\\nr,none,fault,fault,1,\"dense\"x,ops_per_s,1,ops/s,,,3|:2: not CSV: ",
        "duplicate row|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1,ops/s,,,3\\nr,none,fault,fault,1,,ops_per_s,2,ops/s,,,3|:3: the same measurement appears twice",
        "empty design|" + HEADER + "\\nr,,fault,fault,1,,ops_per_s,1,ops/s,,,3|:2: empty design",
        "infinite value|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,Infinity,ops/s,,,3|:2: value is not a number",
        "negative value|" + HEADER + "\\nr,none,fault,fault,1,,p50_ns,-5,ns,,,3|:2: value must be 0 or more (a latency, rate or time cannot be negative), got '-5'",
        "negative ops/s|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,-0.5,ops/s,-1,0,3|:2: value must be 0 or more",
        "threads 0|" + HEADER + "\\nr,none,fault,fault,0,,ops_per_s,1,ops/s,,,3|:2: threads must be a whole number from 1 to 4096, got '0'",
        "threads 1.5|" + HEADER + "\\nr,none,fault,fault,1.5,,ops_per_s,1,ops/s,,,3|:2: threads must be a whole number from 1 to 4096, got '1.5'",
        "threads 1e12|" + HEADER + "\\nr,none,fault,fault,1e12,,ops_per_s,1,ops/s,,,3|:2: threads must be a whole number from 1 to 4096, got '1e12'",
        "threads 4097|" + HEADER + "\\nr,none,fault,fault,4097,,ops_per_s,1,ops/s,,,3|:2: threads must be a whole number from 1 to 4096",
        "threads negative|" + HEADER + "\\nr,none,fault,fault,-2,,ops_per_s,1,ops/s,,,3|:2: threads must be a whole number from 1 to 4096",
        "negative n|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1,ops/s,,,-1|:2: n must be a whole number, 0 or more (it counts samples), got '-1'",
        "n 2.5|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1,ops/s,,,2.5|:2: n must be a whole number, 0 or more",
        "negative ci_high|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,0,ops/s,-3,-1,3|:2: ci_high must be 0 or more",
        "ci_low above ci_high|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,5,ops/s,6,4,3|:2: ci_low 6 is above ci_high 4",
        "one ci bound|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,5,ops/s,4,,3|:2: ci_low and ci_high must both be given or both be empty",
    })
    void malformedFilesAreRefusedNamingTheLine(String what, String content, String expected) throws Exception {
        Path f = dir.resolve("results.csv");
        Files.writeString(f, content == null ? "" : content.replace("\\n", "\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunFolder.open(dir).results());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), "names the file: " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line");
    }

    @Test
    void aNegativeLowerBoundIsAnIntervalNotAMeasurement() throws Exception {
        // JMH's 99.9% interval over three iterations reaches below zero ops/s in the baseline.
        Path f = dir.resolve("results.csv");
        Files.writeString(f, HEADER + "\nr,none,fault,fault,1,,ops_per_s,1427480,ops/s,-1426660,4281620,3\n");
        Row r = ResultsTable.read(f).rows().values().iterator().next();
        assertEquals(-1_426_660, r.ciLow());
        assertEquals(1, r.threads());
    }

    @Test
    void blankLinesAndCrLfLineEndsAreRead() throws Exception {
        Path f = dir.resolve("results.csv");
        Files.writeString(f, HEADER + "\r\n\r\n" + ROW + "\r\n   \r\n" + ROW.replace(",1,,", ",2,,") + "\r\n");
        ResultsTable t = ResultsTable.read(f);
        assertEquals(2, t.rows().size());
        assertEquals(List.of(3, 5), t.rows().values().stream().map(t::line).toList());
    }

    @Test
    void aByteOrderMarkIsDropped() throws Exception {
        Path f = dir.resolve("results.csv");
        Files.writeString(f, "\uFEFF" + HEADER + "\n" + ROW + "\n");
        assertEquals(1, ResultsTable.read(f).rows().size());
    }

    @Test
    void bytesThatAreNotUtf8AreNamedAsSuch() throws Exception {
        Path f = dir.resolve("results.csv");
        byte[] latin1 = (HEADER + "\n" + ROW.replace("none", "n\u00e9e") + "\n").getBytes(StandardCharsets.ISO_8859_1);
        Files.write(f, latin1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsTable.read(f));
        assertTrue(e.getMessage().startsWith(f + ": not UTF-8 text (line 2"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void ignoringAParameterMatchesRowsThatDifferInItAndKeepsTheirOwnKeys() throws Exception {
        Path f = dir.resolve("results.csv");
        Files.writeString(f, HEADER + "\n" + ROW.replace(",1,,", ",1,dense,") + "\n");
        ResultsTable t = ResultsTable.read(f).ignoring(Set.of("cache"));
        Row.Key shorter = new Row.Key("none", "fault", "fault", 1, Map.of(), "ops_per_s");
        Row r = t.rows().get(shorter);
        assertEquals(Map.of("cache", "dense"), r.key().params(), "the row keeps the key that names its histogram");
        assertEquals(2, t.line(r));

        Files.writeString(f, HEADER + "\n" + ROW.replace(",1,,", ",1,dense,") + "\n" + ROW.replace(",1,,", ",1,sparse,") + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsTable.read(f).ignoring(Set.of("cache")));
        assertTrue(e.getMessage().startsWith(f + ":3: without [cache] two rows measure the same thing"), e.getMessage());
    }

    @Test
    void aMissingFolderOrOneWithoutResultsIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunFolder.open(dir.resolve("nope")))
                .getMessage().contains("no such run folder or file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RunFolder.open(dir))
                .getMessage().contains("no results.csv"));
    }
}
