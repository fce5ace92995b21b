package rlbench.bench.workloads;

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
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;
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

    /** Device blocks for a file of {@code filePages}: the file, an eighth more, and 1024, so no workload runs out. */
    public static long blocksFor(long filePages) {
        return filePages + filePages / 8 + 1024;
    }

    /**
     * The design, a name in {@link rlbench.locks.DesignRegistry}. No values here: the registry is
     * the one list of designs, and every run names them ({@code rlbench run} from {@code --designs},
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
     * Lock statistics ({@link LockStat}): on in every run, since they cost a thread-local lookup
     * and a counter bump per lock acquisition; {@code off} records nothing, no {@code lock_wait_*}
     * rows and no lock-statistics rows, for a run that wants even that cost gone.
     */
    @Param("on")
    public OnOff lockstat = OnOff.on;

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
        LockStat.setEnabled(lockstat == OnOff.on);
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
        checkRules(threads);
    }

    /** The rules between this workload's parameters, given its threads. */
    abstract void checkRules(OpThreads threads);

    /** Builds {@link #fs} and {@link #file} (and what else the workload shares between threads). */
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
        recorder.writeLogsIfRequested(params, Sim.oracleSummary(fs, design));
    }
}
