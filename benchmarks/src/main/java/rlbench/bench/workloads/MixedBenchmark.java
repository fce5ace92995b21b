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
 * Workload {@code mixed}, in the style of will-it-scale and Kara's holetest: every kind of access
 * at once on one shared file, in fixed thread ratios. One JMH group, {@code mixed}:
 * {@link #punch} (punches {@code punchPages} at random offsets every {@code punchIntervalUs},
 * open loop, then refills the range untimed, as in {@link FaultBenchmark}), {@link #workerFault}
 * (faults through each thread's own mapping, every one a real fault, a miss with probability
 * {@code 1 - hitRatio}), {@link #workerRead} (buffered reads of {@code readPages} with readahead,
 * the range dropped first with probability {@code 1 - hitRatio}) and {@link #workerWrite}
 * (buffered writes of {@code pagesPerWrite}), all at random offsets over the whole file, which
 * starts fully written and cached. The ratio is the thread split: methods sort {@code punch}
 * &lt; {@code workerFault} &lt; {@code workerRead} &lt; {@code workerWrite}, so
 * {@code -tg 1,a,b,c} gives 1 puncher, a faulting, b reading and c writing threads (default
 * 1,1,1,1; verified: with {@code -tg 1,1,1,1} JMH reports "1x "punch", 1x "workerFault", 1x
 * "workerRead", 1x "workerWrite" in each group").
 *
 * <p>What is timed: each op's histogram ({@code punch}, {@code fault}, {@code read},
 * {@code write}) times the filesystem call alone; a punch from its scheduled start with missed
 * slots back-filled. JMH's per-method ops/s also includes each op's untimed preparation (zaps,
 * drops) and the puncher's refill.
 *
 * <p>JMH pitfalls guarded against: results are returned (JMHSample_08 DeadCode); offsets and
 * hit-or-miss come from seeded per-thread generators, the design from a {@code @Param}
 * (JMHSample_10 ConstantFold); per-thread state is {@code Scope.Thread} (JMHSample_22
 * FalseSharing); each role is a {@code @Group} method with its own thread count (JMHSample_15
 * Asymmetric); per-operation preparation is inline and outside the histograms, not a
 * {@code Level.Invocation} fixture (JMHSample_38).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class MixedBenchmark extends SimulationState {

    @Param("65536")
    @Bounds(min = 1, max = MAX_FILE_PAGES, why = FILE_PAGES_WHY)
    public int filePages;

    /** The probability that a fault or a read finds its pages cached. */
    @Param("0.9")
    @Bounds(min = 0, max = 1)
    public double hitRatio;

    @Param("16")
    @Bounds(min = 1)
    public int punchPages;

    @Param("1000")
    @Bounds(min = 0, max = MAX_PUNCH_INTERVAL_US, why = "0 punches back to back; at most a second")
    public long punchIntervalUs;

    @Param("read")
    public FaultKind faultKind;

    @Param("16")
    @Bounds(min = 1)
    public int readPages;

    @Param("1")
    @Bounds(min = 1)
    public int pagesPerWrite;

    @Param("DATA")
    public BlockDevice.Mode deviceMode;


    /** Every op works anywhere in the file, so each range fits the file. */
    @Override
    void checkRules(OpThreads threads) {
        String file = "filePages=" + filePages + ": every op works within the file";
        fits("punchPages", punchPages, filePages, file);
        fits("readPages", readPages, filePages, file);
        fits("pagesPerWrite", pagesPerWrite, filePages, file);
    }

    @Override
    void build() {
        open(filePages, deviceMode);
        if (!target.fill(0, filePages, Refill.DENSE)) {
            throw new IllegalStateException("out of blocks while filling the file");
        }
    }

    @Override
    RandomPuncher puncher(ThreadParams t) {
        return newPuncher(t, 0, filePages, punchPages, punchIntervalUs, Refill.DENSE);
    }

    @Override
    Faulter faulter(ThreadParams t) {
        return newFaulter(t, 0, filePages, hitRatio, faultKind);
    }

    @Override
    Reader reader(ThreadParams t) {
        return worker(new Reader(target, 0, filePages, readPages, hitRatio, Sim.rng(t.getThreadIndex(), 4),
                recorder.register("read")));
    }

    /** Writes always hit: the reads and faults carry the misses. */
    @Override
    Writer writer(ThreadParams t) {
        return newWriter(t, 0, filePages, pagesPerWrite, 1.0);
    }

    /** The puncher (op {@code punch}); first in -tg order. */
    @Benchmark
    @Group("mixed")
    @GroupThreads(1)
    public long punch(OpThread.Puncher p) {
        return p.op.run();
    }

    /** Faults (op {@code fault}); second in -tg order. */
    @Benchmark
    @Group("mixed")
    @GroupThreads(1)
    public long workerFault(OpThread.FaultWorker w) {
        return w.op.run();
    }

    /** Buffered reads with readahead (op {@code read}); third in -tg order. */
    @Benchmark
    @Group("mixed")
    @GroupThreads(1)
    public long workerRead(OpThread.ReadWorker w) {
        return w.op.run();
    }

    /** Buffered writes (op {@code write}); fourth in -tg order. */
    @Benchmark
    @Group("mixed")
    @GroupThreads(1)
    public long workerWrite(OpThread.WriteWorker w) {
        return w.op.run();
    }
}
