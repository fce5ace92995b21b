package rlbench.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SortedMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.ThreadParams;
import rlbench.bench.targets.Refill;
import rlbench.bench.targets.SimFile;
import rlbench.locks.DesignRegistry;
import rlbench.fs.BlockMap;
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;
import rlbench.fs.Mapping;
import rlbench.fs.Page;
import rlbench.fs.block.BlockDevice;
import rlbench.locks.index.IndexEntry;

/**
 * The benchmark states build what their parameters say; each operation does what it claims. The
 * thread states are the shared {@link OpThread} roles, set up as JMH sets them up: the workload's
 * trial setup binds it to a {@link Trial}, then each role's setup asks the trial's workload for
 * its op with the thread's JMH parameters.
 */
class WorkloadStateTest {

    /** Thread {@code index} of {@code count} threads of a plain benchmark: JMH makes each its own group. */
    static ThreadParams thread(int index, int count) {
        return new ThreadParams(index, count, index, count, 0, 1, 0, 1, 0, 1);
    }

    /** The workload's trial setup, at {@code threads} threads of its plain benchmark {@code method}. */
    private static Trial start(SimulationState b, String method, int threads) {
        Trial trial = new Trial();
        b.start(trial, OpThreads.plain(method, threads));
        return trial;
    }

    private static OpThread.FaultWorker faultWorker(Trial trial, int index) {
        OpThread.FaultWorker w = new OpThread.FaultWorker();
        w.setUp(trial, thread(index, index + 1));
        return w;
    }

    private static OpThread.Puncher puncher(Trial trial, int index) {
        OpThread.Puncher p = new OpThread.Puncher();
        p.setUp(trial, thread(index, index + 1));
        return p;
    }

    private static OpThread.WriteWorker writeWorker(Trial trial, int worker, int workers) {
        OpThread.WriteWorker w = new OpThread.WriteWorker();
        w.setUp(trial, thread(worker, workers));
        return w;
    }

    private static FaultBenchmark faultBench(String design, double hitRatio, FaultKind kind) {
        FaultBenchmark b = new FaultBenchmark();
        b.design = design;
        b.filePages = 512;
        b.hitRatio = hitRatio;
        b.deviceLatencyNs = 0;
        b.faultKind = kind;
        b.punchPages = 16;
        b.punchIntervalUs = 0;
        b.deviceMode = BlockDevice.Mode.DATA;
        return b;
    }

    /** A fault workload of 512 pages, set up; {@code trial[0]} receives its trial. */
    private static FaultBenchmark fault(String design, double hitRatio, FaultKind kind, Trial[] trial) {
        FaultBenchmark b = faultBench(design, hitRatio, kind);
        trial[0] = start(b, "fault", 1);
        return b;
    }

    private static long allCached(Inode f, long pages) {
        return Sim.cachedPages(f, 0, pages - 1);
    }

    @Test
    void zapClearsOnlyThatPtesSoTheNextAccessFaults() {
        FileSystem fs = Sim.newFileSystem("rwsem", 64, 0, BlockDevice.Mode.DATA, 64, rlbench.fs.CacheMode.PAGECACHE);
        Inode f = fs.createFile(64);
        new SimFile(fs, f, DesignRegistry.get("rwsem")).fill(0, 64, Refill.DENSE);
        Mapping m = fs.newProcess().map(f, 0, 64);
        fs.readMapped(m, 5);
        fs.readMapped(m, 6);
        fs.dropCache(f, 5, 6);
        assertNotNull(f.cache().load(5), "a mapped page cannot be dropped");
        fs.zap(m, 5);
        fs.dropCache(f, 5, 6);
        assertNull(f.cache().load(5), "once zapped, nothing maps it");
        assertNotNull(f.cache().load(6), "the neighbour's PTE was left alone");
        assertEquals(0, fs.readMapped(m, 5), "the next access faults the page back in (fallocated: zeroes)");
        assertNotNull(f.cache().load(5));
        assertThrows(IllegalArgumentException.class, () -> fs.zap(m, 64));
    }

