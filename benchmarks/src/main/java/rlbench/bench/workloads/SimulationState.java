package rlbench.bench.workloads;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;
import rlbench.bench.targets.KernelFile;
import rlbench.bench.targets.KernelFs;
import rlbench.bench.targets.Refill;
import rlbench.bench.targets.SimFile;
import rlbench.bench.targets.TargetFile;
import rlbench.bench.targets.Targets;
import rlbench.fs.CacheMode;
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;
import rlbench.fs.block.BlockDevice;
import rlbench.locks.DesignRegistry;
import rlbench.locks.stat.LockStat;

/**
 * What every workload benchmark shares: the design and device parameters, the filesystem and
 * file under test, the latency recorder's life cycle (record in measurement iterations only,
 * write the merged histograms when the trial ends), and the trial setup: check every parameter
 * ({@link #check}: the bounds each {@code @Param} field declares, then the workload's rules
 * between them, the same check the runner makes before any fork), build the file
 * ({@link #build}), then bind the workload to the {@link Trial} its thread states read. A
 * workload says where in its file each thread role works ({@link #puncher}, {@link #faulter},
 * {@link #writer}, {@link #reader}); the roles themselves are {@link OpThread}'s, written once.
 */
@State(Scope.Benchmark)
public abstract class SimulationState {

    /** The largest file a workload accepts: 2^26 pages (256 GiB of 4 KiB pages). */
    public static final long MAX_FILE_PAGES = 1L << 26;
    /** Why {@code filePages} stops at {@link #MAX_FILE_PAGES}, for the refusal. */
    static final String FILE_PAGES_WHY = "2^26 pages, 256 GiB of 4 KiB pages";
    /** The longest device wait per block read: a second, past which a run measures only the wait. */
    static final long MAX_DEVICE_LATENCY_NS = 1_000_000_000L;
    /** The longest puncher interval: a second, about one measurement iteration. */
    static final long MAX_PUNCH_INTERVAL_US = 1_000_000L;

    /**
     * The highest {@code ratePerThread}: one op a microsecond. A shorter interval is below what
     * the pacer keeps: its clock reads and bookkeeping take a good part of it, and
     * {@link java.util.concurrent.locks.LockSupport#parkNanos} wakes tens of microseconds late
     * anyway (which counts as latency, see {@link FixedRatePacer}).
     */
    public static final long MAX_RATE_PER_THREAD = 1_000_000L;
    /** The name of the open-loop rate parameter, for the runner's checks. */
    public static final String RATE_PARAM = "ratePerThread";
    /** The longest injected busy-wait per op: a second, as for the device. */
    static final long MAX_INJECT_NS = 1_000_000_000L;
    /** The largest injected slowdown, in percent of an op's own time. */
    static final long MAX_INJECT_PCT = 1000;
    /** The {@code injectDesign} value that injects into no design (not a design name: "none" is one). */
    public static final String NO_INJECT = "off";

    /** Device blocks for a file of {@code filePages}: the file, an eighth more, and 1024, so no workload runs out. */
    public static long blocksFor(long filePages) {
        return filePages + filePages / 8 + 1024;
    }

    /**
     * The design, a name in {@link rlbench.locks.DesignRegistry}, or {@value Targets#LINUX} for a
     * real file on this machine's kernel ({@link Targets}). No values here: the registry is the one
     * list of designs, and every run names them ({@code rlbench run} from {@code --designs},
     * {@code rlbench jmh} from the registry unless {@code -p design=} is given).
     */
    @Param({})
    public String design;

    /** What a cache miss waits for the device (0 = ramdisk). */
    @Param("0")
    @Bounds(min = 0, max = MAX_DEVICE_LATENCY_NS, why = "0 is a ramdisk; at most a second")
    public long deviceLatencyNs;

    /** Free page frames the filesystem keeps for reuse (its page allocator's free lists). */
    @Param("4096")
    @Bounds(min = FileSystem.Config.MIN_FRAME_POOL, why = "the filesystem keeps at least 2 free frames")
    public int framePoolPages = 4096;

