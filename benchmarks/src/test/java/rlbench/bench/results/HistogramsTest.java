package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistogramsTest {

    /**
     * A key with many parameters gets a name short enough for a Linux file name (with extension),
     * one per key, and parameters replaced whole by a digest rather than cut; a short one is as before.
     */
    @Test
    void aLongNameIsShortenedToADigestOfItsParameters() {
        Map<String, String> p = new java.util.TreeMap<>();
        for (String n : List.of("arrival", "deviceLatencyNs", "deviceMode", "faultKind", "filePages", "framePoolPages",
                "hitRatio", "injectDesign", "injectNs", "punchCache", "punchIntervalUs", "punchPages", "punchTarget",
                "puncher", "ratePerThread")) {
            p.put(n, "value-of-" + n);
        }
        String a = Histograms.fileName("lock-entries", "fault", "fault", 1, p);
        assertTrue(a.length() <= Histograms.MAX_NAME && (a + ".hgrm").length() < 255, a);
        assertTrue(a.matches("lock-entries__fault__fault__t1__sha-[0-9a-f]{16}"), a);
        assertEquals(a, Histograms.fileName("lock-entries", "fault", "fault", 1, new java.util.HashMap<>(p)), "the same key, the same name");
        p.put("ratePerThread", "value-of-ratePerThreae");
        assertTrue(!a.equals(Histograms.fileName("lock-entries", "fault", "fault", 1, p)), "another key, another name");
        Map<String, String> baseline = new java.util.TreeMap<>(Map.of("deviceLatencyNs", "0", "deviceMode", "DATA",
                "faultKind", "read", "filePages", "65536", "framePoolPages", "4096", "hitRatio", "0.9", "pagesPerWrite", "1",
                "punchIntervalUs", "1000", "punchPages", "16", "puncher", "on"));
        baseline.put("readPages", "16");
        assertEquals("lock-entries__mixed__fault__t1__deviceLatencyNs-0_deviceMode-DATA_faultKind-read_filePages-65536_"
                + "framePoolPages-4096_hitRatio-0.9_pagesPerWrite-1_punchIntervalUs-1000_punchPages-16_puncher-on_readPages-16",
                Histograms.fileName("lock-entries", "mixed", "fault", 1, baseline), "the committed baseline's longest name, whole");
        assertEquals("none__fault__fault__t1__filePages-64_puncher-off",
                Histograms.fileName("none", "fault", "fault", 1, Map.of("puncher", "off", "filePages", "64")));
    }

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

    /** A merged histogram of three intervals, as the runner writes them; returns the base path. */
    private Path written() {
        List<Histogram> intervals = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Histogram h = new Histogram(3);
            for (int v = 1; v <= 1000; v++) {
                h.recordValue(v * i);
            }
            intervals.add(h);
        }
        Histograms.write(intervals, dir.resolve("hgrm"), "rwsem__fault__fault__t1__x");
        return dir.resolve("hgrm/rwsem__fault__fault__t1__x");
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
    void whatIsWrittenReadsBackIntervalByIntervalAndAsPercentiles() {
        Path base = written();
        List<Histogram> intervals = Histograms.readIntervals(Path.of(base + ".hlog"));
        assertEquals(3, intervals.size());
        assertEquals(3000, intervals.get(2).getMaxValue(), 3);
        List<Histograms.Percentile> dist = Histograms.readDistribution(Path.of(base + ".hgrm"));
        Histograms.Percentile last = dist.get(dist.size() - 1);
        assertEquals(1.0, last.percentile());
        assertEquals(3000, last.count());
        assertTrue(Double.isInfinite(last.inverseTail()), "the 100th percentile has no finite 1/(1-p)");
        assertTrue(dist.get(0).value() >= 1 && dist.get(0).inverseTail() == 1.0, dist.get(0).toString());
    }

    @Test
    void anEmptyHistogramIsAWholeDistributionWithNoLines() {
        Histograms.write(new Histogram(3), dir, "empty");
        assertEquals(List.of(), Histograms.readDistribution(dir.resolve("empty.hgrm")));
        assertEquals(0, Histograms.read(dir.resolve("empty.hlog")).getTotalCount());
    }

    @Test
    void aMissingFolderMeansNoHistograms() {
        assertTrue(Histograms.mergeByOp(dir.resolve("absent")).isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cut in an interval|CUT_MID|: truncated: the file ends inside this line",
        "cut after an interval|CUT_LINE|: a corrupt or truncated interval histogram",
        "cut after the legend|CUT_HEADER|: no interval histogram in it",
        "garbage text|hello world\\nthis is not a log|:1: not an HdrHistogram log line: 'hello world'",
        "bad base64|#[Histogram log format version 1.3]\\n1.0,2.0,3.0,HISTFAAAxyz\\n|:2: a corrupt or truncated interval histogram",
        "an empty file||: no interval histogram in it",
    })
    void aCorruptOrTruncatedLogIsRefusedByName(String what, String content, String expected) throws Exception {
        Path hlog = Path.of(written() + ".hlog");
        String whole = Files.readString(hlog);
        int lastLine = whole.lastIndexOf('\n', whole.length() - 2) + 1;
        int insideIt = lastLine + (whole.length() - lastLine) / 2;
        String text = switch (String.valueOf(content)) {
            case "CUT_MID" -> whole.substring(0, insideIt);
            case "CUT_LINE" -> whole.substring(0, insideIt) + "\n";
            case "CUT_HEADER" -> whole.substring(0, whole.indexOf("\n", whole.indexOf("StartTimestamp")) + 1);
            case "null" -> "";
            default -> content.replace("\\n", "\n");
        };
        Files.writeString(hlog, text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Histograms.readIntervals(hlog));
        assertTrue(e.getMessage().startsWith(hlog.toString()) && e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cut in a line|CUT|: truncated: the file ends inside this line",
        "cut at a line end|CUT_LINE|: truncated: no '#[Buckets ...]' summary line at its end",
        "not a distribution|some text\\n1 2 3 4|:1: not an HdrHistogram percentile distribution",
        "a garbled line|GARBLE|: not a percentile line",
        "an empty file||: empty, not an HdrHistogram percentile distribution",
    })
    void aCorruptOrTruncatedDistributionIsRefusedByName(String what, String content, String expected) throws Exception {
        Path hgrm = Path.of(written() + ".hgrm");
        String whole = Files.readString(hgrm);
        String text = switch (String.valueOf(content)) {
            case "CUT" -> whole.substring(0, whole.length() / 2);
            case "CUT_LINE" -> whole.substring(0, whole.indexOf('\n', whole.length() / 2) + 1);
            case "GARBLE" -> whole.replaceFirst("\\n(\\s+[0-9.]+) ", "\n$1x ");
            case "null" -> "";
            default -> content.replace("\\n", "\n");
        };
        Files.writeString(hgrm, text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Histograms.readDistribution(hgrm));
        assertTrue(e.getMessage().startsWith(hgrm.toString()) && e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