    @ParameterizedTest
    @EnumSource(FaultKind.class)
    void hitRatioZeroMakesEveryFaultAMiss(FaultKind kind) {
        Trial[] t = new Trial[1];
        FaultBenchmark b = fault("rwsem", 0.0, kind, t);
        assertEquals(512, allCached(b.file, 512), "the file starts fully cached");
        OpThread.FaultWorker w = faultWorker(t[0], 0);
        w.op.latency.iteration(LatencyRecorderTest.MEASUREMENT);
        for (int i = 0; i < 300; i++) {
            w.op.prepare();
            long p = w.op.page;
            assertNull(b.file.cache().load(p), "page " + p + " was dropped: the fault will be a miss");
            long before = b.file.cache().pages();
            assertTrue(w.op.fault() >= 0);
            assertEquals(before + 1, b.file.cache().pages(), "the miss instantiated one page");
            assertNotNull(b.file.cache().load(p));
        }
        assertEquals(300, b.recorder.merged().get("fault").getTotalCount());
        assertEquals(0, b.fs.oracle().total());
    }

    /**
     * The oracle is compiled out of benchmark JVMs; this shows that what it is compiled out of is
     * the very path the benchmarks run: the workloads' own operations, run here with the oracle
     * on, are checked as {@code rlbench stress}'s are.
     */
    @Test
    void theBenchmarkedOperationsRunThroughTheCheckedPath() {
        Trial[] t = new Trial[1];
        FaultBenchmark b = fault("range-tree", 0.5, FaultKind.read, t);
        OpThread.FaultWorker w = faultWorker(t[0], 0);
        long before = b.fs.oracle().checks();
        for (int i = 0; i < 200; i++) {
            w.op.run();
        }
        assertTrue(b.fs.oracle().checks() - before >= 200, "every benchmarked fault was checked: "
                + (b.fs.oracle().checks() - before) + " checks for 200 faults");

        WriteBenchmark wb = write(WriteBenchmark.Regions.disjoint, 1, 1, t);
        OpThread.WriteWorker ww = writeWorker(t[0], 0, 1);
        for (int i = 0; i < 50; i++) {
            ww.op.run();
        }
        long beforeWriteback = wb.fs.oracle().checks();
        wb.fs.writeback(wb.file, 0, wb.filePages - 1);
        assertTrue(wb.fs.oracle().checks() - beforeWriteback >= 1, "the benchmarked writes' pages are checked on writeback");
        assertEquals(0, b.fs.oracle().total() + wb.fs.oracle().total());
    }

    @Test
    void hitRatioOneKeepsThePageCachedButUnmappedSoEveryAccessIsAHitFault() {
        Trial[] t = new Trial[1];
        FaultBenchmark b = fault("lock-entries", 1.0, FaultKind.read, t);
        OpThread.FaultWorker w = faultWorker(t[0], 3);
        OpThread.FaultWorker other = faultWorker(t[0], 4);
        for (int i = 0; i < 200; i++) {
            other.op.run();
            w.op.prepare();
            long p = w.op.page;
            IndexEntry cached = b.file.cache().load(p);
            assertNotNull(cached, "a hit: the page stays cached");
            long before = b.file.cache().pages();
            w.op.fault();
            assertSame(cached, b.file.cache().load(p), "a hit fault maps the cached page, no new page");
            assertEquals(before, b.file.cache().pages());
            // no mapping keeps a PTE after an operation, so the page can be dropped: the next access
            // through any worker's mapping must fault
            b.fs.dropCache(b.file, p, p);
            assertNull(b.file.cache().load(p), "some mapping still maps page " + p);
            b.fs.readahead(b.file, p, 1); // cached again, for the next hit
        }
    }

    @Test
    void partialHitRatioMissesAboutThatOften() {
        Trial[] t = new Trial[1];
        FaultBenchmark b = fault("page-lock", 0.9, FaultKind.read, t);
        OpThread.FaultWorker w = faultWorker(t[0], 0);
        int misses = 0;
        for (int i = 0; i < 5000; i++) {
            w.op.prepare();
            if (b.file.cache().load(w.op.page) == null) {
                misses++;
            }
            w.op.fault();
        }
        assertTrue(misses > 350 && misses < 650, "about 10% misses: " + misses);
    }

