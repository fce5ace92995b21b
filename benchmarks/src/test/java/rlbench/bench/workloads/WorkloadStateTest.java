package rlbench.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SortedMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rlbench.fs.BlockMap;
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;
import rlbench.fs.Mapping;
import rlbench.fs.Page;
import rlbench.locks.index.IndexEntry;

/** The benchmark states build what their parameters say; each operation does what it claims. */
class WorkloadStateTest {

    private static FaultBenchmark fault(String design, double hitRatio, String kind) {
        FaultBenchmark b = new FaultBenchmark();
        b.design = design;
        b.filePages = 512;
        b.hitRatio = hitRatio;
        b.deviceLatencyNs = 0;
        b.faultKind = kind;
        b.punchPages = 16;
        b.punchIntervalUs = 0;
        b.deviceMode = "DATA";
        b.setUp();
        return b;
    }

    private static long allCached(Inode f, long pages) {
        return Sim.cachedPages(f, 0, pages - 1);
    }

    @Test
    void zapClearsOnlyThatPtesSoTheNextAccessFaults() {
        FileSystem fs = Sim.newFileSystem("rwsem", 64, 0, "DATA", 64);
        Inode f = fs.createFile(64);
        Sim.fill(fs, f, 0, 64, Sim.Refill.DENSE);
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
    @ValueSource(strings = {"read", "write"})
    void hitRatioZeroMakesEveryFaultAMiss(String kind) {
        FaultBenchmark b = fault("rwsem", 0.0, kind);
        assertEquals(512, allCached(b.file, 512), "the file starts fully cached");
        FaultBenchmark.FaultWorker w = new FaultBenchmark.FaultWorker();
        w.init(b, 0);
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
        FaultBenchmark b = fault("range-tree", 0.5, "read");
        FaultBenchmark.FaultWorker w = new FaultBenchmark.FaultWorker();
        w.init(b, 0);
        long before = b.fs.oracle().checks();
        for (int i = 0; i < 200; i++) {
            w.op.run();
        }
        assertTrue(b.fs.oracle().checks() - before >= 200, "every benchmarked fault was checked: "
                + (b.fs.oracle().checks() - before) + " checks for 200 faults");

        WriteBenchmark wb = write("disjoint", 1);
        WriteBenchmark.WriteWorker ww = new WriteBenchmark.WriteWorker();
        ww.init(wb, 0, 0, 1);
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
        FaultBenchmark b = fault("lock-entries", 1.0, "read");
        FaultBenchmark.FaultWorker w = new FaultBenchmark.FaultWorker();
        w.init(b, 3);
        FaultBenchmark.FaultWorker other = new FaultBenchmark.FaultWorker();
        other.init(b, 4);
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
        FaultBenchmark b = fault("page-lock", 0.9, "read");
        FaultBenchmark.FaultWorker w = new FaultBenchmark.FaultWorker();
        w.init(b, 0);
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
        FaultBenchmark b = fault("none", 1.0, "read");
        FaultBenchmark.FaultWorker w0 = new FaultBenchmark.FaultWorker();
        w0.init(b, 0);
        FaultBenchmark.FaultWorker w1 = new FaultBenchmark.FaultWorker();
        w1.init(b, 1);
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
        FaultBenchmark b = fault("range-tree", 0.9, "read");
        FaultBenchmark.Puncher p = new FaultBenchmark.Puncher();
        p.init(b, 0);
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

    private static PunchBenchmark punch(String cache, int filePages, int punchPages) {
        PunchBenchmark b = new PunchBenchmark();
        b.design = "lock-entries";
        b.filePages = filePages;
        b.hitRatio = 0.9;
        b.deviceLatencyNs = 0;
        b.punchPages = punchPages;
        b.cache = cache;
        b.punchIntervalUs = 0;
        b.faultKind = "read";
        b.pagesPerWrite = 1;
        b.deviceMode = "STAMP_ONLY";
        b.setUp();
        return b;
    }

    @Test
    void denseCacheHasEveryPageOfThePunchAreaCachedBeforeEveryPunch() {
        PunchBenchmark b = punch("dense", 32768, 8192);
        int half = b.half;
        assertEquals(16384, half);
        assertEquals(half, Sim.cachedPages(b.file, 0, half - 1));
        PunchBenchmark.Puncher p = new PunchBenchmark.Puncher();
        p.init(b, 0);
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
        PunchBenchmark b = punch("sparse", 32768, 8192);
        int half = b.half;
        long cached = Sim.cachedPages(b.file, 0, half - 1);
        assertTrue(cached <= half / Sim.SPARSE_STRIDE + 1, "a handful cached: " + cached);
        PunchBenchmark.Puncher p = new PunchBenchmark.Puncher();
        p.init(b, 0);
        for (int i = 0; i < 3; i++) {
            p.op.run();
            assertTrue(Sim.cachedPages(b.file, 0, half - 1) <= half / Sim.SPARSE_STRIDE + 1);
        }
        for (long i = 0; i < half; i++) {
            assertNotEquals(BlockMap.HOLE, b.file.blockAt(i), "page " + i + " has a block to free");
        }
    }

    @Test
    void punchEvictsTheRangeThenTheRefillRestoresItAndOnePunchIsRecorded() {
        PunchBenchmark b = punch("dense", 4096, 64);
        PunchBenchmark.Puncher p = new PunchBenchmark.Puncher();
        p.init(b, 0);
        p.op.latency.iteration(LatencyRecorderTest.MEASUREMENT);
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
        assertThrows(IllegalArgumentException.class, () -> punch("dense", 1024, 1024));
        assertThrows(IllegalArgumentException.class, () -> punch("lukewarm", 1024, 1));
    }

    @Test
    void punchWorkersStayInTheirHalf() {
        PunchBenchmark b = punch("sparse", 4096, 64);
        PunchBenchmark.FaultWorker fw = new PunchBenchmark.FaultWorker();
        fw.init(b, 1);
        PunchBenchmark.WriteWorker ww = new PunchBenchmark.WriteWorker();
        ww.init(b, 2);
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

    private static WriteBenchmark write(String regions, int pagesPerWrite) {
        WriteBenchmark b = new WriteBenchmark();
        b.design = "rwsem";
        b.filePages = 1024;
        b.hitRatio = 1.0;
        b.deviceLatencyNs = 0;
        b.pagesPerWrite = pagesPerWrite;
        b.regions = regions;
        b.punchPages = 16;
        b.punchIntervalUs = 0;
        b.deviceMode = "DATA";
        b.setUp();
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
        WriteBenchmark b = write("disjoint", pagesPerWrite);
        assertEquals(0, dirtyIn(b.file, 0, 1023), "the file starts clean");
        WriteBenchmark.WriteWorker w = new WriteBenchmark.WriteWorker();
        w.init(b, 2, 2, 4);
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
        WriteBenchmark b = write("shared", 1);
        for (int t = 0; t < 4; t++) {
            WriteBenchmark.WriteWorker w = new WriteBenchmark.WriteWorker();
            w.init(b, t, t, 4);
            for (int i = 0; i < 100; i++) {
                w.op.run();
            }
        }
        assertEquals(0, dirtyIn(b.file, 256, 1023));
        assertTrue(dirtyIn(b.file, 0, 255) > 100);
    }

    @Test
    void writePuncherLeavesHoles() {
        WriteBenchmark b = write("disjoint", 1);
        WriteBenchmark.Puncher p = new WriteBenchmark.Puncher();
        p.init(b, 0);
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
        b.faultKind = "read";
        b.readPages = 16;
        b.pagesPerWrite = 1;
        b.deviceMode = "DATA";
        b.setUp();
        MixedBenchmark.Puncher p = new MixedBenchmark.Puncher();
        MixedBenchmark.FaultWorker f = new MixedBenchmark.FaultWorker();
        MixedBenchmark.ReadWorker r = new MixedBenchmark.ReadWorker();
        MixedBenchmark.WriteWorker w = new MixedBenchmark.WriteWorker();
        org.openjdk.jmh.infra.ThreadParams tp = new org.openjdk.jmh.infra.ThreadParams(4, 0, 1, 0, 4, 0, 4, 0, 1, 0);
        p.setUp(b, tp);
        f.setUp(b, tp);
        r.setUp(b, tp);
        w.setUp(b, tp);
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
        FileSystem fs = Sim.newFileSystem("rwsem", 256, 0, "DATA", 64);
        Inode f = fs.createFile(256);
        Sim.fill(fs, f, 0, 256, Sim.Refill.DENSE);
        Reader r = new Reader(fs, f, 0, 256, 16, 0.0, Sim.rng(0, 4), new LatencyRecorder().register("read"));
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
    void badParametersAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fault("nope", 0.5, "read"));
        assertTrue(e.getMessage().contains("unknown design"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fault("rwsem", 1.5, "read"));
        assertTrue(e.getMessage().contains("hitRatio"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fault("rwsem", 0.5, "exec"));
        assertTrue(e.getMessage().contains("faultKind"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> write("everywhere", 1));
        assertTrue(e.getMessage().contains("regions"), e.getMessage());
    }
}
