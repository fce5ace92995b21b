package rlbench.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import rlbench.fs.block.BlockDevice;

/**
 * The knobs the workloads share and the disjoint puncher: open-loop workers time each op from its
 * scheduled start, so a stall shows in every op it delayed; a disjoint punch never touches the
 * workers' pages and leaves its own range in the state asked for; an injected busy-wait slows the
 * chosen design's ops and no other's; and the rules between these parameters.
 */
class OpenLoopTest {

    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static FaultBenchmark fault(String design) {
        FaultBenchmark b = new FaultBenchmark();
        b.design = design;
        b.filePages = 512;
        b.hitRatio = 1.0;
        b.faultKind = FaultKind.read;
        b.punchPages = 64;
        b.punchIntervalUs = 0;
        b.deviceMode = BlockDevice.Mode.STAMP_ONLY;
        return b;
    }

    private static Trial start(SimulationState b, String method) {
        Trial trial = new Trial();
        b.start(trial, OpThreads.plain(method, 1));
        return trial;
    }

    private static OpThread.FaultWorker faultWorker(Trial trial) {
        OpThread.FaultWorker w = new OpThread.FaultWorker();
        w.setUp(trial, WorkloadStateTest.thread(0, 1));
        w.iteration(LatencyRecorderTest.MEASUREMENT);
        return w;
    }

    /**
     * Open loop at 1 ms: the worker stalls 20 ms between two ops (descheduled, or its untimed
     * part overran). The op after the stall is timed from its slot, 1 ms after the first op's, so
     * it records the whole stall, and the 19 or so slots the stall swallowed are back-filled with
     * what they would have waited: at least one sample at each whole millisecond up to 19 ms.
     * Closed loop, the same stall records two samples and no trace of it.
     */
    @Test
    void anOpenLoopStallShowsInEveryOpItDelayed() throws InterruptedException {
        FaultBenchmark b = fault("rwsem");
        b.arrival = Arrival.open;
        b.ratePerThread = 1000;
        OpThread.FaultWorker w = faultWorker(start(b, "fault"));
        assertEquals(MS, w.op.intervalNanos());
        w.op.run();
        Thread.sleep(20);
        w.op.run();
        Histogram h = w.op.latency.histogram();
        assertTrue(h.getMaxValue() >= 19 * MS, "the op after the stall is timed from its slot: " + h.getMaxValue());
        for (long k = 1; k <= 18; k++) {
            long lo = h.lowestEquivalentValue(k * MS);
            assertTrue(h.getCountBetweenValues(lo, h.highestEquivalentValue(lo + MS - 1)) >= 1,
                    "a back-filled op waited about " + k + " ms");
        }
        assertTrue(h.getTotalCount() >= 20, "two ops and the slots between them: " + h.getTotalCount());

        FaultBenchmark c = fault("rwsem");
        OpThread.FaultWorker cw = faultWorker(start(c, "fault"));
        assertEquals(0, cw.op.intervalNanos(), "closed loop is the default");
        cw.op.run();
        Thread.sleep(20);
        cw.op.run();
        assertEquals(2, cw.op.latency.histogram().getTotalCount(), "closed loop: one sample per op, the stall unseen");
    }

    /** The open schedule restarts each iteration: JMH's pause between iterations is no stall. */
    @Test
    void theScheduleRestartsEachIteration() throws InterruptedException {
        FaultBenchmark b = fault("rwsem");
        b.arrival = Arrival.open;
        b.ratePerThread = 1000;
        OpThread.FaultWorker w = faultWorker(start(b, "fault"));
        w.op.run();
        Thread.sleep(20);
        w.iteration(LatencyRecorderTest.MEASUREMENT);
        w.op.run();
        assertEquals(1, w.op.latency.histogram().getTotalCount(), "the new iteration's first op starts a new schedule");
    }