    /**
     * {@code closed}: each worker's next op starts when its last one ends; {@code open}: each worker
     * issues {@link #ratePerThread} ops a second, each timed from its scheduled start. The puncher
     * keeps its own {@code punchIntervalUs}.
     */
    @Param("closed")
    public Arrival arrival = Arrival.closed;

    /**
     * Ops a second per worker with {@code arrival=open}; 0 (the default) with {@code closed}, the
     * only value closed loop takes.
     */
    @Param("0")
    @Bounds(min = 0, max = MAX_RATE_PER_THREAD, why = "ops/s per worker, with arrival=open; at most one op a microsecond")
    public long ratePerThread;

    /**
     * Nanoseconds busy-waited inside every timed op (worker's and puncher's) of the design
     * {@link #injectDesign}: a known slowdown, to test that compare finds it. 0: none.
     */
    @Param("0")
    @Bounds(min = 0, max = MAX_INJECT_NS, why = "0 injects nothing; at most a second")
    public long injectNs;

    /**
     * A busy-wait of this percentage of each timed op's own running time (from when it started,
     * not from an open-loop slot it was late for), in the ops of {@link #injectDesign}: a slowdown
     * the same size in every op, where {@link #injectNs} is a large share of a short op and a
     * small one of a long one. 0: none.
     */
    @Param("0")
    @Bounds(min = 0, max = MAX_INJECT_PCT, why = "0 injects nothing; at most 1000 percent")
    public long injectPct;

    /** The design whose ops {@link #injectNs} and {@link #injectPct} slow, a name in the registry; {@value #NO_INJECT}: none. */
    @Param(NO_INJECT)
    public String injectDesign = NO_INJECT;

    /**
     * Lock statistics ({@link LockStat}): on in every run, since they cost a thread-local lookup
     * and a counter bump per lock acquisition; {@code off} records nothing, no {@code lock_wait_*}
     * rows and no lock-statistics rows, for a run that wants even that cost gone.
     */
    @Param("on")
    public OnOff lockstat = OnOff.on;

    /**
     * Where the {@code linux} target's file lives ({@link KernelFs}): {@code dir}, the run's
     * {@code --kernel-dir}, or a loop-mounted image of ext4, xfs or btrfs made for the run. The
     * simulated designs run at {@code dir} only.
     */
    @Param("dir")
    public KernelFs kernelFs = KernelFs.dir;

    /**
     * The simulated filesystem's {@link CacheMode}: {@code pagecache}, or {@code dax} (no page
     * cache: faults map blocks, read() and write() copy to and from them; every fault takes the
     * design's lock point). The {@code linux} target takes {@code pagecache} only.
     */
    @Param("pagecache")
    public String cacheMode = "pagecache";

    /** The file under test, simulated or the kernel's: what every op of the workload calls. */
    TargetFile target;
    /** The simulated filesystem and file behind {@link #target}; null on the {@code linux} target. */
    FileSystem fs;
    Inode file;
    final LatencyRecorder recorder = new LatencyRecorder();
    /** Whether a measurement iteration has started; the Benchmark-scope fixtures' thread only. */
    private boolean measuring;

    /** The trial setup JMH calls: the threads come from the thread counts or groups JMH runs. */
    @Setup(Level.Trial)
    public void setUp(Trial trial, BenchmarkParams params) {
        start(trial, OpThreads.of(params));
    }

    /** The trial setup itself, with the threads given: what tests call. */
    void start(Trial trial, OpThreads threads) {
        check(threads);
        // The kernel's locks are not ours to count: no lock statistics, so no lock_wait rows.
        LockStat.setEnabled(lockstat == OnOff.on && !Targets.isKernel(design));
        build();
        trial.bind(this);
    }

    /**
     * Every parameter within the bounds its field declares, then the rules between parameters
     * and threads (a punch fits the file, a write fits a writer's share of it). The runner calls
     * this on an unbuilt instance ({@link Params#instance}) before the first fork.
     *
     * @throws IllegalArgumentException with one line naming the values
     */
    public final void check(OpThreads threads) {
        Params.checkBounds(this);
        checkKnobs();
        checkRules(threads);
    }

