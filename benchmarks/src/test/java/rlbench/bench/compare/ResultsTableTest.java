package rlbench.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import rlbench.bench.run.ResultsCsv;

class ResultsTableTest {

    private static final String HEADER = "run_id,design,workload,op,threads,cache,metric,value,unit,ci_low,ci_high,n";

    @TempDir
    Path dir;

    @Test
    void readsWhatTheRunnerWrites() {
        Path run = dir.resolve("run");
        run.toFile().mkdirs();
        ResultsCsv csv = new ResultsCsv(run.resolve("results.csv"), "r1", List.of("cache", "regions"));
        csv.append(List.of(
                new ResultsCsv.Row("rwsem", "punch", "punch", 2, Map.of("cache", "a,\"b\""), "p99_ns", 1234, "ns", "", "", 10),
                new ResultsCsv.Row("none", "fault", "fault", 1, Map.of(), "ops_per_s", 2.5e6, "ops/s", "2400000", "2600000", 3)));
        ResultsTable t = ResultsTable.read(run);
        assertEquals(2, t.rows().size());
        ResultsTable.Key k = new ResultsTable.Key("rwsem", "punch", "punch", 2, Map.of("cache", "a,\"b\""), "p99_ns");
        assertEquals(1234, t.rows().get(k).value());
        assertTrue(Double.isNaN(t.rows().get(k).ciLow()));
        ResultsTable.Key ops = new ResultsTable.Key("none", "fault", "fault", 1, Map.of(), "ops_per_s");
        assertEquals(2_400_000, t.rows().get(ops).ciLow());
        assertEquals(3, t.rows().get(ops).line());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty file||is empty",
        "not a header|a,b,c|not a results.csv header",
        "short line|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1|:2: 8 cells, the header has 12",
        "value not a number|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,fast,ops/s,,,3|:2: value is not a number: 'fast'",
        "threads not a number|" + HEADER + "\\nr,none,fault,fault,two,,ops_per_s,1,ops/s,,,3|:2: threads is not a number",
        "ci not a number|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1,ops/s,x,2,3|:2: ci_low is not a number",
        "n missing|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1,ops/s,,,|:2: n is not a number",
        "unterminated quote|" + HEADER + "\\nr,none,fault,fault,1,\"dense,ops_per_s,1,ops/s,,,3|:2: unterminated quote",
        "duplicate row|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,1,ops/s,,,3\\nr,none,fault,fault,1,,ops_per_s,2,ops/s,,,3|:3: the same measurement appears twice",
        "empty design|" + HEADER + "\\nr,,fault,fault,1,,ops_per_s,1,ops/s,,,3|:2: empty design",
        "infinite value|" + HEADER + "\\nr,none,fault,fault,1,,ops_per_s,Infinity,ops/s,,,3|:2: value is not a number",
    })
    void malformedFilesAreRefusedNamingTheLine(String what, String content, String expected) throws Exception {
        Path f = dir.resolve("results.csv");
        Files.writeString(f, content == null ? "" : content.replace("\\n", "\n"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResultsTable.read(dir));
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line");
    }

    @Test
    void aMissingFolderOrOneWithoutResultsIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResultsTable.read(dir.resolve("nope")))
                .getMessage().contains("no such run folder"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResultsTable.read(dir))
                .getMessage().contains("no results.csv"));
    }
}
