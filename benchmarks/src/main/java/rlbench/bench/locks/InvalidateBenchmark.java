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
import rlbench.locks.DesignRegistry;
import rlbench.locks.MappingLock;
import rlbench.locks.index.PageIndex;

/**
 * What a punch pays for invalidate(first,last) lock + unlock alone, one thread, over a range with
 * no cached pages (the sparse case), at 1, 64 and 262144 pages. {@code page-lock} is O(range) by
 * design; this is where that shows.
 *
 * <p>JMH pitfalls guarded against: the range end is returned (JMHSample_08 DeadCode); the design is
 * a run-time {@code @Param} and the lock a field (JMHSample_10 ConstantFold); each invocation
 * unlocks what it locked, so state needs no per-invocation reset (JMHSample_38).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InvalidateBenchmark {

    @Param({"none", "rwsem", "page-lock", "range-tree", "lock-entries"})
    public String design;

    @Param({"1", "64", "262144"})
    public long punchPages;

    /** Unaligned on purpose: lock entries must not get a best case the filesystem rarely offers. */
    private static final long FIRST = 1;

    private MappingLock lock;

    @Setup
    public void setUp() {
        lock = DesignRegistry.get(design).create(new PageIndex());
    }

    @Benchmark
    public long invalidatePair() {
        long last = FIRST + punchPages - 1;
        lock.lockInvalidate(FIRST, last);
        lock.unlockInvalidate(FIRST, last);
        return last;
    }
}