    @Test
    void workersSeededPerThreadPickDifferentPages() {
        Trial[] t = new Trial[1];
        fault("none", 1.0, FaultKind.read, t);
        OpThread.FaultWorker w0 = faultWorker(t[0], 0);
        OpThread.FaultWorker w1 = faultWorker(t[0], 1);
        int same = 0;
        for (int i = 0; i < 100; i++) {
            w0.op.prepare();
            w1.op.prepare();
            if (w0.op.page == w1.op.page) {
                same++;
            }
        }
        assertTrue(same < 10, "threads walk different pages: " + same + " of 100 equal");
    }

    @Test
    void faultPuncherPunchesAndRefillsTheRange() {
        Trial[] t = new Trial[1];
        FaultBenchmark b = fault("range-tree", 0.9, FaultKind.read, t);
        OpThread.Puncher p = puncher(t[0], 0);
        p.op.latency.recording(true);
        long freeBefore = b.fs.allocator().freeBlocks();
        for (int i = 0; i < 20; i++) {
            long first = p.op.run();
            assertTrue(first >= 0 && first + 16 <= 512);
        }
        assertEquals(20, b.recorder.merged().get("punch").getTotalCount());
        assertEquals(512, allCached(b.file, 512), "refilled: every page cached again");
        for (long i = 0; i < 512; i++) {
            assertNotEquals(BlockMap.HOLE, b.file.blockAt(i), "refilled: page " + i + " has a block");
        }
        assertEquals(freeBefore, b.fs.allocator().freeBlocks());
        assertEquals(0, b.fs.oracle().total());
    }

    private static PunchBenchmark punchBench(PunchBenchmark.Cache cache, int filePages, int punchPages) {
        PunchBenchmark b = new PunchBenchmark();
        b.design = "lock-entries";
        b.filePages = filePages;
        b.hitRatio = 0.9;
        b.deviceLatencyNs = 0;
        b.punchPages = punchPages;
        b.cache = cache;
        b.punchIntervalUs = 0;
        b.faultKind = FaultKind.read;
        b.pagesPerWrite = 1;
        b.deviceMode = BlockDevice.Mode.STAMP_ONLY;
        return b;
    }

    /** A punch workload set up as JMH's {@code -tg 1,1,1} would: one puncher, one faulting and one writing thread. */
    private static PunchBenchmark punch(PunchBenchmark.Cache cache, int filePages, int punchPages, Trial[] trial) {
        PunchBenchmark b = punchBench(cache, filePages, punchPages);
        trial[0] = new Trial();
        b.start(trial[0], OpThreads.group(List.of("punch", "workerFault", "workerWrite"), new int[] {1, 1, 1}, 1));
        return b;
    }

    @Test
    void denseCacheHasEveryPageOfThePunchAreaCachedBeforeEveryPunch() {
        Trial[] t = new Trial[1];
        PunchBenchmark b = punch(PunchBenchmark.Cache.dense, 32768, 8192, t);
        int half = b.half;
        assertEquals(16384, half);
        assertEquals(half, Sim.cachedPages(b.file, 0, half - 1));
        OpThread.Puncher p = puncher(t[0], 0);
        for (int i = 0; i < 3; i++) {
            p.op.run();
            long first = p.op.lastFirst;
            assertTrue(first >= 0 && first + 8192 <= half, "the punch stays in the puncher's half");
            assertEquals(half, Sim.cachedPages(b.file, 0, half - 1), "dense again after the refill");
            assertEquals(8192, Sim.cachedPages(b.file, first, first + 8191));
        }
        assertEquals(b.filePages - half, Sim.cachedPages(b.file, half, b.filePages - 1), "workers' half cached");
    }