    /**
     * Disjoint: every punch falls in the first half and no worker page is ever punched or
     * re-instantiated (the same page objects stay cached); the workers fault in the second half
     * only; and after each punch the puncher's half is back in its state, dense or sparse.
     */
    @ParameterizedTest
    @EnumSource(value = PunchCache.class, names = {"dense", "sparse"})
    void disjointPunchesNeverTouchTheWorkersHalf(PunchCache cache) {
        FaultBenchmark b = fault("range-tree");
        b.punchTarget = PunchTarget.disjoint;
        b.punchCache = cache;
        Trial trial = start(b, "withPuncher");
        Object[] before = new Object[256];
        for (int p = 256; p < 512; p++) {
            before[p - 256] = b.file.cache().load(p);
        }
        long punchedHalf = cache == PunchCache.dense ? 256 : 1;
        assertEquals(punchedHalf, Sim.cachedPages(b.file, 0, 255), "the puncher's half starts in the " + cache + " state");
        OpThread.Puncher punch = new OpThread.Puncher();
        punch.setUp(trial, WorkloadStateTest.thread(0, 1));
        OpThread.FaultWorker w = faultWorker(trial);
        for (int i = 0; i < 200; i++) {
            punch.op.run();
            assertTrue(punch.op.lastFirst >= 0 && punch.op.lastFirst + 64 <= 256, "punched at " + punch.op.lastFirst);
            assertEquals(punchedHalf, Sim.cachedPages(b.file, 0, 255), "refilled to " + cache + " after the punch");
            w.op.prepare();
            assertTrue(w.op.page >= 256 && w.op.page < 512, "a worker faults page " + w.op.page);
            w.op.fault();
        }
        for (int p = 256; p < 512; p++) {
            assertSame(before[p - 256], b.file.cache().load(p), "worker page " + p + " was never punched");
        }
    }

    /** Overlap, the default, punches over the whole file, the workers' pages included. */
    @Test
    void overlappingPunchesReachTheWorkersPages() {
        FaultBenchmark b = fault("range-tree");
        Trial trial = start(b, "withPuncher");
        OpThread.Puncher punch = new OpThread.Puncher();
        punch.setUp(trial, WorkloadStateTest.thread(0, 1));
        boolean high = false;
        for (int i = 0; i < 200 && !high; i++) {
            punch.op.run();
            high = punch.op.lastFirst + 64 > 256;
        }
        assertTrue(high, "some punch reached the second half");
    }

    /** How long one whole op of a fresh fault workload of {@code design} takes, injecting into {@code inject}. */
    private static long oneOpNanos(String design, String inject, long injectNs) {
        FaultBenchmark b = fault(design);
        b.injectDesign = inject;
        b.injectNs = injectNs;
        OpThread.FaultWorker w = faultWorker(start(b, "fault"));
        w.op.run(); // first touch of the classes, outside the measurement
        long t0 = System.nanoTime();
        w.op.run();
        return System.nanoTime() - t0;
    }

    /**
     * injectNs busy-waits inside the chosen design's op, so it shows in the histogram too; the
     * other design's op is not slowed (bounded far below the injection, not timed finely).
     */
    @Test
    void injectNsSlowsTheChosenDesignOnly() {
        long n = 200 * MS;
        assertTrue(oneOpNanos("rwsem", "rwsem", n) >= n, "the chosen design's op took at least injectNs");
        assertTrue(oneOpNanos("range-tree", "rwsem", n) < n, "another design's op is not slowed");

        FaultBenchmark b = fault("rwsem");
        b.injectDesign = "rwsem";
        b.injectNs = 5 * MS;
        OpThread.FaultWorker w = faultWorker(start(b, "fault"));
        w.op.run();
        assertTrue(w.op.latency.histogram().getMinValue() >= b.injectNs * 999 / 1000, "the wait is inside the timed part");
    }

    /** An op that spins {@code nanos} in its timed part, with its own histogram. */
    private static TimedOp spinning(long nanos) {
        return new TimedOp(new OpLatency("fault")) {
            @Override
            long run() {
                long slot = begin();
                spinUntil(System.nanoTime() + nanos);
                end(slot);
                return slot;
            }
        };
    }

