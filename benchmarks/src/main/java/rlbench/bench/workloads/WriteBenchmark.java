package rlbench.bench.workloads;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

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
 * {@code punchIntervalUs}, open loop, no refill: the writers refill what they write) plus
 * {@link #workerWrite} (N threads). Methods sort {@code punch} &lt; {@code workerWrite}, so
 * {@code -tg 1,N} gives the puncher 1 thread and the writers N (verified: {@code -tg 1,2}
 * gives "1x "punch", 2x "workerWrite" in each group" and .hlog files with {@code op=write
 * threads=2}). A writer's slice comes from JMH's thread parameters: its index among the threads
 * running the same method over all groups, so {@code -tg 1,2} with 6 threads (2 groups) makes 4
 * slices.
 *
 * <p>What is timed: the histogram (op {@code write}) times the {@code writeBuffered} call alone;
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

    @Param("65536")
    public int filePages;

    /** The probability that a write finds its pages cached. */
    @Param("1.0")
    public double hitRatio;

    @Param({"1", "16"})
    public int pagesPerWrite;

    /** {@code disjoint}: a slice per thread; {@code shared}: all threads in the first slice. */
    @Param({"disjoint", "shared"})
    public String regions;

    @Param("16")
    public int punchPages;

    @Param("1000")
    public long punchIntervalUs;

    @Param("DATA")
    public String deviceMode;

    boolean shared;

    @Setup(Level.Trial)
    public void setUp() {
        switch (regions) {
            case "disjoint":
                shared = false;
                break;
            case "shared":
                shared = true;
                break;
            default:
                throw new IllegalArgumentException("regions must be disjoint or shared: " + regions);
        }
        Sim.ratio("hitRatio", hitRatio);
        Sim.positive("pagesPerWrite", pagesPerWrite);
        Sim.positive("punchPages", punchPages);
        fs = Sim.newFileSystem(design, filePages, deviceLatencyNs, deviceMode, framePoolPages);
        file = fs.createFile(filePages);
        if (!Sim.fill(fs, file, 0, filePages, Sim.Refill.DENSE)) {
            throw new IllegalStateException("out of blocks while filling the file");
        }
    }

    /** A writing thread: its region, generator and histogram. */
    @State(Scope.Thread)
    public static class WriteWorker extends OpThread<Writer> {

        @Setup(Level.Trial)
        public void setUp(WriteBenchmark b, ThreadParams t) {
            init(b, t.getThreadIndex(), Sim.workerIndex(t), Sim.workerCount(t));
        }

        /** Thread {@code worker} of {@code workers} writing threads. */
        void init(WriteBenchmark b, int threadIndex, int worker, int workers) {
            long slice = b.filePages / workers;
            long first = b.shared ? 0 : worker * slice;
            op = new Writer(b.fs, b.file, first, slice, b.pagesPerWrite, b.hitRatio, Sim.rng(threadIndex, 3),
                    b.recorder.register("write"));
        }
    }

    /** The puncher thread of the {@code withPuncher} group. */
    @State(Scope.Thread)
    public static class Puncher extends OpThread<RandomPuncher> {

        @Setup(Level.Trial)
        public void setUp(WriteBenchmark b, ThreadParams t) {
            init(b, t.getThreadIndex());
        }

        void init(WriteBenchmark b, int threadIndex) {
            op = new RandomPuncher(b.fs, b.file, 0, b.filePages, b.punchPages,
                    TimeUnit.MICROSECONDS.toNanos(b.punchIntervalUs), Sim.Refill.NONE, Sim.rng(threadIndex, 2),
                    b.recorder.register("punch"));
        }
    }

    /** One buffered write (op {@code write}), no puncher. */
    @Benchmark
    public long write(WriteWorker w) {
        return w.op.run();
    }

    /** The puncher of group {@code withPuncher} (op {@code punch}); first in -tg order. */
    @Benchmark
    @Group("withPuncher")
    @GroupThreads(1)
    public long punch(Puncher p) {
        return p.op.run();
    }

    /** The writing threads of group {@code withPuncher} (op {@code write}); second in -tg order. */
    @Benchmark
    @Group("withPuncher")
    @GroupThreads(1)
    public long workerWrite(WriteWorker w) {
        return w.op.run();
    }
}
