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
import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.PageIndex;

/**
 * What a fault miss pays for each design's instantiate(p) lock point, one thread, no contention.
 * Compare with {@link rlbench.bench.baseline.FloorBenchmark}'s CAS pair from the same run.
 *
 * <p>The instantiate pair includes what the page cache does on every miss in any design: storing
 * the locked page into its slot and, here, deleting it again so the next call finds a hole. The
 * {@code none} row is that index work alone; a design's own price is its distance from it.
 *
 * <p>JMH pitfalls guarded against (jmh-samples): results are returned, so nothing is dead code
 * (JMHSample_08_DeadCode); the design comes from a {@code @Param} resolved at run time through the
 * registry, and the page index from a field, so nothing constant-folds (JMHSample_10); all state is
 * {@code Scope.Thread} (JMHSample_03) and every invocation leaves it as it found it, so no
 * per-invocation setup is needed (JMHSample_38).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class InstantiateBenchmark {

    @Param({"none", "rwsem", "page-lock", "range-tree", "lock-entries"})
    public String design;

    private MappingLock lock;
    private PageIndex index;
    private IndexEntry page;
    private long pageIndex;

    private static final class BenchPage extends IndexEntry {
    }

    @Setup
    public void setUp() {
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
}
