package rlbench.bench.workloads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import rlbench.locks.stat.LockStat;

/**
 * One thread's latency histogram for one operation, in nanoseconds. Created by
 * {@link LatencyRecorder#register}, owned by one benchmark thread, which records into it without
 * synchronisation; the recorder reads it only after the trial's threads have stopped (JMH's
 * end-of-iteration barrier orders the two).
 *
 * <p>The histogram is allocated at full size up front (1 ns to {@link #HIGHEST_TRACKABLE_NS}, 3
 * significant digits, about 270 KiB) and never resizes, so recording allocates nothing; a value
 * beyond the range is clamped to it rather than thrown on.
 *
 * <p>Recording is on only during JMH measurement iterations: the owner's
 * {@code @Setup(Level.Iteration)} passes the iteration's {@link IterationParams} to
 * {@link #iteration}, and warmup samples are dropped. Each measurement iteration keeps its own
 * histogram ({@link #iterations}): comparing two runs tests per-iteration values, because the
 * operations within one iteration are not independent samples of a run. The copy is made at the
 * iteration boundary, outside the measured loop.
 */
public final class OpLatency {

    /** One hour: anything longer is a hang, not a latency. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.HOURS.toNanos(1);
    /** Value precision of every histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final String op;
    private final Histogram histogram;
    /** Earlier measurement iterations, oldest first. Owner thread only, until the trial ends. */
    private final List<Histogram> finished = new ArrayList<>();
    /**
     * Per op, the time it waited for locks (the sum of its waits; 0 when it waited for none), kept
     * like the latency: one histogram per measurement iteration. Empty while lock statistics are off.
     */
    private final Histogram lockWait;
    private final List<Histogram> finishedLockWait = new ArrayList<>();
    /** Read and written by the owning thread only. */
    private boolean recording;

    OpLatency(String op) {
        this.op = op;
        this.histogram = newHistogram();
        this.lockWait = newHistogram();
    }

    /** An empty histogram of the shape every recorder uses. */
    static Histogram newHistogram() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /** The operation's name, as it appears in the .hlog file names. */
    public String op() {
        return op;
    }

    /** Turns recording on for a measurement iteration, off for a warmup one. */
    public void iteration(IterationParams params) {
        if (recording) {
            finished.add(histogram.copy());
            histogram.reset();
            finishedLockWait.add(lockWait.copy());
            lockWait.reset();
        }
        recording = params.getType() == IterationType.MEASUREMENT;
    }

    /** Turns recording on or off directly (tests, and callers outside JMH). */
    public void recording(boolean on) {
        recording = on;
    }

    public boolean isRecording() {
        return recording;
    }

    /** Records one operation's latency, if recording. Allocation-free. */
    public void record(long nanos) {
        if (recording) {
            histogram.recordValue(clamp(nanos));
        }
    }

    /**
     * Records the latency of an operation meant to start every {@code intervalNanos} and timed from
     * its scheduled start: besides {@code nanos}, one sample for each start slot the operation
     * overran ({@code nanos - intervalNanos}, {@code nanos - 2 * intervalNanos}, ... while at
     * least {@code intervalNanos}), what those operations would have waited had they been issued
     * on time. This is HdrHistogram's correction for coordinated omission; {@link FixedRatePacer}
     * skips exactly those slots, so every slot is counted once. An interval of 0 or less records
     * the one value. Allocation-free.
     */
    public void recordAtFixedRate(long nanos, long intervalNanos) {
        if (recording) {
            if (intervalNanos > 0) {
                histogram.recordValueWithExpectedInterval(clamp(nanos), intervalNanos);
            } else {
                histogram.recordValue(clamp(nanos));
            }
        }
    }

    /**
     * Records the time one op waited for locks, if recording and lock statistics are on
     * ({@link LockStat#on}). Allocation-free.
     */
    public void recordLockWait(long nanos) {
        if (recording && LockStat.on()) {
            lockWait.recordValue(clamp(nanos));
        }
    }

    /** Every measurement iteration's lock-wait histogram, as {@link #iterations} gives the latency's. */
    List<Histogram> lockWaitIterations() {
        List<Histogram> all = new ArrayList<>(finishedLockWait);
        if (recording || lockWait.getTotalCount() > 0) {
            all.add(lockWait);
        }
        return all;
    }

    /** The current iteration's histogram; read it only while its owner is not recording. */
    Histogram histogram() {
        return histogram;
    }

    /**
     * Every measurement iteration's histogram, oldest first, the current one last (when it
     * recorded); read only after the owner has stopped.
     */
    List<Histogram> iterations() {
        List<Histogram> all = new ArrayList<>(finished);
        if (recording || histogram.getTotalCount() > 0) {
            all.add(histogram);
        }
        return all;
    }

    private static long clamp(long nanos) {
        return nanos < 0 ? 0 : Math.min(nanos, HIGHEST_TRACKABLE_NS);
    }
}