    /**
     * The rules of the knobs every workload shares. A rate goes with {@code arrival=open} and
     * only with it (closed loop keeps the default 0, so a rate given alone is refused rather than
     * ignored); {@code injectNs} or {@code injectPct} and {@code injectDesign} go together, the design a registered one.
     */
    private void checkKnobs() {
        if (arrival == Arrival.open && ratePerThread == 0) {
            throw new IllegalArgumentException("arrival=open needs a rate: -p ratePerThread=N (ops/s per worker, 1.."
                    + MAX_RATE_PER_THREAD + ")");
        }
        if (arrival == Arrival.closed && ratePerThread != 0) {
            throw new IllegalArgumentException("ratePerThread=" + ratePerThread
                    + " paces open-loop workers only: add -p arrival=open");
        }
        boolean named = !NO_INJECT.equals(injectDesign);
        if (named && !Targets.known(injectDesign)) {
            throw new IllegalArgumentException("injectDesign=" + injectDesign + " is not a design (known: "
                    + String.join(", ", Targets.names()) + ")");
        }
        CacheMode mode = CacheMode.parse(cacheMode); // one line naming the known modes when unknown
        if (design != null && Targets.isKernel(design) && mode != CacheMode.PAGECACHE) {
            throw new IllegalArgumentException("cacheMode=" + cacheMode + " is the simulation's; the "
                    + Targets.LINUX + " target runs on its filesystem's page cache: use cacheMode=pagecache");
        }
        if (design != null && !Targets.isKernel(design) && kernelFs != KernelFs.dir) {
            throw new IllegalArgumentException("kernelFs=" + kernelFs + " is where the linux target's file lives; the "
                    + "simulated design " + design + " runs at kernelFs=dir");
        }
        if (Targets.isKernel(design) && deviceLatencyNs != 0) {
            throw new IllegalArgumentException("deviceLatencyNs=" + deviceLatencyNs + " is the simulated device's: the "
                    + Targets.LINUX + " target reads its real device; leave it 0");
        }
        if (injectNs > 0 && !named) {
            throw new IllegalArgumentException("injectNs=" + injectNs + " needs the design to slow: -p injectDesign=NAME");
        }
        if (injectPct > 0 && !named) {
            throw new IllegalArgumentException("injectPct=" + injectPct + " needs the design to slow: -p injectDesign=NAME");
        }
        if (named && injectNs == 0 && injectPct == 0) {
            throw new IllegalArgumentException("injectDesign=" + injectDesign
                    + " injects nothing without -p injectNs=N or -p injectPct=P");
        }
    }

    /** A worker's op, paced as {@link #arrival} says and slowed if this trial's design is the injected one. */
    final <T extends TimedOp> T worker(T op) {
        if (arrival == Arrival.open) {
            op.pace(intervalNanos(ratePerThread), TimedOp.WORKER_SPIN_NS);
        }
        return injected(op);
    }

    /**
     * The puncher of a group: {@code punchPages} at random offsets in {@code [first, first +
     * areaPages)} every {@code punchIntervalUs} (0: back to back), each range left in the
     * {@code refill} state; slowed like any op of the injected design.
     */
    final RandomPuncher newPuncher(ThreadParams t, long first, long areaPages, int punchPages, long punchIntervalUs, Refill refill) {
        return injected(new RandomPuncher(target, first, areaPages, punchPages, TimeUnit.MICROSECONDS.toNanos(punchIntervalUs),
                refill, Sim.rng(t.getThreadIndex(), 2), recorder.register(OpThread.Puncher.OP)));
    }

    /** A fault worker over {@code [first, first + pages)}, through its own mapping of that range. */
    final Faulter newFaulter(ThreadParams t, int first, int pages, double hitRatio, FaultKind kind) {
        return worker(new Faulter(target, target.map(first, pages), first, pages, hitRatio, kind == FaultKind.write,
                Sim.rng(t.getThreadIndex(), 1), recorder.register("fault")));
    }

