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
 * Workload {@code dio}: N threads make direct IO ({@code O_DIRECT}: the inode lock shared, or an
 * IO range under a design that replaces it; the cached range written back and invalidated; the IO
 * counted in flight and completed after the lock is dropped) of {@code ioBytes} (whole pages) at random
 * aligned offsets of one shared file: writes, or reads with {@code direction=read}. With
 * {@code regions=disjoint} each thread has its own slice of the file; with {@code regions=shared}
 * every thread works anywhere in the first such slice. The file starts with blocks everywhere and
 * nothing cached, as a database's data file under direct IO would (seed 004's setting).
 *
 * <p>Two benchmarks: {@link #dio} alone, and the group {@code withPuncher}: {@link #punch} (1
 * thread, {@code punchPages} at random offsets every {@code punchIntervalUs}, open loop) plus
 * {@link #workerDio} (N threads). A punch takes the inode lock exclusive and waits for the direct
 * IO in flight to drain ({@code inode_dio_wait}), so it stalls every direct IO of the file in the
 * inode-lock designs, and only the overlapping ones under {@code io-range}. With
 * {@code punchTarget=disjoint} the puncher works in the first half and the IO threads in the
 * second, refilling each punched range to its {@code punchCache} state. Thread groups and
 * slices follow {@link WriteBenchmark}'s (methods sort {@code punch} &lt; {@code workerDio}).
 *
 * <p>What is timed: the histogram (op {@code dio}) times the direct IO call alone (with
 * {@code arrival=open}, from its scheduled start). JMH pitfalls are guarded as in
 * {@link WriteBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DioBenchmark extends SimulationState {

    /** What the IO threads do; lower case for JMH, as {@link FaultKind} explains. */
    public enum Direction {
        /** Direct writes. */
        write,
        /** Direct reads. */
        read
    }

    @Param("65536")
    @Bounds(min = 1, max = MAX_FILE_PAGES, why = FILE_PAGES_WHY)
    public int filePages;

    /**
     * Bytes per direct IO: a multiple of the page size, as direct IO to this filesystem must be
     * aligned to it (XFS and ext4 on 4 KiB-sector devices refuse a smaller or unaligned
     * {@code O_DIRECT} transfer with EINVAL; the simulation's direct IO moves whole pages).
     */
    @Param("4096")
    @Bounds(min = 1, max = 1L << 30, why = "at most 1 GiB per IO")
    public long ioBytes = Sim.PAGE_SIZE;

    /** {@link #ioBytes} in pages, once the rules have checked it is whole pages. */
    int pagesPerIo() {
        return (int) (ioBytes / Sim.PAGE_SIZE);
    }

    /** {@code write} or {@code read}. */
    @Param("write")
    public Direction direction;

    /** {@code disjoint}: a slice per thread; {@code shared}: all threads in the first slice. */
    @Param({"disjoint", "shared"})
    public WriteBenchmark.Regions regions;

    @Param("16")
    @Bounds(min = 1)
    public int punchPages;

    @Param("1000")
    @Bounds(min = 0, max = MAX_PUNCH_INTERVAL_US, why = "0 punches back to back; at most a second")
    public long punchIntervalUs;

    /** Where the puncher punches: {@code overlap}, anywhere; {@code disjoint}, in the first half while the IO runs in the second. */
    @Param("overlap")
    public PunchTarget punchTarget = PunchTarget.overlap;

    /** The state the puncher leaves each punched range in: {@code none} (holes, which direct writes fill) or refilled. */
    @Param("none")
    public PunchCache punchCache = PunchCache.none;

    @Param("DATA")
    public BlockDevice.Mode deviceMode;

    /** The IO threads work in [workersFirst, filePages). */
    int workersFirst;

    @Override
    void checkRules(OpThreads threads) {
        int first = FaultBenchmark.workersFirst(punchTarget, filePages);
        if (punchTarget == PunchTarget.disjoint) {
            fits("punchPages", punchPages, first, "the puncher's half of the file with punchTarget=disjoint (" + first
                    + " pages of filePages=" + filePages + ")");
        } else {
            fits("punchPages", punchPages, filePages, "filePages=" + filePages + ": a punch must fit in the file");
        }
        if (ioBytes % Sim.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("ioBytes=" + ioBytes + " is not a multiple of " + Sim.PAGE_SIZE
                    + ": direct IO must be page-aligned here (O_DIRECT to a 4 KiB-sector filesystem gets EINVAL)");
        }
        int workers = Math.max(1, threads.of("dio"));
        int room = filePages - first;
        if (pagesPerIo() > room / workers) {
            throw new IllegalArgumentException("ioBytes=" + ioBytes + " (" + pagesPerIo() + " pages) is larger than a "
                    + "direct-IO thread's slice of " + room + " pages over " + workers + (workers == 1 ? " thread" : " threads")
                    + ": " + room / workers + " pages");
        }
    }

    @Override
    void build() {
        workersFirst = FaultBenchmark.workersFirst(punchTarget, filePages);
        open(filePages, deviceMode);
        if (!target.fill(0, filePages, Refill.DENSE)) {
            throw new IllegalStateException("out of blocks while filling the file");
        }
        target.writeback(0, filePages - 1);
        target.dropCache(0, filePages - 1); // blocks everywhere, nothing cached
    }

    @Override
    DirectIo directIo(ThreadParams t) {
        long slice = (filePages - workersFirst) / Sim.workerCount(t);
        long first = workersFirst + (regions == WriteBenchmark.Regions.shared ? 0 : Sim.workerIndex(t) * slice);
        return newDirectIo(t, first, slice, pagesPerIo(), direction == Direction.read);
    }

    @Override
    RandomPuncher puncher(ThreadParams t) {
        int area = punchTarget == PunchTarget.disjoint ? workersFirst : filePages;
        return newPuncher(t, 0, area, punchPages, punchIntervalUs, punchCache.refill);
    }

    /** One direct IO (op {@code dio}), no puncher. */
    @Benchmark
    public long dio(OpThread.DioWorker w) {
        return w.op.run();
    }

    /** The puncher of group {@code withPuncher} (op {@code punch}); first in -tg order. */
    @Benchmark
    @Group("withPuncher")
    @GroupThreads(1)
    public long punch(OpThread.Puncher p) {
        return p.op.run();
    }

    /** The direct-IO threads of group {@code withPuncher} (op {@code dio}); second in -tg order. */
    @Benchmark
    @Group("withPuncher")
    @GroupThreads(1)
    public long workerDio(OpThread.DioWorker w) {
        return w.op.run();
    }
}
