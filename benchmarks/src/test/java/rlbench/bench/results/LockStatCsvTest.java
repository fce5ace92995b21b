package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockStatCsvTest {

    @TempDir
    Path dir;

    private static Histogram of(long... values) {
        Histogram h = new Histogram(3);
        for (long v : values) {
            h.recordValue(v);
        }
        return h;
    }

    @Test
    void rowsAreWrittenAndReadBackWithEmptyCellsForWhatWasNotMeasured() {
        Path file = dir.resolve(LockStatCsv.FILE);
        LockStatCsv csv = LockStatCsv.create(file, "run1", List.of("puncher", "punchPages"));
        Map<String, String> on = Map.of("puncher", "on", "punchPages", "16");
        LockStatCsv.Row contended = LockStatCsv.Row.of("rwsem", "fault", "instantiate", 2, on, 1000, 10,
                of(100, 200, 5_000_000), of(700));
        LockStatCsv.Row quiet = LockStatCsv.Row.of("rwsem", "fault", "i_rwsem", 2, Map.of("puncher", "off"), 40, 0,
                of(), of());
        csv.append(List.of(contended, quiet));
        csv.append(List.of());

        List<String> lines = assertDoesNotThrowLines(file);
        assertEquals("run_id,design,workload,lock_point,threads,puncher,punchPages,acquisitions,contended,contended_pct,"
                + "wait_p50_ns,wait_p99_ns,wait_max_ns,hold_p50_ns,hold_p99_ns,hold_max_ns,hold_samples", lines.get(0));
        assertEquals("run1,rwsem,fault,i_rwsem,2,off,,40,0,0,,,,,,,0", lines.get(2));

        List<LockStatCsv.Row> back = LockStatCsv.read(file);
        assertEquals(2, back.size());
        LockStatCsv.Row r = back.get(0);
        assertEquals("instantiate", r.lockPoint());
        assertEquals(on, r.params());
        assertEquals(1000, r.acquisitions());
        assertEquals(10, r.contended());
        assertEquals(1.0, r.contendedPct(), 1e-9);
        assertEquals(200, r.waitP50Ns(), 1);
        assertEquals(5_000_000, r.waitMaxNs(), 5_000_000 * 0.001);
        assertEquals(700, r.holdP50Ns(), 1);
        assertEquals(1, r.holdSamples());
        assertTrue(Double.isNaN(back.get(1).waitP99Ns()), "no wait: an empty cell, read as not measured");
        assertEquals(Map.of("puncher", "off"), back.get(1).params());
    }

    private static List<String> assertDoesNotThrowLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void anExistingFileIsNeverOverwrittenAndAMalformedOneIsRefusedWithItsLine() throws Exception {
        Path file = dir.resolve(LockStatCsv.FILE);
        Files.writeString(file, "keep");
        assertThrows(UncheckedIOException.class, () -> LockStatCsv.create(file, "r", List.of()));
        assertEquals("keep", Files.readString(file));

        Path bad = dir.resolve("bad.csv");
        LockStatCsv.create(bad, "r", List.of());
        Files.writeString(bad, "r,none,fault,mmap_lock,1,many,0,0,,,,,,,0\n", java.nio.file.StandardOpenOption.APPEND);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LockStatCsv.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ":2: not a number"), e.getMessage());
    }
}