    /** A buffered-write worker over {@code [first, first + pages)}. */
    final Writer newWriter(ThreadParams t, long first, long pages, int pagesPerWrite, double hitRatio) {
        return worker(new Writer(target, first, pages, pagesPerWrite, hitRatio, Sim.rng(t.getThreadIndex(), 3),
                recorder.register("write")));
    }

    /** A direct-IO worker over {@code [first, first + pages)}: writes, or reads with {@code read}. */
    final DirectIo newDirectIo(ThreadParams t, long first, long pages, int pagesPerIo, boolean read) {
        return worker(new DirectIo(target, first, pages, pagesPerIo, read, Sim.rng(t.getThreadIndex(), 5),
                recorder.register("dio")));
    }

    /** An op slowed by {@link #injectNs} and {@link #injectPct} if this trial's design is {@link #injectDesign}; others as they are. */
    final <T extends TimedOp> T injected(T op) {
        if (injectDesign.equals(design)) {
            op.inject(injectNs, (int) injectPct);
        }
        return op;
    }

    /** The interval between a worker's scheduled ops at {@code rate} ops a second. */
    static long intervalNanos(long rate) {
        return Math.max(1, 1_000_000_000L / rate);
    }

    /** The rules between this workload's parameters, given its threads. */
    abstract void checkRules(OpThreads threads);

    /**
     * The file under test, {@code filePages} long and all holes: a real file on this machine's
     * kernel for the {@code linux} target (in the folder {@link Targets#kernelDir} names), else a
     * file of a new simulated filesystem under the design, with the device {@code mode}.
     */
    final void open(long filePages, BlockDevice.Mode mode) {
        if (Targets.isKernel(design)) {
            target = KernelFile.create(Targets.kernelDir(kernelFs), filePages);
            return;
        }
        fs = Sim.newFileSystem(design, filePages, deviceLatencyNs, mode, framePoolPages, CacheMode.parse(cacheMode));
        file = fs.createFile(filePages);
        target = new SimFile(fs, file, DesignRegistry.get(design));
    }

    /** Builds {@link #target} (through {@link #open}) and what else the workload shares between threads. */
    abstract void build();

    /** The op of a puncher thread. */
    RandomPuncher puncher(ThreadParams t) {
        throw noRole("puncher");
    }

    /** The op of a faulting thread. */
    Faulter faulter(ThreadParams t) {
        throw noRole("faulting");
    }

    /** The op of a writing thread. */
    Writer writer(ThreadParams t) {
        throw noRole("writing");
    }

    /** The op of a reading thread. */
    Reader reader(ThreadParams t) {
        throw noRole("reading");
    }

    /** The op of a direct-IO thread. */
    DirectIo directIo(ThreadParams t) {
        throw noRole("direct-IO");
    }

    private IllegalStateException noRole(String role) {
        return new IllegalStateException(getClass().getSimpleName() + " has no " + role + " threads");
    }

    /**
     * Refuses a range of {@code pages} (parameter {@code name}) that does not fit the
     * {@code room} pages of the area it works in, described as {@code area}.
     */
    static void fits(String name, long pages, long room, String area) {
        if (pages > room) {
            throw new IllegalArgumentException(name + "=" + pages + " is larger than " + area);
        }
    }

    @Setup(Level.Iteration)
    public void iterationStarted(IterationParams params) {
        if (params.getType() == IterationType.MEASUREMENT && !measuring) {
            // The lock statistics count measurement iterations only, as the histograms do. JMH
            // runs this before any thread enters the iteration, so every recorder is quiet.
            LockStat.reset();
            measuring = true;
        }
        recorder.iterationStarted(params);
    }

    @TearDown(Level.Iteration)
    public void iterationEnded(IterationParams params) {
        recorder.iterationEnded(params);
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        recorder.writeLogsIfRequested(params, target == null ? "no file" : target.summary());
        if (target != null) {
            target.close();
        }
    }
}
