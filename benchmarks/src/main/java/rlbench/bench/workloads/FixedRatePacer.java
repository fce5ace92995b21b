package rlbench.bench.workloads;

import java.util.concurrent.locks.LockSupport;

/**
 * Issues an operation every {@code intervalNanos} (an open-loop load, as wrk2 and the
 * HdrHistogram documentation recommend) and times each from its <em>scheduled</em> start, so a
 * thread that woke late or found the previous operation still running counts that delay as
 * latency. Slots that an operation overran by whole intervals are skipped, not issued in a burst
 * afterwards: {@link OpLatency#recordAtFixedRate} fills them in with the latencies they would
 * have seen, so each slot is counted exactly once (coordinated omission neither hidden nor
 * counted twice).
 *
 * <p>A 10 ms punch at a 1 ms interval, scheduled at t: recorded 10 ms plus the back-filled 9, 8,
 * ... 1 ms for the slots t+1 ... t+9 ms; the next punch is scheduled at t+10 ms, already past, so
 * it starts at once and its own lateness is part of its latency.
 *
 * <p>The wait is {@link LockSupport#parkNanos}, which wakes late by the OS timer slack (tens of
 * microseconds on Linux) and later still when every CPU is busy; that lateness counts as
 * latency, as it would for a request that arrived on time. A pacer made with a spin
 * ({@link #FixedRatePacer(long, long)}, the open-loop workers') parks only until shortly before
 * the slot and spins the rest, so that ops of a few microseconds are not timed mostly by the
 * timer slack; a thread descheduled while it spins is still late, and that still counts. On an oversubscribed machine it can
 * dominate short punches: compare with {@code punchIntervalUs=0}, or with {@link PunchBenchmark}.
 *
 * <p>An interval of 0 or less means closed loop: no waiting, each operation timed from when it is
 * called. One pacer per thread; {@link #reset} at every iteration start, so JMH's pause between
 * iterations does not count as a stall.
 */
public final class FixedRatePacer {

    private final long intervalNanos;
    /** The last stretch of each wait, in nanoseconds, spent spinning rather than parked. */
    private final long spinNanos;
    private boolean started;
    private long next;

    /** A pacer that parks for the whole of each wait. */
    public FixedRatePacer(long intervalNanos) {
        this(intervalNanos, 0);
    }

    /**
     * A pacer that parks until {@code spinNanos} before each slot and spins the rest, so that it
     * starts the op on time rather than a timer slack late; the price is up to
     * {@code spinNanos} of CPU per op (the whole wait when the interval is shorter).
     */
    public FixedRatePacer(long intervalNanos, long spinNanos) {
        this.intervalNanos = intervalNanos;
        this.spinNanos = Math.max(0, spinNanos);
    }

    public long intervalNanos() {
        return intervalNanos;
    }

    /** Forgets the schedule: the next {@link #awaitSlot} starts a new one, at once. */
    public void reset() {
        started = false;
    }

    /**
     * Parks until the next scheduled start and returns it ({@link System#nanoTime} based): the
     * time to measure the operation from. Returns at once, with the slot in the past, when
     * behind schedule; with no interval, returns now.
     */
    public long awaitSlot() {
        long now = System.nanoTime();
        if (intervalNanos <= 0) {
            return now;
        }
        if (!started) {
            started = true;
            next = now;
            return now;
        }
        long slot = next;
        while (now - slot < 0) {
            long left = slot - now;
            if (left > spinNanos) {
                LockSupport.parkNanos(left - spinNanos);
            } else {
                Thread.onSpinWait();
            }
            now = System.nanoTime();
        }
        return slot;
    }

    /**
     * The operation that started at {@code slot} finished at {@code end}: returns its latency and
     * schedules the next slot, skipping those it overran by whole intervals (the ones
     * {@link OpLatency#recordAtFixedRate} back-fills).
     */
    public long finish(long slot, long end) {
        long latency = end - slot;
        if (intervalNanos > 0) {
            long overran = latency / intervalNanos;
            next = slot + Math.max(1, overran) * intervalNanos;
        }
        return latency;
    }

    /** The next scheduled start (for tests). */
    long nextSlot() {
        return next;
    }
}
