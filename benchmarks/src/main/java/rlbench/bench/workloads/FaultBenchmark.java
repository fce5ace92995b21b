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
 * Workload {@code fault}: N threads read-fault (or write-fault, {@code faultKind}) random pages of
 * one shared file, each through its own mapping of the whole file in one shared process (so they
 * contend on one {@code mmap_lock}, as the threads of a process do), each with its own seeded
 * random pages. Every operation is a real fault: before it the thread zaps its PTE for the page,
 * and with probability {@code 1 - hitRatio} writes the page back and drops it from the cache, so
 * the fault is a miss that instantiates the page through the design's instantiate lock point and
 * reads its block (waiting {@code deviceLatencyNs}). The file starts fully written and cached.
 *
 * <p>Two benchmarks: {@link #fault}, the faults alone (JMH {@code -t N}); and the group
 * {@code withPuncher}, {@link #punch} (1 thread) plus {@link #workerFault} (N threads), where the
 * puncher punches {@code punchPages} at random offsets every {@code punchIntervalUs} (open loop,
 * see {@link FixedRatePacer}) and refills the range afterwards, untimed, to the
 * {@code punchCache} state, so reads keep reading blocks. With {@code punchTarget=overlap} (the
 * default) the puncher punches anywhere in the file; with {@code disjoint} the file is split in
 * halves, the puncher punches in the first and the workers fault in the second (their mappings
 * cover it alone), so no punch touches a page a worker faults: a worker waits for a punch only
 * when its design locks more than the punched range. The workers run closed loop, or open loop
 * at {@code ratePerThread} with {@code arrival=open} (see {@link SimulationState}). The group's methods sort as {@code punch} &lt; {@code workerFault}, which is the order
 * JMH's {@code -tg} counts follow: {@code -tg 1,3} gives the puncher 1 thread and the workers 3.
 * Verified with {@code ./rlbench jmh ... -tg 1,3 'FaultBenchmark.withPuncher'}: JMH reports
 * "4 threads (1 group; 1x "punch", 3x "workerFault" in each group)", and the .hlog files say
 * {@code op=punch threads=1} and {@code op=fault threads=3} (one histogram registered per thread
 * state that ran).
 *
 * <p>What is timed: the latency histogram (op {@code fault}) times the {@code readMapped} /
 * {@code writeMapped} call alone (with {@code arrival=open}, from the fault's scheduled start,
 * so the wait for a late slot is in it); the zaps, the write-back and the cache drop of a miss are
 * outside it. JMH's ops/s counts whole operations, so it includes them (they are the same for
 * every design). The puncher's histogram (op {@code punch}) times the punch from its scheduled
 * start, with missed slots back-filled; its JMH ops/s is just the punch rate unless punches
 * overrun the interval.
 *
 * <p>JMH pitfalls guarded against (jmh-samples): each fault's generation is returned
 * (JMHSample_08 DeadCode); the page, the hit-or-miss decision and the design come from a seeded
 * per-thread generator and {@code @Param}s resolved at run time, so nothing constant-folds
 * (JMHSample_10 ConstantFold); per-thread state lives in {@code Scope.Thread} objects allocated by
 * their own threads, each with its own histogram, mapping and generator, so threads share no
 * written cache lines except the simulated kernel's own (JMHSample_22 FalseSharing); the puncher
 * is a separate {@code @Group} method with its own thread count, not a branch inside the workers
 * (JMHSample_15 Asymmetric); the per-operation setup (zap, drop) is done inline and kept out of
 * the histogram rather than in a {@code Level.Invocation} fixture, whose cost and timing effects
 * JMHSample_38 warns about, and the Javadoc above says that JMH's ops/s includes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class FaultBenchmark extends SimulationState {

    @Param("65536")
    @Bounds(min = 1, max = MAX_FILE_PAGES, why = FILE_PAGES_WHY)
    public int filePages;

    /** The probability that a fault finds its page cached. */
    @Param({"0.0", "0.9"})
    @Bounds(min = 0, max = 1)
    public double hitRatio;

    /** {@code read} (filemap_fault) or {@code write} (filemap_fault + page_mkwrite, dirtying). */
    @Param({"read", "write"})
    public FaultKind faultKind;

    /** Pages per punch, in the {@code withPuncher} group. */
    @Param("16")
    @Bounds(min = 1)
    public int punchPages;

    /** The puncher's fixed interval, in microseconds; 0 punches back to back. */
    @Param("1000")
    @Bounds(min = 0, max = MAX_PUNCH_INTERVAL_US, why = "0 punches back to back; at most a second")
    public long punchIntervalUs;

    /**
     * Where the {@code withPuncher} group's puncher punches: {@code overlap}, anywhere in the file;
     * {@code disjoint}, in the first half of the file while the workers fault in the second.
     */
    @Param("overlap")
    public PunchTarget punchTarget = PunchTarget.overlap;

    /**
     * The state the puncher leaves each punched range in (so, with {@code disjoint}, the state
     * before each punch): {@code dense} (every page cached again) or {@code sparse}; {@code none}
     * is refused, as nothing here writes holes back.
     */
    @Param("dense")
    public PunchCache punchCache = PunchCache.dense;

    /** {@code DATA} (pages and blocks really hold and copy 4 KiB) or {@code STAMP_ONLY}. */
    @Param("DATA")
    public BlockDevice.Mode deviceMode;

    /**
     * The address spaces that map the file: the one the faulting threads share, and
     * {@code mappers - 1} idle processes that each map all of it. A punch unmaps its range from
     * every one (and, under {@code mmap-write}, takes each one's {@code mmap_lock} for writing), so
     * its cost in the number of mappers shows.
     */
    @Param("1")
    @Bounds(min = 1, max = MAX_MAPPERS, why = "each mapper maps the whole file: its page table is filePages entries")
    public int mappers = 1;

    /** The most {@link #mappers}: enough to show the walk, few enough for a page table each. */
    static final int MAX_MAPPERS = 64;

    /** The workers fault in [workersFirst, filePages): 0 with {@code overlap}, the second half with {@code disjoint}. */
    int workersFirst;

    /** The first page the workers touch: the puncher's part of the file is everything before it. */
    static int workersFirst(PunchTarget target, int filePages) {
        return target == PunchTarget.disjoint ? filePages / 2 : 0;
    }

    /**
     * A punch fits the file ({@code overlap}) or the puncher's half of it ({@code disjoint}), and
     * the puncher refills what it punched, since no worker writes holes back.
     */
    @Override
    void checkRules(OpThreads threads) {
        if (punchTarget == PunchTarget.disjoint) {
            int h = workersFirst(punchTarget, filePages);
            fits("punchPages", punchPages, h, "the puncher's half of the file with punchTarget=disjoint (" + h
                    + " pages of filePages=" + filePages + ")");
        } else {
            fits("punchPages", punchPages, filePages, "filePages=" + filePages + ": a punch must fit in the file");
        }
        if (punchCache == PunchCache.none) {
            throw new IllegalArgumentException("punchCache=none would leave the file full of holes: no fault worker "
                    + "writes them back; give dense or sparse");
        }
        if (mappers > 1 && rlbench.bench.targets.Targets.isKernel(design)) {
            throw new IllegalArgumentException("mappers=" + mappers + " needs separate address spaces; the "
                    + rlbench.bench.targets.Targets.LINUX + " target runs in this one process: use mappers=1");
        }
    }

    /**
     * The file, fully written, written back and cached (with {@code disjoint}, the puncher's half
     * in the {@code punchCache} state); one process for all the threads.
     */
    @Override
    void build() {
        workersFirst = workersFirst(punchTarget, filePages);
        open(filePages, deviceMode);
        boolean ok = target.fill(0, workersFirst, punchCache.refill);
        ok &= target.fill(workersFirst, filePages - workersFirst, Refill.DENSE);
        if (!ok) {
            throw new IllegalStateException("out of blocks while filling the file");
        }
        target.addIdleMappers(mappers);
    }

    /** Faults anywhere in the workers' part of the file, through the thread's own mapping of all of it. */
    @Override
    Faulter faulter(ThreadParams t) {
        int pages = filePages - workersFirst;
        return newFaulter(t, workersFirst, pages, hitRatio, faultKind);
    }

    /**
     * Punches anywhere in the file ({@code overlap}) or in the half before the workers'
     * ({@code disjoint}), refilling each range to the {@code punchCache} state, so that faults keep
     * reading blocks and a dense range stays dense.
     */
    @Override
    RandomPuncher puncher(ThreadParams t) {
        int area = punchTarget == PunchTarget.disjoint ? workersFirst : filePages;
        return newPuncher(t, 0, area, punchPages, punchIntervalUs, punchCache.refill);
    }

    /** One fault (op {@code fault}), no puncher. */
    @Benchmark
    public long fault(OpThread.FaultWorker w) {
        return w.op.run();
    }

    /** The puncher of group {@code withPuncher} (op {@code punch}); first in -tg order. */
    @Benchmark
    @Group("withPuncher")
    @GroupThreads(1)
    public long punch(OpThread.Puncher p) {
        return p.op.run();
    }

    /** The faulting threads of group {@code withPuncher} (op {@code fault}); second in -tg order. */
    @Benchmark
    @Group("withPuncher")
    @GroupThreads(1)
    public long workerFault(OpThread.FaultWorker w) {
        return w.op.run();
    }
}
