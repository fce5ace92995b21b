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
 * Workload {@code punch}: one puncher punches {@code punchPages} (1, 64 or 262144) while other
 * threads fault and write elsewhere in the same file. The file of {@code filePages} is split in
 * two halves: the puncher works in the first, at random offsets; the workers in the second.
 * Everything is written (every page has a block) and, before every punch, the first half is in
 * the {@code cache} state: {@code dense}, every page cached (so the punch evicts
 * {@code punchPages} pages); or {@code sparse}, only one page in {@value Refill#SPARSE_STRIDE} cached
 * (a handful: the punch walks an almost empty cache but still frees every block). The device keeps
 * stamps only ({@code STAMP_ONLY}), so half a million pages fit a small heap.
 *
 * <p>One JMH group, {@code punch}: {@link #punch} (1 thread), {@link #workerFault} (read faults
 * of the second half through each worker's own mapping, hit ratio {@code hitRatio}, as in
 * {@link FaultBenchmark}) and {@link #workerWrite} (buffered writes of {@code pagesPerWrite} in
 * the second half). Methods sort {@code punch} &lt; {@code workerFault} &lt; {@code workerWrite},
 * so {@code -tg 1,a,b} gives 1 puncher, a faulting and b writing threads (verified: with
 * {@code -tg 1,1,1} JMH reports "1x "punch", 1x "workerFault", 1x "workerWrite" in each group"
 * and the .hlog files say {@code threads=1} for each op). Run it with one group
 * (threads = 1 + a + b): two punchers would refill ranges under each other's punches.
 *
 * <p>What is timed, and what JMH's ops/s includes (the JMHSample_38 trade-off): the histogram
 * (op {@code punch}) times the {@code punch} call alone. After it, untimed in the histogram, the
 * puncher puts the punched range back into the {@code cache} state: fallocate gives it blocks
 * again, as extents (O(extents), under the inode lock), and readahead caches every page
 * ({@code dense}) or one in {@value Refill#SPARSE_STRIDE} ({@code sparse}). The state is
 * re-established per invocation without a {@code Level.Invocation} fixture, refilling only what
 * the punch removed. That refill is inside JMH's measured loop, so JMH's punch ops/s is
 * 1 / (punch + refill) and understates the punch rate; use the histogram for the punch itself.
 * A dense refill costs about as much as reading {@code punchPages} pages into the cache; its
 * fallocate takes the inode lock, so it also delays
 * {@link #workerWrite}. With {@code punchIntervalUs} &gt; 0 the puncher is paced as in
 * {@link FaultBenchmark} (timed from the scheduled start); the default 0 punches back to back.
 * Ops {@code fault} and {@code write} time the fault and the write call alone.
 *
 * <p>JMH pitfalls guarded against: results are returned (JMHSample_08 DeadCode); offsets come
 * from seeded per-thread generators, the design and sizes from {@code @Param}s (JMHSample_10
 * ConstantFold); per-thread state is {@code Scope.Thread} (JMHSample_22 FalseSharing); the three
 * roles are {@code @Group} methods with their own thread counts (JMHSample_15 Asymmetric); the
 * per-invocation state reset is explicit and kept out of the histogram (JMHSample_38).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class PunchBenchmark extends SimulationState {

    /** The punch range's cache state before each punch; lower case for JMH, as {@link FaultKind} explains. */
    public enum Cache {
        /** Every page cached: the punch evicts them all. */
        dense(Refill.DENSE),
        /** One page in {@value Refill#SPARSE_STRIDE} cached: the punch walks an almost empty cache. */
        sparse(Refill.SPARSE);

        final Refill refill;

        Cache(Refill refill) {
            this.refill = refill;
        }
    }

    /** The whole file; the puncher's half is {@code filePages / 2}, at least {@code punchPages}. */
    @Param("524288")
    @Bounds(min = 1, max = MAX_FILE_PAGES, why = FILE_PAGES_WHY)
    public int filePages;

    /** The probability that a worker's fault finds its page cached. */
    @Param("0.9")
    @Bounds(min = 0, max = 1)
    public double hitRatio;

    @Param({"1", "64", "262144"})
    @Bounds(min = 1)
    public int punchPages;

    /** The punch range's cache state before each punch: {@code dense} or {@code sparse}. */
    @Param({"dense", "sparse"})
    public Cache cache;

    /** 0: punch back to back; otherwise the puncher's fixed interval in microseconds. */
    @Param("0")
    @Bounds(min = 0, max = MAX_PUNCH_INTERVAL_US, why = "0 punches back to back; at most a second")
    public long punchIntervalUs;

    /** The fault workers' kind: {@code read} or {@code write}. */
    @Param("read")
    public FaultKind faultKind;

    @Param("1")
    @Bounds(min = 1)
    public int pagesPerWrite;

    @Param("STAMP_ONLY")
    public BlockDevice.Mode deviceMode;

    /** The puncher's area is [0, half); the workers' is [half, filePages). */
    int half;

    /** The puncher works in the first half of the file, the workers in the rest: each range fits its half. */
    @Override
    void checkRules(OpThreads threads) {
        int h = filePages / 2;
        fits("punchPages", punchPages, h, "the puncher's half of the file (" + h + " pages of filePages=" + filePages + ")");
        fits("pagesPerWrite", pagesPerWrite, filePages - h, "the workers' half of the file (" + (filePages - h)
                + " pages of filePages=" + filePages + ")");
    }

    @Override
    void build() {
        half = filePages / 2;
        open(filePages, deviceMode);
        boolean ok = target.fill(0, half, cache.refill);
        ok &= target.fill(half, filePages - half, Refill.DENSE);
        if (!ok) {
            throw new IllegalStateException("out of blocks while filling the file");
        }
    }

    /** The puncher: the first half, refilled to the {@code cache} state after each punch. */
    @Override
    RandomPuncher puncher(ThreadParams t) {
        return newPuncher(t, 0, half, punchPages, punchIntervalUs, cache.refill);
    }

    /** A faulting worker: its own mapping of the second half. */
    @Override
    Faulter faulter(ThreadParams t) {
        int pages = filePages - half;
        return newFaulter(t, half, pages, hitRatio, faultKind);
    }

    /** A writing worker: buffered writes anywhere in the second half, always hitting. */
    @Override
    Writer writer(ThreadParams t) {
        return newWriter(t, half, filePages - half, pagesPerWrite, 1.0);
    }

    /** The puncher (op {@code punch}); first in -tg order. */
    @Benchmark
    @Group("punch")
    @GroupThreads(1)
    public long punch(OpThread.Puncher p) {
        return p.op.run();
    }

    /** Faults in the other half (op {@code fault}); second in -tg order. */
    @Benchmark
    @Group("punch")
    @GroupThreads(1)
    public long workerFault(OpThread.FaultWorker w) {
        return w.op.run();
    }

    /** Writes in the other half (op {@code write}); third in -tg order. */
    @Benchmark
    @Group("punch")
    @GroupThreads(1)
    public long workerWrite(OpThread.WriteWorker w) {
        return w.op.run();
    }
}