    /**
     * injectPct adds that share of the op's own time inside the timed part: an op of 20 ms
     * slowed by 50% records at least 30 ms; the same op not slowed records under 30 ms is not
     * asserted (a noisy machine can stall any op), only that the injected one is the slower.
     */
    @Test
    void injectPctSlowsEachOpInProportionToItsOwnTime() {
        TimedOp slowed = spinning(20 * MS);
        slowed.latency.recording(true);
        slowed.inject(0, 50);
        slowed.run();
        assertTrue(slowed.latency.histogram().getMinValue() >= 30 * MS * 999 / 1000,
                "a 20 ms op slowed by 50% took " + slowed.latency.histogram().getMinValue() + " ns");

        FaultBenchmark b = fault("rwsem");
        b.injectDesign = "rwsem";
        b.injectPct = 10;
        b.check(OpThreads.plain("fault", 1));
        b.injectDesign = SimulationState.NO_INJECT;
        assertTrue(refusal(b).startsWith("injectPct=10 needs the design to slow"), refusal(b));
        b.injectPct = 1001;
        assertTrue(refusal(b).startsWith("injectPct=1001"), refusal(b));
    }

    private static String refusal(SimulationState b) {
        return assertThrows(IllegalArgumentException.class, () -> b.check(OpThreads.plain("fault", 1))).getMessage();
    }

    @Test
    void theKnobsRulesRefuseWhatCannotRun() {
        FaultBenchmark b = fault("rwsem");
        b.arrival = Arrival.open;
        assertTrue(refusal(b).startsWith("arrival=open needs a rate"), refusal(b));
        b.arrival = Arrival.closed;
        b.ratePerThread = 1000;
        assertTrue(refusal(b).startsWith("ratePerThread=1000 paces open-loop workers only"), refusal(b));
        b.ratePerThread = 0;
        b.injectNs = 10;
        assertTrue(refusal(b).startsWith("injectNs=10 needs the design to slow"), refusal(b));
        b.injectDesign = "btree";
        assertTrue(refusal(b).startsWith("injectDesign=btree is not a design (known: "), refusal(b));
        b.injectDesign = "rwsem";
        b.injectNs = 0;
        assertTrue(refusal(b).startsWith("injectDesign=rwsem injects nothing without -p injectNs=N or -p injectPct=P"), refusal(b));
        b.injectNs = 10;
        b.check(OpThreads.plain("fault", 1));
    }

    @Test
    void disjointPunchesFitThePunchersHalfAndRefillWhatTheyPunch() {
        FaultBenchmark f = fault("rwsem");
        f.punchTarget = PunchTarget.disjoint;
        f.punchPages = 257;
        assertEquals("punchPages=257 is larger than the puncher's half of the file with punchTarget=disjoint "
                + "(256 pages of filePages=512)", refusal(f));
        f.punchPages = 256;
        f.check(OpThreads.plain("fault", 1));
        f.punchCache = PunchCache.none;
        assertTrue(refusal(f).startsWith("punchCache=none would leave the file full of holes"), refusal(f));

        WriteBenchmark w = new WriteBenchmark();
        w.design = "rwsem";
        w.filePages = 512;
        w.hitRatio = 1.0;
        w.pagesPerWrite = 16;
        w.regions = WriteBenchmark.Regions.disjoint;
        w.punchPages = 16;
        w.deviceMode = BlockDevice.Mode.STAMP_ONLY;
        w.check(OpThreads.plain("write", 1));
        w.punchTarget = PunchTarget.disjoint;
        assertTrue(refusal(w).startsWith("punchCache=none with punchTarget=disjoint"), refusal(w));
        w.punchCache = PunchCache.dense;
        assertEquals("pagesPerWrite=16 is larger than a writing thread's slice of the writers' half of the file "
                + "(256 pages of filePages=512 over 32 writing threads: 8 pages)",
                assertThrows(IllegalArgumentException.class, () -> w.check(OpThreads.plain("write", 32))).getMessage());
    }
}
