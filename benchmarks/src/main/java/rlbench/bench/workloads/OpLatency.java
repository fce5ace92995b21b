package rlbench.bench.workloads;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

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
 * {@link #iteration}, and warmup samples are dropped.
 */
public final class OpLatency {

    /** One hour: anything longer is a hang, not a latency. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.HOURS.toNanos(1);
    /** Value precision of every histogram. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final String op;
    private final Histogram histogram;
    /** Read and written by the owning thread only. */
    private boolean recording;

    OpLatency(String op) {
        this.op = op;
        this.histogram = newHistogram();
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

    /** The histogram itself; read it only while its owner is not recording. */
    Histogram histogram() {
        return histogram;
    }

    private static long clamp(long nanos) {
        return nanos < 0 ? 0 : Math.min(nanos, HIGHEST_TRACKABLE_NS);
    }
}
