package rlbench.bench.workloads;

import org.openjdk.jmh.infra.IterationParams;
import rlbench.locks.stat.LockStat;

/**
 * One kind of operation a benchmark thread repeats (a fault, a write, a read, a punch), with the
 * histogram it records into. {@link #run} is the JMH operation; {@link #iteration} switches
 * recording on for measurement iterations only.
 */
abstract class TimedOp {

    final OpLatency latency;
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

    /** Per iteration: recording on or off. Subclasses with more per-iteration state add to it. */
    void iteration(IterationParams params) {
        latency.iteration(params);
    }

    /** One operation; returns a value for JMH to consume (JMHSample_08 DeadCode). */
    abstract long run();
}
