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

    @Param("DATA")
    public BlockDevice.Mode deviceMode;

    /** A write fits a writing thread's slice, which shrinks as writers are added; a punch fits the file. */
    @Override
    void checkRules(OpThreads threads) {
        fits("punchPages", punchPages, filePages, "filePages=" + filePages + ": a punch must fit in the file");
        int writers = Math.max(1, threads.of("write"));
        fits("pagesPerWrite", pagesPerWrite, filePages / writers, "a writing thread's slice of the file (filePages="
                + filePages + " over " + writers + (writers == 1 ? " writing thread" : " writing threads") + ": "
                + filePages / writers + " pages)");
    }

    @Override
    void build() {
        fs = Sim.newFileSystem(design, filePages, deviceLatencyNs, deviceMode, framePoolPages);
        file = fs.createFile(filePages);
        if (!Sim.fill(fs, file, 0, filePages, Sim.Refill.DENSE)) {
            throw new IllegalStateException("out of blocks while filling the file");
        }
    }

    /** Writes in the thread's slice ({@code disjoint}), or in the first slice ({@code shared}). */
    @Override
    Writer writer(ThreadParams t) {
        long slice = filePages / Sim.workerCount(t);
        long first = regions == Regions.shared ? 0 : Sim.workerIndex(t) * slice;
        return new Writer(fs, file, first, slice, pagesPerWrite, hitRatio, Sim.rng(t.getThreadIndex(), 3),
                recorder.register("write"));
    }

    /** Punches anywhere in the file and leaves holes: the writers refill what they write. */
    @Override
    RandomPuncher puncher(ThreadParams t) {
        return new RandomPuncher(fs, file, 0, filePages, punchPages, TimeUnit.MICROSECONDS.toNanos(punchIntervalUs),
                Sim.Refill.NONE, Sim.rng(t.getThreadIndex(), 2), recorder.register(OpThread.Puncher.OP));
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
