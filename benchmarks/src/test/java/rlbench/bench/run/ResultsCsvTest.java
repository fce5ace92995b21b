package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsCsvTest {

    @TempDir
    Path dir;

    @Test
    void headerThenOneLinePerRowWithParameterColumnsInPlace() throws Exception {
        Path f = dir.resolve("results.csv");
        ResultsCsv csv = new ResultsCsv(f, "run-1", List.of("cache", "punchPages"));
        csv.append(List.of(
                new ResultsCsv.Row("rwsem", "punch", "punch", 2, Map.of("punchPages", "64"), "p99_ns", 1234.0, "ns", "", "", 10),
                new ResultsCsv.Row("none", "fault", "fault", 1, Map.of("cache", "a,b"), "ops_per_s", 1.5e6, "ops/s", "1400000", "1600000", 3)));
        List<String> lines = Files.readAllLines(f);
        assertEquals("run_id,design,workload,op,threads,cache,punchPages,metric,value,unit,ci_low,ci_high,n", lines.get(0));
        assertEquals("run-1,rwsem,punch,punch,2,,64,p99_ns,1234,ns,,,10", lines.get(1));
        assertEquals("run-1,none,fault,fault,1,\"a,b\",,ops_per_s,1500000,ops/s,1400000,1600000,3", lines.get(2));
    }

    @Test
    void appendsAccumulateAndAnExistingFileIsNeverOverwritten() throws Exception {
        Path f = dir.resolve("results.csv");
        ResultsCsv csv = new ResultsCsv(f, "r", List.of());
        for (int i = 0; i < 3; i++) {
            csv.append(List.of(new ResultsCsv.Row("d", "w", "op", i + 1, Map.of(), "mean_ns", i, "ns", "", "", 1)));
        }
        assertEquals(4, Files.readAllLines(f).size());
        assertThrows(RuntimeException.class, () -> new ResultsCsv(f, "again", List.of()));
        assertEquals(4, Files.readAllLines(f).size(), "the old results survive");
    }

    @Test
    void numbersArePlainDecimals() {
        assertEquals("0.000123457", ResultsCsv.format(1.23456789e-4));
        assertEquals("12345678", ResultsCsv.format(12_345_678));
        assertEquals("1.5", ResultsCsv.format(1.5));
        assertEquals("", ResultsCsv.format(Double.NaN));
        assertTrue(!ResultsCsv.format(1e20).contains("E"));
    }
}
