package rlbench.bench.workloads;

import org.openjdk.jmh.infra.IterationParams;
import rlbench.locks.stat.LockStat;

/**
 * One kind of operation a benchmark thread repeats (a fault, a write, a read, a punch), with the
 * histogram it records into. {@link #run} is the JMH operation; {@link #iteration} switches
 * recording on for measurement iterations only.
 *
 * <p>Every op times its filesystem call between {@link #begin} and {@link #end}, which carry the
 * two knobs the workloads share. Pacing ({@link #pace}): closed loop by default (each op timed
 * from when it starts), or open loop at a fixed interval, where {@link #begin} waits for the
 * op's scheduled slot and the latency runs from that slot, with the slots an overrun skipped
 * back-filled ({@link FixedRatePacer}, {@link OpLatency#recordAtFixedRate}): a stall shows in
 * every op it delayed, not once. Injection ({@link #inject}): a busy-wait of a fixed number of
 * nanoseconds, or of a percentage of the op's own running time, inside the timed part, a
 * regression made on demand (the workloads give it to the
 * ops of one design only, {@code injectDesign}). Both are set once, by the owner thread in its
 * trial setup, before the first {@link #run}.
 */
abstract class TimedOp {

    final OpLatency latency;
    /** Closed loop (interval 0) unless {@link #pace}d. Owner thread only. */
    private FixedRatePacer pacer = new FixedRatePacer(0);
    /** Nanoseconds busy-waited inside each timed op; 0: none. Owner thread only. */
    private long injectNs;
    /** Percent of each timed op's own running time busy-waited after it; 0: none. Owner thread only. */
    private int injectPct;
    /** When the current op really started (after any wait for its slot), with {@link #injectPct} only. */
    private long startedAt;
    /**
     * The owner thread's lock statistics, taken here because ops are built by the thread that runs
     * them (in its trial setup), so the operation loop never creates it.
     */
    private final LockStat.Recorder locks = LockStat.thread();

    TimedOp(OpLatency latency) {
        this.latency = latency;
    }

    /** Before the timed call: this thread's lock-wait total so far, for {@link #recordLockWait}. */
    final long lockMark() {
        return locks.waitMark();
    }

    /**
     * After the timed call: records the time the op waited for locks since {@code mark} (the sum
     * of its waits, 0 when it never waited) beside its latency. Allocation-free.
     */
    final void recordLockWait(long mark) {
        latency.recordLockWait(locks.waitMark() - mark);
    }

    /**
     * How long before each slot an open-loop worker stops parking and spins: more than Linux's
     * default timer slack (50 us) and a scheduler wake-up, so that the op starts on its slot;
     * it costs up to this much CPU per op (10% of a CPU at 1000 ops/s).
     */
    static final long WORKER_SPIN_NS = 100_000;

    /** Open loop at one op every {@code intervalNanos} (0 or less: closed loop), parked between ops. Setup only. */
    final void pace(long intervalNanos) {
        pacer = new FixedRatePacer(intervalNanos);
    }

    /** Open loop as {@link #pace(long)}, spinning the last {@code spinNanos} before each slot. Setup only. */
    final void pace(long intervalNanos, long spinNanos) {
        pacer = new FixedRatePacer(intervalNanos, spinNanos);
    }

    /**
     * Busy-waits {@code nanos}, then {@code pct} percent of the op's own running time, inside
     * every timed op from now on (0: none). Setup only.
     */
    final void inject(long nanos, int pct) {
        injectNs = nanos;
        injectPct = pct;
    }

    /** The pacing interval in nanoseconds; 0 for closed loop. */
    final long intervalNanos() {
        return pacer.intervalNanos();
    }

    /**
     * Per iteration: recording on or off, and a fresh schedule (JMH's pause between iterations is
     * no stall). Subclasses with more per-iteration state add to it.
     */
    void iteration(IterationParams params) {
        latency.iteration(params);
        pacer.reset();
    }

    /**
     * The start of the timed part: in open loop, after waiting for it, the op's scheduled slot
     * (in the past when the thread is behind); in closed loop, now.
     */
    final long begin() {
        long slot = pacer.awaitSlot();
        if (injectPct > 0) {
            // In closed loop the slot is the clock just read; only an open-loop slot needs a fresh one.
            startedAt = pacer.intervalNanos() > 0 ? System.nanoTime() : slot;
        }
        return slot;
    }

    /**
     * The end of the timed part that {@link #begin} started at {@code start}: the injected
     * busy-wait, if any ({@code injectNs} plus the percentage of the time since the op really
     * began, spun against one deadline), then the latency recorded from {@code start} (back-filling skipped slots
     * in open loop) and the next slot scheduled. Allocation-free.
     */
    final void end(long start) {
        long end = System.nanoTime();
        if (injectNs > 0 || injectPct > 0) {
            end = spinUntil(end + injectNs + (injectPct > 0 ? (end - startedAt) * injectPct / 100 : 0));
        }
        latency.recordAtFixedRate(pacer.finish(start, end), pacer.intervalNanos());
    }

    /**
     * Spins until the clock reaches {@code deadline} and returns that reading, so an injection
     * costs its own length plus at most one clock read: no extra reads before or after it (each
     * is about 30 ns on the 2-core VM's kvm-clock, a quarter of a 10% slowdown of a 1 µs fault).
     * No {@link Thread#onSpinWait} between reads, which would make the overshoot a pause longer.
     */
    static long spinUntil(long deadline) {
        long now;
        do {
            now = System.nanoTime();
        } while (now - deadline < 0);
        return now;
    }

    /** One operation; returns a value for JMH to consume (JMHSample_08 DeadCode). */
    abstract long run();
}
