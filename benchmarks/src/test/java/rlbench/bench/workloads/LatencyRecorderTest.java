package rlbench.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

class LatencyRecorderTest {

    static final IterationParams WARMUP = new IterationParams(IterationType.WARMUP, 1, TimeValue.seconds(1), 1);
    static final IterationParams MEASUREMENT =
            new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1);

    @Test
    void recordsOnlyDuringMeasurementIterations() {
        LatencyRecorder r = new LatencyRecorder();
        OpLatency l = r.register("fault");
        assertFalse(l.isRecording(), "nothing is recorded before the first iteration says what it is");
        l.record(100);
        l.iteration(WARMUP);
        l.record(200);
        l.recordAtFixedRate(50_000, 1_000);
        assertEquals(0, r.merged().get("fault").getTotalCount(), "warmup samples are dropped");
        l.iteration(MEASUREMENT);
        l.record(300);
        l.record(400);
        l.iteration(WARMUP);
        l.record(500);
        Histogram h = r.merged().get("fault");
        assertEquals(2, h.getTotalCount());
        assertTrue(h.valuesAreEquivalent(400, h.getMaxValue()));
    }

    @Test
    void mergesEveryThreadsHistogramPerOp() throws Exception {
        LatencyRecorder r = new LatencyRecorder();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int id = t;
            threads.add(new Thread(() -> {
                OpLatency fault = r.register("fault");
                OpLatency punch = r.register("punch");
                fault.iteration(MEASUREMENT);
                punch.iteration(MEASUREMENT);
                for (int i = 1; i <= 1000; i++) {
                    fault.record(i * (id + 1L));
                }
                punch.record(1_000_000L * (id + 1));
            }));
        }
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        SortedMap<String, Histogram> m = r.merged();
        assertEquals(List.of("fault", "punch"), List.copyOf(m.keySet()));
        assertEquals(4000, m.get("fault").getTotalCount());
        assertTrue(m.get("fault").valuesAreEquivalent(4000, m.get("fault").getMaxValue()));
        assertEquals(4, m.get("punch").getTotalCount());
        assertTrue(m.get("punch").valuesAreEquivalent(4_000_000, m.get("punch").getMaxValue()));
        assertEquals(4, r.threads("fault"));
    }

    @Test
    void clampsValuesBeyondTheRangeInsteadOfThrowing() {
        OpLatency l = new LatencyRecorder().register("punch");
        l.recording(true);
        l.record(OpLatency.HIGHEST_TRACKABLE_NS * 10);
        l.record(-5);
        assertEquals(2, l.histogram().getTotalCount());
    }

    @Test
    void writesOneHlogPerOpThatTheReaderReadsBack(@TempDir Path dir) throws Exception {
        LatencyRecorder r = new LatencyRecorder();
        r.iterationStarted(WARMUP);
        r.iterationStarted(MEASUREMENT);
        OpLatency a = r.register("fault");
        OpLatency b = r.register("fault");
        OpLatency p = r.register("punch");
        for (OpLatency l : List.of(a, b, p)) {
            l.iteration(MEASUREMENT);
        }
        for (int i = 0; i < 500; i++) {
            a.record(1_000 + i);
            b.record(2_000 + i);
        }
        b.record(7_777_777);
        p.recordAtFixedRate(10_000_000, 1_000_000);
        Thread.sleep(5);
        r.iterationEnded(MEASUREMENT);

        List<Path> files = r.writeLogs(dir.resolve("sub"), List.of("rlbench test comment"));
        assertEquals(2, files.size());
        long pid = ProcessHandle.current().pid();
        for (Path f : files) {
            assertTrue(f.getFileName().toString().matches("(fault|punch)\\." + pid + "\\.\\d+\\.hlog"), f.toString());
        }
        Histogram fault = readOnly(files.get(0));
        assertEquals(1001, fault.getTotalCount());
        assertTrue(fault.valuesAreEquivalent(7_777_777, fault.getMaxValue()));
        assertTrue(fault.getEndTimeStamp() > fault.getStartTimeStamp(), "the interval spans the measurement");
        Histogram punch = readOnly(files.get(1));
        assertEquals(10, punch.getTotalCount());
        assertTrue(punch.valuesAreEquivalent(10_000_000, punch.getMaxValue()));
        String text = Files.readString(files.get(0));
        assertTrue(text.contains("#rlbench test comment"), text);
        assertTrue(text.contains("op=fault threads=2 count=1001"), text);
    }

    @Test
    void keepsOneHistogramPerMeasurementIterationMergedOverThreads(@TempDir Path dir) throws Exception {
        LatencyRecorder r = new LatencyRecorder();
        OpLatency a = r.register("fault");
        OpLatency b = r.register("fault");
        for (int it = 1; it <= 3; it++) {
            r.iterationStarted(MEASUREMENT);
            for (OpLatency l : List.of(a, b)) {
                l.iteration(MEASUREMENT);
                for (int i = 0; i < 10 * it; i++) {
                    l.record(1_000L * it);
                }
            }
            r.iterationEnded(MEASUREMENT);
        }
        List<Histogram> fault = r.perIteration().get("fault");
        assertEquals(3, fault.size(), "three measurement iterations");
        for (int it = 1; it <= 3; it++) {
            Histogram h = fault.get(it - 1);
            assertEquals(2 * 10 * it, h.getTotalCount(), "both threads' ops of iteration " + it);
            assertTrue(h.valuesAreEquivalent(1_000L * it, h.getMaxValue()));
        }
        assertEquals(120, r.merged().get("fault").getTotalCount());

        List<Path> files = r.writeLogs(dir, List.of());
        List<Histogram> back = rlbench.bench.results.Histograms.readIntervals(files.get(0));
        assertEquals(3, back.size(), "one interval per iteration in the .hlog");
        assertEquals(List.of(20L, 40L, 60L), back.stream().map(Histogram::getTotalCount).toList());
    }

    @Test
    void writesNothingUnlessTheDirectoryPropertyIsSet(@TempDir Path dir) throws Exception {
        String old = System.getProperty(LatencyRecorder.DIR_PROPERTY);
        try {
            LatencyRecorder r = new LatencyRecorder();
            OpLatency l = r.register("write");
            l.recording(true);
            l.record(42);
            System.clearProperty(LatencyRecorder.DIR_PROPERTY);
            assertEquals(List.of(), r.writeLogsIfRequested(null));
            System.setProperty(LatencyRecorder.DIR_PROPERTY, dir.toString());
            List<Path> files = r.writeLogsIfRequested(null, "oracle violations=0");
            // The latency log, and with lock statistics on (the default) the op's lock-wait log
            // and the fork's lock statistics, each in its own folder.
            assertEquals(List.of(dir.resolve("write"), dir.resolve(LatencyRecorder.LOCK_WAIT_DIR).resolve("write"),
                    dir.resolve(LatencyRecorder.LOCK_STAT_DIR).resolve("lockstat")),
                    files.stream().map(f -> f.resolveSibling(f.getFileName().toString().replaceAll("\\..*", ""))).toList());
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(3, s.count(), "one .hlog and the two folders");
            }
            assertEquals(1, readOnly(files.get(0)).getTotalCount());
            assertTrue(Files.readString(files.get(0)).contains("#rlbench oracle violations=0"));
        } finally {
            if (old == null) {
                System.clearProperty(LatencyRecorder.DIR_PROPERTY);
            } else {
                System.setProperty(LatencyRecorder.DIR_PROPERTY, old);
            }
        }
    }

    @Test
    void opNamesMustBeFileNameSafe() {
        LatencyRecorder r = new LatencyRecorder();
        assertThrows(IllegalArgumentException.class, () -> r.register("../x"));
        assertThrows(IllegalArgumentException.class, () -> r.register("a.b"));
        assertNotNull(r.register("workerFault"));
    }

    /** The one interval histogram of an .hlog file. */
    static Histogram readOnly(Path file) throws Exception {
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram e = reader.nextIntervalHistogram();
            assertNotNull(e, "no interval in " + file);
            assertNull(reader.nextIntervalHistogram(), "more than one interval in " + file);
            return (Histogram) e;
        }
    }
}
