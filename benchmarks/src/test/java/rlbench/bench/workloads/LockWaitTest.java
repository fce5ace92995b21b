package rlbench.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rlbench.fs.FileSystem;
import rlbench.fs.block.BlockDevice;
import rlbench.locks.stat.LockPoint;
import rlbench.locks.stat.LockStat;

/**
 * The workloads' lock-wait recording: each op records the time it waited for locks beside its
 * latency, {@code lockstat=off} records nothing, and the forks' lock statistics merge.
 */
class LockWaitTest {

    @TempDir
    Path dir;

    @AfterEach
    void on() {
        LockStat.setEnabled(true);
    }

    private static FaultBenchmark fault(OnOff lockstat) {
        FaultBenchmark b = new FaultBenchmark();
        b.design = "rwsem";
        b.filePages = 512;
        b.hitRatio = 0.0;
        b.deviceLatencyNs = 0;
        b.faultKind = FaultKind.read;
        b.punchPages = 16;
        b.punchIntervalUs = 0;
        b.deviceMode = BlockDevice.Mode.DATA;
        b.lockstat = lockstat;
        return b;
    }

    /** Sets up the workload and one fault worker, and runs {@code ops} measured faults. */
    private static FaultBenchmark runFaults(OnOff lockstat, int ops) {
        FaultBenchmark b = fault(lockstat);
        Trial trial = new Trial();
        b.start(trial, OpThreads.plain("fault", 1));
        LockStat.reset();
        OpThread.FaultWorker w = new OpThread.FaultWorker();
        w.setUp(trial, WorkloadStateTest.thread(0, 1));
        w.iteration(LatencyRecorderTest.MEASUREMENT);
        for (int i = 0; i < ops; i++) {
            w.op.run();
        }
        return b;
    }

    private static LockStat.Snapshot of(LockPoint p) {
        return LockStat.snapshot().stream().filter(s -> s.point() == p).findFirst().orElseThrow();
    }

    @Test
    void everyFaultRecordsItsLockWaitBesideItsLatency() {
        FaultBenchmark b = runFaults(OnOff.on, 50);
        List<Histogram> waits = b.recorder.perIteration(true).get("fault");
        assertEquals(1, waits.size(), "one measurement iteration");
        assertEquals(50, waits.get(0).getTotalCount(), "one value per fault");
        assertEquals(50, waits.get(0).getCountAtValue(0), "one thread alone never waits");
        // Every fault took mmap_lock shared; every one missed, so instantiated its page.
        assertEquals(50, of(FileSystem.MMAP_LOCK).acquisitions());
        assertEquals(50, of(LockPoint.INSTANTIATE).acquisitions());
        assertEquals(0, of(LockPoint.INSTANTIATE).contended());
    }

    @Test
    void lockstatOffRecordsNothing() {
        FaultBenchmark b = runFaults(OnOff.off, 50);
        assertEquals(50, b.recorder.merged().get("fault").getTotalCount(), "the latency is still recorded");
        assertTrue(b.recorder.perIteration(true).get("fault").stream().allMatch(h -> h.getTotalCount() == 0),
                "no lock waits");
        for (LockStat.Snapshot s : LockStat.snapshot()) {
            assertEquals(0, s.acquisitions(), s.point() + " counted while off");
        }
    }

    @Test
    void offWritesNoLockFilesAndOnWritesBothKinds() throws Exception {
        FaultBenchmark off = runFaults(OnOff.off, 5);
        System.setProperty(LatencyRecorder.DIR_PROPERTY, dir.resolve("off").toString());
        try {
            off.recorder.writeLogsIfRequested(null);
            assertTrue(Files.exists(dir.resolve("off")));
            assertTrue(Files.notExists(dir.resolve("off").resolve(LatencyRecorder.LOCK_WAIT_DIR)));
            assertTrue(Files.notExists(dir.resolve("off").resolve(LatencyRecorder.LOCK_STAT_DIR)));

            FaultBenchmark on = runFaults(OnOff.on, 5);
            System.setProperty(LatencyRecorder.DIR_PROPERTY, dir.resolve("on").toString());
            on.recorder.writeLogsIfRequested(null);
            on.recorder.writeLogsIfRequested(null); // a second fork's files, as far as the merge can tell
        } finally {
            System.clearProperty(LatencyRecorder.DIR_PROPERTY);
        }
        try (var files = Files.list(dir.resolve("on").resolve(LatencyRecorder.LOCK_WAIT_DIR))) {
            assertEquals(2, files.count(), "one lock-wait log of op fault per fork");
        }
        Map<String, LockStatLog.Point> merged = LockStatLog.merge(dir.resolve("on").resolve(LatencyRecorder.LOCK_STAT_DIR))
                .stream().collect(Collectors.toMap(LockStatLog.Point::name, p -> p));
        assertEquals(10, merged.get("mmap_lock").acquisitions(), "5 faults in each of two forks");
        assertEquals(0, merged.get("mmap_lock").contended());
        assertEquals(2, merged.get("instantiate").holdNs().getTotalCount(), "each fork sampled its first hold");
    }

    @Test
    void aFileThatIsNotALockStatisticsLogIsRefusedByName() throws Exception {
        Files.createDirectories(dir);
        Path f = Files.writeString(dir.resolve("lockstat.1.2.hlog"), "#nothing here\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LockStatLog.merge(dir));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }
}