    @Test
    void sparseCacheHasAlmostNothingCachedButEveryBlock() {
        Trial[] t = new Trial[1];
        PunchBenchmark b = punch(PunchBenchmark.Cache.sparse, 32768, 8192, t);
        int half = b.half;
        long cached = Sim.cachedPages(b.file, 0, half - 1);
        assertTrue(cached <= half / Refill.SPARSE_STRIDE + 1, "a handful cached: " + cached);
        OpThread.Puncher p = puncher(t[0], 0);
        for (int i = 0; i < 3; i++) {
            p.op.run();
            assertTrue(Sim.cachedPages(b.file, 0, half - 1) <= half / Refill.SPARSE_STRIDE + 1);
        }
        for (long i = 0; i < half; i++) {
            assertNotEquals(BlockMap.HOLE, b.file.blockAt(i), "page " + i + " has a block to free");
        }
    }

    @Test
    void punchEvictsTheRangeThenTheRefillRestoresItAndOnePunchIsRecorded() {
        Trial[] t = new Trial[1];
        PunchBenchmark b = punch(PunchBenchmark.Cache.dense, 4096, 64, t);
        OpThread.Puncher p = puncher(t[0], 0);
        p.iteration(LatencyRecorderTest.MEASUREMENT);
        boolean[] windowSeen = new boolean[1];
        b.fs.onInvalidationWindow((f, first, last) -> {
            assertEquals(0, Sim.cachedPages(f, first, last), "evicted before the blocks are freed");
            windowSeen[0] = true;
        });
        p.op.run();
        long first = p.op.lastFirst;
        assertTrue(windowSeen[0], "the punch ran");
        for (int k = 0; k < 64; k++) {
            assertNotNull(b.file.cache().load(first + k), "refilled after the punch");
        }
        assertEquals(1, b.recorder.merged().get("punch").getTotalCount());
    }

