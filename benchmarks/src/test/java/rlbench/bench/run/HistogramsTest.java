package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramsTest {

    @TempDir
    Path dir;

    private void fork(String op, String id, long... values) throws Exception {
        Histogram h = new Histogram(3);
        for (long v : values) {
            h.recordValue(v);
        }
        h.setStartTimeStamp(1000);
        h.setEndTimeStamp(2000);
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(op + "." + id + ".hlog")))) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputLogFormatVersion();
            w.outputIntervalHistogram(h);
        }
    }

    @Test
    void forksAreMergedPerOpAndTheMergeLoadsBackWithHdrHistogram() throws Exception {
        fork("fault", "11.1", 100, 200, 300);
        fork("fault", "12.2", 5_000);
        fork("punch", "11.3", 1_000_000);
        Map<String, Histogram> merged = Histograms.mergeByOp(dir);
        assertEquals(2, merged.size());
        assertEquals(4, merged.get("fault").getTotalCount());
        assertEquals(5_000, merged.get("fault").getMaxValue(), 5);
        assertEquals(1, merged.get("punch").getTotalCount());

        Path out = dir.resolve("hgrm");
        Histograms.write(merged.get("fault"), out, "rwsem__fault__fault__t2__x");
        HistogramLogReader reader = new HistogramLogReader(out.resolve("rwsem__fault__fault__t2__x.hlog").toFile());
        Histogram back = (Histogram) reader.nextIntervalHistogram();
        assertEquals(4, back.getTotalCount());
        assertEquals(merged.get("fault").getValueAtPercentile(50), back.getValueAtPercentile(50));
        String hgrm = Files.readString(out.resolve("rwsem__fault__fault__t2__x.hgrm"));
        assertTrue(hgrm.contains("Value     Percentile TotalCount 1/(1-Percentile)"), hgrm);
        assertTrue(hgrm.contains("#[Max"), hgrm);
    }

    @Test
    void aMissingFolderMeansNoHistograms() {
        assertTrue(Histograms.mergeByOp(dir.resolve("absent")).isEmpty());
    }
}
