package rlbench.bench.locks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import rlbench.bench.workloads.Bounds;
import rlbench.bench.workloads.OnOff;
import rlbench.bench.workloads.Params;
import rlbench.bench.workloads.SimulationState;
import rlbench.locks.DesignRegistry;
import rlbench.locks.MappingLock;
import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;

/**
 * Workload {@code locks}: what each design's lock points cost on their own, one thread, no
 * contention and no filesystem, in nanoseconds per lock + unlock pair. Read next to
 * {@link rlbench.bench.baseline.FloorBenchmark}'s CAS pair from the same run (the least a lock and
 * unlock can cost) and the fault workload's miss latency (what the lock is a part of).
 *
 * <ul>
 *   <li>{@link #instantiatePair}: what a fault miss pays at instantiate(p). It includes what the
 *       page cache does on every miss in any design, storing the locked page into its slot, and
 *       deleting it again so the next call finds a hole; the {@code none} row is that index work
 *       alone, and a design's own price is its distance from it.</li>
 *   <li>{@link #mkwritePair}: what a write fault on a cached page pays at mkwrite(p).</li>
 *   <li>{@link #invalidatePair}: what a punch pays at invalidate(first,last) over
 *       {@code punchPages} pages with nothing cached (the sparse case). {@code page-lock} is
 *       O(range) by design; this is where that shows without the simulation's block freeing.</li>
 * </ul>
 *
 * <p>Single-threaded on purpose: {@code rlbench run} runs it at 1 thread only. The score is JMH's
 * average time per call ({@code Mode.AverageTime}, JMHSample_02 BenchmarkModes), not a latency
 * histogram: at a few tens of nanoseconds a {@code System.nanoTime()} pair around each call would
 * cost as much as the call it times.
 *
 * <p>JMH pitfalls guarded against (jmh-samples): every method returns what the lock point returned
 * or a value that depends on it, so nothing is dead code (JMHSample_08 DeadCode); the design comes
 * from a {@code @Param} resolved at run time through the registry, and the page index and range
 * from fields, so nothing constant-folds (JMHSample_10 ConstantFold); all state is
 * {@code Scope.Thread} (JMHSample_03 States), and the range size sits in its own state class used
 * only by {@link #invalidatePair}, so only that method is swept over {@code punchPages}
 * (JMHSample_27 Params); every invocation unlocks what it locked and leaves the index as it found
 * it, so no per-invocation setup is needed (JMHSample_38 PerInvokeSetup).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LocksBenchmark {

    /**
     * A name in {@link DesignRegistry}, the one list of designs: no values here, every run names
     * them ({@code rlbench run} from {@code --designs}, {@code rlbench jmh} from the registry).
     */
    @Param({})
    public String design;

    /**
     * Lock statistics on (as in every file workload) or off. Each pair here is one lock point's
     * acquisition and release, so {@code -p lockstat=on,off} shows what the statistics cost per
     * lock point, uncontended: a thread-local lookup and a counter bump.
     */
    @Param("on")
    public OnOff lockstat = OnOff.on;

    /** Unaligned on purpose: lock entries must not get a best case the filesystem rarely offers. */
    private static final long FIRST = 1;

    private MappingLock lock;
    private PageIndex index;
    private IndexEntry page;
    private long pageIndex;

    private static final class BenchPage extends IndexEntry {
    }

    /** The range of {@link #invalidatePair}: a state of its own, so the other methods are not swept over it. */
    @State(Scope.Thread)
    public static class Range {

        @Param({"1", "64", "262144"})
        @Bounds(min = 1, max = SimulationState.MAX_FILE_PAGES, why = "a range within the largest file, 2^26 pages")
        public long punchPages;

        long first;
        long last;

        @Setup
        public void setUp() {
            Params.checkBounds(this);
            first = FIRST;
            last = FIRST + punchPages - 1;
        }
    }

    @Setup
    public void setUp() {
        LockStat.setEnabled(lockstat == OnOff.on);
        index = new PageIndex();
        lock = DesignRegistry.get(design).create(index);
        page = new BenchPage();
        pageIndex = 12_345;
    }

    /** instantiate(p) lock + unlock, with the page's insertion into and removal from the index. */
    @Benchmark
    public MappingLock.Instantiation instantiatePair() {
        page.tryLock();
        MappingLock.Instantiation r = lock.lockInstantiate(pageIndex, page);
        index.delete(pageIndex, page);
        page.unlock();
        lock.unlockInstantiate(pageIndex);
        return r;
    }

    /**
     * mkwrite(p) lock + unlock. The filesystem calls the form without a deadline, which passes
     * {@link Timeouts#FOREVER} to this one; this one returns the result the benchmark must keep.
     */
    @Benchmark
    public boolean mkwritePair() throws InterruptedException {
        boolean held = lock.lockMkwrite(pageIndex, Timeouts.FOREVER);
        lock.unlockMkwrite(pageIndex);
        return held;
    }

    /** invalidate(first,last) lock + unlock over {@code punchPages} pages, none of them cached. */
    @Benchmark
    public long invalidatePair(Range r) {
        lock.lockInvalidate(r.first, r.last);
        lock.unlockInvalidate(r.first, r.last);
        return r.last;
    }
}