    @Test
    void punchRangeMustFitTheFilesHalf() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> punch(PunchBenchmark.Cache.dense, 1024, 1024, new Trial[1]));
        assertEquals("punchPages=1024 is larger than the puncher's half of the file (512 pages of filePages=1024)", e.getMessage());
        punch(PunchBenchmark.Cache.dense, 1024, 512, new Trial[1]);
    }

    @Test
    void punchWorkersStayInTheirHalf() {
        Trial[] t = new Trial[1];
        PunchBenchmark b = punch(PunchBenchmark.Cache.sparse, 4096, 64, t);
        OpThread.FaultWorker fw = faultWorker(t[0], 1);
        OpThread.WriteWorker ww = writeWorker(t[0], 2, 3);
        for (int i = 0; i < 500; i++) {
            fw.op.run();
            assertTrue(fw.op.page >= b.half && fw.op.page < b.filePages);
            ww.op.run();
        }
        for (long i = 0; i < b.half; i++) {
            IndexEntry e = b.file.cache().load(i);
            assertTrue(e == null || !((Page) e).isDirty(), "no worker wrote into the puncher's half");
        }
    }

    private static WriteBenchmark writeBench(WriteBenchmark.Regions regions, int pagesPerWrite) {
        WriteBenchmark b = new WriteBenchmark();
        b.design = "rwsem";
        b.filePages = 1024;
        b.hitRatio = 1.0;
        b.deviceLatencyNs = 0;
        b.pagesPerWrite = pagesPerWrite;
        b.regions = regions;
        b.punchPages = 16;
        b.punchIntervalUs = 0;
        b.deviceMode = BlockDevice.Mode.DATA;
        return b;
    }

    /** A write workload of 1024 pages set up for {@code writers} writing threads. */
    private static WriteBenchmark write(WriteBenchmark.Regions regions, int pagesPerWrite, int writers, Trial[] trial) {
        WriteBenchmark b = writeBench(regions, pagesPerWrite);
        trial[0] = start(b, "write", writers);
        return b;
    }

    private static long dirtyIn(Inode f, long first, long last) {
        long n = 0;
        for (long i = first; i <= last; i++) {
            IndexEntry e = f.cache().load(i);
            if (e instanceof Page p && p.isDirty()) {
                n++;
            }
        }
        return n;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16})
    void disjointWritersWriteOnlyTheirOwnSlice(int pagesPerWrite) {
        Trial[] t = new Trial[1];
        WriteBenchmark b = write(WriteBenchmark.Regions.disjoint, pagesPerWrite, 4, t);
        assertEquals(0, dirtyIn(b.file, 0, 1023), "the file starts clean");
        OpThread.WriteWorker w = writeWorker(t[0], 2, 4);
        w.op.latency.recording(true);
        for (int i = 0; i < 200; i++) {
            assertTrue(w.op.run() > 0);
        }
        assertEquals(0, dirtyIn(b.file, 0, 511) + dirtyIn(b.file, 768, 1023), "nothing outside slice 2 of 4");
        assertTrue(dirtyIn(b.file, 512, 767) > 0);
        if (pagesPerWrite == 16) {
            for (long i = 512; i < 768; i += 16) {
                long d = dirtyIn(b.file, i, i + 15);
                assertTrue(d == 0 || d == 16, "writes are whole aligned 16-page runs");
            }
        }
        assertEquals(200, b.recorder.merged().get("write").getTotalCount());
    }

    @Test
    void sharedWritersAllWriteTheFirstSlice() {
        Trial[] trial = new Trial[1];
        WriteBenchmark b = write(WriteBenchmark.Regions.shared, 1, 4, trial);
        for (int t = 0; t < 4; t++) {
            OpThread.WriteWorker w = writeWorker(trial[0], t, 4);
            for (int i = 0; i < 100; i++) {
                w.op.run();
            }
        }
        assertEquals(0, dirtyIn(b.file, 256, 1023));
        assertTrue(dirtyIn(b.file, 0, 255) > 100);
    }

    @Test
    void writePuncherLeavesHoles() {
        Trial[] t = new Trial[1];
        WriteBenchmark b = write(WriteBenchmark.Regions.disjoint, 1, 1, t);
        OpThread.Puncher p = puncher(t[0], 0);
        long first = p.op.run();
        for (long i = first; i < first + 16; i++) {
            assertEquals(BlockMap.HOLE, b.file.blockAt(i));
            assertNull(b.file.cache().load(i));
        }
    }

    @Test
    void mixedRunsEveryOpAndRecordsEach() {
        MixedBenchmark b = new MixedBenchmark();
        b.design = "page-lock";
        b.filePages = 1024;
        b.hitRatio = 0.5;
        b.deviceLatencyNs = 0;
        b.punchPages = 16;
        b.punchIntervalUs = 0;
        b.faultKind = FaultKind.read;
        b.readPages = 16;
        b.pagesPerWrite = 1;
        b.deviceMode = BlockDevice.Mode.DATA;
        Trial trial = new Trial();
        b.start(trial, OpThreads.group(List.of("punch", "workerFault", "workerRead", "workerWrite"), new int[] {1, 1, 1, 1}, 1));
        OpThread.Puncher p = new OpThread.Puncher();
        OpThread.FaultWorker f = new OpThread.FaultWorker();
        OpThread.ReadWorker r = new OpThread.ReadWorker();
        OpThread.WriteWorker w = new OpThread.WriteWorker();
        // one group of four threads, one a method: -tg 1,1,1,1
        p.setUp(trial, new ThreadParams(0, 4, 0, 1, 0, 4, 0, 4, 0, 1));
        f.setUp(trial, new ThreadParams(1, 4, 0, 1, 1, 4, 1, 4, 0, 1));
        r.setUp(trial, new ThreadParams(2, 4, 0, 1, 2, 4, 2, 4, 0, 1));
        w.setUp(trial, new ThreadParams(3, 4, 0, 1, 3, 4, 3, 4, 0, 1));
        p.iteration(LatencyRecorderTest.MEASUREMENT);
        f.iteration(LatencyRecorderTest.MEASUREMENT);
        r.iteration(LatencyRecorderTest.MEASUREMENT);
        w.iteration(LatencyRecorderTest.MEASUREMENT);
        for (int i = 0; i < 50; i++) {
            b.punch(p);
            b.workerFault(f);
            b.workerRead(r);
            b.workerWrite(w);
        }
        SortedMap<String, Histogram> m = b.recorder.merged();
        assertEquals(java.util.List.of("fault", "punch", "read", "write"), java.util.List.copyOf(m.keySet()));
        for (Histogram h : m.values()) {
            assertEquals(50, h.getTotalCount());
        }
        assertEquals(0, b.fs.oracle().total());
    }

    @Test
    void readersDropTheirRangeOnAMiss() {
        FileSystem fs = Sim.newFileSystem("rwsem", 256, 0, BlockDevice.Mode.DATA, 64, rlbench.fs.CacheMode.PAGECACHE);
        Inode f = fs.createFile(256);
        SimFile target = new SimFile(fs, f, DesignRegistry.get("rwsem"));
        target.fill(0, 256, Refill.DENSE);
        Reader r = new Reader(target, 0, 256, 16, 0.0, Sim.rng(0, 4), new LatencyRecorder().register("read"));
        IndexEntry[] before = new IndexEntry[256];
        for (int i = 0; i < 256; i++) {
            before[i] = f.cache().load(i);
        }
        r.run();
        int replaced = 0;
        for (int i = 0; i < 256; i++) {
            IndexEntry now = f.cache().load(i);
            assertNotNull(now);
            if (now != before[i]) {
                replaced++;
            }
        }
        assertEquals(16, replaced, "the 16 pages read were dropped, then read back in by readahead");
    }

    @Test
    void badParametersAreRefusedWithTheirNameByTheDeclarationsTheRunnerUses() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fault("nope", 0.5, FaultKind.read, new Trial[1]));
        assertTrue(e.getMessage().contains("unknown design"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fault("rwsem", 1.5, FaultKind.read, new Trial[1]));
        assertEquals("hitRatio=1.5 is outside 0..1", e.getMessage());
        FaultBenchmark noFile = faultBench("rwsem", 0.5, FaultKind.read);
        noFile.filePages = 0;
        e = assertThrows(IllegalArgumentException.class, () -> start(noFile, "fault", 1));
        assertEquals("filePages=0 is outside 1..67108864 (2^26 pages, 256 GiB of 4 KiB pages)", e.getMessage());
        FaultBenchmark wide = faultBench("rwsem", 0.5, FaultKind.read);
        wide.punchPages = 513;
        e = assertThrows(IllegalArgumentException.class, () -> start(wide, "fault", 1));
        assertEquals("punchPages=513 is larger than filePages=512: a punch must fit in the file", e.getMessage());
        FaultBenchmark slow = faultBench("rwsem", 0.5, FaultKind.read);
        slow.punchIntervalUs = -1;
        e = assertThrows(IllegalArgumentException.class, () -> start(slow, "fault", 1));
        assertTrue(e.getMessage().startsWith("punchIntervalUs=-1 is outside 0..1000000"), e.getMessage());
    }

    @Test
    void aWriteMustFitEachWritersSliceSoAddingWritersCanRefuseIt() {
        WriteBenchmark b = writeBench(WriteBenchmark.Regions.disjoint, 16);
        start(b, "write", 64); // 1024 / 64 = 16 pages each: fits
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(b, "write", 65));
        assertEquals("pagesPerWrite=16 is larger than a writing thread's slice of the file (filePages=1024 over 65 writing "
                + "threads: 15 pages)", e.getMessage());
        WriteBenchmark grouped = writeBench(WriteBenchmark.Regions.shared, 16);
        Trial trial = new Trial();
        e = assertThrows(IllegalArgumentException.class, () -> grouped.start(trial,
                OpThreads.group(List.of("punch", "workerWrite"), new int[] {1, 65}, 1)));
        assertTrue(e.getMessage().contains("over 65 writing threads"), "the puncher is no writer: " + e.getMessage());
    }

    @Test
    void aRolesSetupBeforeTheWorkloadBoundItsTrialSaysSo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> puncher(new Trial(), 0));
        assertTrue(e.getMessage().contains("before the workload's"), e.getMessage());
    }

    @Test
    void aRoleTheWorkloadDoesNotHaveIsRefused() {
        Trial[] t = new Trial[1];
        write(WriteBenchmark.Regions.disjoint, 1, 1, t);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> faultWorker(t[0], 0));
        assertEquals("WriteBenchmark has no faulting threads", e.getMessage());
    }
}
