package rlbench.bench.workloads;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;
import rlbench.bench.targets.Refill;
import rlbench.fs.block.BlockDevice;

/**
 * Workload {@code write}: N threads make buffered writes ({@code write()}: the design's write lock
 * point around the call, then per page write_begin, copy, dirty, write_end) of
 * {@code pagesPerWrite} pages at random aligned offsets of one shared file. With
 * {@code regions=disjoint} the file is cut into N equal slices, one per writing thread; with
 * {@code regions=shared} every thread writes anywhere in the first such slice, so the per-thread
 * footprint is the same and only the overlap differs. The file starts fully written and cached;
 * with probability {@code 1 - hitRatio} a write's range is first written back and dropped, so
 * the write instantiates its pages.
 *
 * <p>Two benchmarks: {@link #write} alone, and the group {@code withPuncher}: {@link #punch}
 * (1 thread, punches {@code punchPages} at random offsets anywhere in the file every
 * {@code punchIntervalUs}, open loop, no refill by default: the writers refill what they write)
 * plus {@link #workerWrite} (N threads). With {@code punchTarget=disjoint} the file is split in
 * halves: the puncher punches in the first, refilling each range to its {@code punchCache} state,
 * and the writers' slices (and {@code shared}'s first slice) are cut from the second, so no punch
 * touches a page a writer writes. The writers run closed loop, or open loop at
 * {@code ratePerThread} with {@code arrival=open} (see {@link SimulationState}). Methods sort {@code punch} &lt; {@code workerWrite}, so
 * {@code -tg 1,N} gives the puncher 1 thread and the writers N (verified: {@code -tg 1,2}
 * gives "1x "punch", 2x "workerWrite" in each group" and .hlog files with {@code op=write
 * threads=2}). A writer's slice comes from JMH's thread parameters: its index among the threads
 * running the same method over all groups, so {@code -tg 1,2} with 6 threads (2 groups) makes 4
 * slices.
 *
 * <p>What is timed: the histogram (op {@code write}) times the {@code writeBuffered} call alone
 * (with {@code arrival=open}, from the write's scheduled start);
 * the miss preparation (write-back and drop) is outside it but inside JMH's ops/s. Op
 * {@code punch} is timed from its scheduled start, with overrun slots back-filled (see
 * {@link FixedRatePacer}).
 *
 * <p>JMH pitfalls guarded against: each write's generation is returned (JMHSample_08 DeadCode);
 * offsets come from a seeded per-thread generator and the design from a {@code @Param}
 * (JMHSample_10 ConstantFold); per-thread state is {@code Scope.Thread}, allocated by its thread
 * (JMHSample_22 FalseSharing); the puncher is its own {@code @Group} method (JMHSample_15
 * Asymmetric); per-operation preparation is inline and untimed in the histogram, not a
 * {@code Level.Invocation} fixture (JMHSample_38).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class WriteBenchmark extends SimulationState {

    /** Where the writing threads write; lower case for JMH, as {@link FaultKind} explains. */
    public enum Regions {
        /** Each writing thread its own slice of the file. */
        disjoint,
        /** Every writing thread anywhere in the first slice. */
        shared
    }

    @Param("65536")
    @Bounds(min = 1, max = MAX_FILE_PAGES, why = FILE_PAGES_WHY)
    public int filePages;

    /** The probability that a write finds its pages cached. */
    @Param("1.0")
    @Bounds(min = 0, max = 1)
    public double hitRatio;

    @Param({"1", "16"})
    @Bounds(min = 1)
    public int pagesPerWrite;

    /** {@code disjoint}: a slice per thread; {@code shared}: all threads in the first slice. */
    @Param({"disjoint", "shared"})
    public Regions regions;

    @Param("16")
    @Bounds(min = 1)
    public int punchPages;

    @Param("1000")
    @Bounds(min = 0, max = MAX_PUNCH_INTERVAL_US, why = "0 punches back to back; at most a second")
    public long punchIntervalUs;

    /**
     * Where the {@code withPuncher} group's puncher punches: {@code overlap}, anywhere in the file;
     * {@code disjoint}, in the first half while the writers write in the second.
     */
    @Param("overlap")
    public PunchTarget punchTarget = PunchTarget.overlap;

    /**
     * The state the puncher leaves each punched range in: {@code none} (holes, which the writers
     * fill as they write: the default, and refused with {@code disjoint}, where no writer comes),
     * {@code dense} or {@code sparse} (blocks again, every page or a few cached).
     */
    @Param("none")
    public PunchCache punchCache = PunchCache.none;

    @Param("DATA")
    public BlockDevice.Mode deviceMode;

    /** The writers write in [workersFirst, filePages): all of it with {@code overlap}, the second half with {@code disjoint}. */
    int workersFirst;

    /**
     * A write fits a writing thread's slice, which shrinks as writers are added; a punch fits the
     * file ({@code overlap}) or the puncher's half ({@code disjoint}, where the writers' slices
     * share the other half and the puncher must refill what it punches).
     */
    @Override
    void checkRules(OpThreads threads) {
        int first = FaultBenchmark.workersFirst(punchTarget, filePages);
        if (punchTarget == PunchTarget.disjoint) {
            fits("punchPages", punchPages, first, "the puncher's half of the file with punchTarget=disjoint (" + first
                    + " pages of filePages=" + filePages + ")");
            if (punchCache == PunchCache.none) {
                throw new IllegalArgumentException("punchCache=none with punchTarget=disjoint would punch holes into "
                        + "holes: no writer writes the puncher's half; give dense or sparse");
            }
        } else {
            fits("punchPages", punchPages, filePages, "filePages=" + filePages + ": a punch must fit in the file");
        }
        int writers = Math.max(1, threads.of("write"));
        int room = filePages - first;
        String part = first == 0 ? "the file (filePages=" + filePages : "the writers' half of the file (" + room
                + " pages of filePages=" + filePages;
        fits("pagesPerWrite", pagesPerWrite, room / writers, "a writing thread's slice of " + part + " over " + writers
                + (writers == 1 ? " writing thread" : " writing threads") + ": " + room / writers + " pages)");
    }

    @Override
    void build() {
        workersFirst = FaultBenchmark.workersFirst(punchTarget, filePages);
        open(filePages, deviceMode);
        Refill punched = punchCache == PunchCache.none ? Refill.DENSE : punchCache.refill;
        boolean ok = target.fill(0, workersFirst, punched);
        ok &= target.fill(workersFirst, filePages - workersFirst, Refill.DENSE);
        if (!ok) {
            throw new IllegalStateException("out of blocks while filling the file");
        }
    }

    /** Writes in the thread's slice ({@code disjoint}), or in the first slice ({@code shared}), of the writers' part. */
    @Override
    Writer writer(ThreadParams t) {
        long slice = (filePages - workersFirst) / Sim.workerCount(t);
        long first = workersFirst + (regions == Regions.shared ? 0 : Sim.workerIndex(t) * slice);
        return newWriter(t, first, slice, pagesPerWrite, hitRatio);
    }

    /**
     * Punches anywhere in the file ({@code overlap}) or in the half before the writers'
     * ({@code disjoint}), and leaves the range in the {@code punchCache} state: holes for the
     * writers to fill ({@code none}), or refilled so that a dense range stays dense.
     */
    @Override
    RandomPuncher puncher(ThreadParams t) {
        int area = punchTarget == PunchTarget.disjoint ? workersFirst : filePages;
        return newPuncher(t, 0, area, punchPages, punchIntervalUs, punchCache.refill);
    }

    /** One buffered write (op {@code write}), no puncher. */
    @Benchmark
    public long write(OpThread.WriteWorker w) {
        return w.op.run();
    }

    /** The puncher of group {@code withPuncher} (op {@code punch}); first in -tg order. */
    @Benchmark
    @Group("withPuncher")
    @GroupThreads(1)
    public long punch(OpThread.Puncher p) {
        return p.op.run();
    }

    /** The writing threads of group {@code withPuncher} (op {@code write}); second in -tg order. */
    @Benchmark
    @Group("withPuncher")
    @GroupThreads(1)
    public long workerWrite(OpThread.WriteWorker w) {
        return w.op.run();
    }
}
