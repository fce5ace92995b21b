package rlbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rlbench.bench.output.Doc;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.Row;

/** The calibration rows: each effect's ratio per target from the right pair of groups, and the verdicts. */
class CalibrationTest {

    @TempDir
    Path dir;

    @Test
    void verdictsSayDirectionAndDistance() {
        assertEquals("reproduces (up, within 1.50x)", Calibration.verdict(3.0, 2.0));
        assertEquals("direction only (up, 4.0x apart)", Calibration.verdict(8.0, 2.0));
        assertEquals("differs: the kernel goes up, the simulation flat", Calibration.verdict(3.0, 1.05));
        assertEquals("reproduces (flat, within 1.09x)", Calibration.verdict(1.05, 0.96));
        assertEquals("differs: the kernel goes down, the simulation up", Calibration.verdict(0.5, 1.2));
        assertEquals("not measured here", Calibration.verdict(null, 2.0));
    }

    @Test
    void aRunWithoutTheKernelHasNoSection() throws Exception {
        Path run = write(List.of(fault("rwsem", "0.0", "off", 1, "p50_ns", 1000)));
        assertTrue(Calibration.section(RunData.load(run)).isEmpty());
    }

    /** Miss over hit from the hitRatio pair, the write scaling from one group's two thread counts; the rest unmeasured. */
    @Test
    void ratiosComeFromTheGroupsThatDifferOnlyInWhatTheEffectChanges() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String[] d : new String[][] {{"linux", "30000", "3000"}, {"rwsem", "2400", "800"}, {"none", "2000", "800"}}) {
            rows.add(fault(d[0], "0.0", "off", 1, "p50_ns", Double.parseDouble(d[1])));
            rows.add(fault(d[0], "1.0", "off", 1, "p50_ns", Double.parseDouble(d[2])));
            // a decoy: a miss at another file size must not pair with the hits
            rows.add(new Row(d[0], "fault", "fault", 1, params("0.0", "off", "999"), "p50_ns", 1, "ns", Double.NaN, Double.NaN, 10));
        }
        for (String[] d : new String[][] {{"linux", "100", "190"}, {"rwsem", "100", "105"}}) {
            Map<String, String> p = Map.of("puncher", "off", "regions", "disjoint");
            rows.add(new Row(d[0], "write", "write", 1, p, "ops_per_s", Double.parseDouble(d[1]), "ops/s", Double.NaN, Double.NaN, 3));
            rows.add(new Row(d[0], "write", "write", 2, p, "ops_per_s", Double.parseDouble(d[2]), "ops/s", Double.NaN, Double.NaN, 3));
        }
        List<Doc.Block> blocks = Calibration.section(RunData.load(write(rows))).orElseThrow();
        Doc.Table t = (Doc.Table) blocks.stream().filter(b -> b instanceof Doc.Table).findFirst().orElseThrow();
        List<String> miss = t.rows().get(0);
        assertEquals(List.of("fault miss over fault hit, p50, 1 thread", "10.0x", "3.00x", "2.50x", "direction only (up, 3.3x apart)"), miss);
        List<String> writes = t.rows().get(t.rows().size() - 1);
        assertEquals("1.90x", writes.get(1));
        assertEquals("1.05x", writes.get(2));
        assertEquals("differs: the kernel goes up, the simulation flat", writes.get(4));
        assertEquals("not measured here", t.rows().get(1).get(4), "no puncher rows in this run");
    }

    private static Map<String, String> params(String hitRatio, String puncher, String filePages) {
        Map<String, String> p = new TreeMap<>(Map.of("hitRatio", hitRatio, "puncher", puncher, "arrival", "closed",
                "punchTarget", "overlap", "filePages", filePages));
        return p;
    }

    private static Row fault(String design, String hitRatio, String puncher, int threads, String metric, double value) {
        return new Row(design, "fault", "fault", threads, params(hitRatio, puncher, "65536"), metric, value, "ns", Double.NaN,
                Double.NaN, 10);
    }

    private Path write(List<Row> rows) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run" + rows.size()));
        ResultsCsv csv = ResultsCsv.create(run.resolve("results.csv"), "r",
                List.of("arrival", "filePages", "hitRatio", "punchTarget", "puncher", "regions"));
        csv.append(rows);
        Files.writeString(run.resolve("env.json"), "{\"profile\": \"quick\"}\n");
        return run;
    }
}
