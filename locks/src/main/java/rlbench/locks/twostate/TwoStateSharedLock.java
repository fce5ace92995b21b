package rlbench.locks.twostate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;

/**
 * A lock with two states, each shared among its own holders and excluding the other, after
 * bcachefs's {@code two_state_lock} ({@code fs/bcachefs/two_state_shared_lock.h}): one signed
 * counter and one wait queue. A positive count is that many holders in state {@link State#ADD},
 * a negative one that many in {@link State#BLOCK}, zero is free.
 *
 * <h2>Protocol</h2>
 * Acquire is a CAS loop that moves the count one step away from zero in its own direction, and
 * fails at once if the count stands on the other side. Release moves it one step back; the
 * release that brings it to zero wakes every sleeper, who all retry. There is no queue order and
 * no handoff, as in bcachefs: a stream of holders of one state that never lets the count reach
 * zero keeps the other state out for as long as it lasts. That is the design's known weakness,
 * and it is measured, not mended.
 *
 * <h2>Memory ordering</h2>
 * {@link #count} changes only by CAS (acquire) and getAndAdd (release), both volatile, so a holder's
 * critical section happens-after the acquisition that let it in and before the release that lets
 * the other state in. {@link #sleepers} is volatile too: a sleeper raises it under the queue's
 * monitor and then re-reads the count, a releaser changes the count and then reads
 * {@code sleepers}; both pairs are volatile accesses, so at least one of the two sees the other
 * and no wake-up is lost.
 *
 * <p>Allocation: none; sleeping uses the monitor of one queue object.
 */
public final class TwoStateSharedLock {

    /** The two states. */
    public enum State {
        /** Adding to the page cache: faults, readahead, write_begin, mkwrite. */
        ADD,
        /** Keeping additions out: punch, truncate, direct write. */
        BLOCK
    }

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(TwoStateSharedLock.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Holders: &gt; 0 in ADD, &lt; 0 in BLOCK. Changed only atomically through {@link #COUNT}. */
    @SuppressWarnings("unused")
    private volatile long count;
    /** Threads inside {@link #slowLock}'s monitor; read by releasers to skip an empty queue. */
    private volatile int sleepers;
    /** The wait queue: sleepers wait on its monitor, a release to zero notifies all. */
    private final Object queue = new Object();

    /** Takes {@code s} if the count is free or already in {@code s}; never waits. */
    public boolean tryLock(State s) {
        long step = s == State.ADD ? 1 : -1;
        long cur = count;
        while (true) {
            if (s == State.ADD ? cur < 0 : cur > 0) {
                return false;
            }
            long seen = (long) COUNT.compareAndExchange(this, cur, cur + step);
            if (seen == cur) {
                return true;
            }
            cur = seen;
        }
    }

    /**
     * Takes {@code s}, waiting at most {@code timeoutNanos} ({@link Timeouts} semantics).
     *
     * @return false, with nothing held, when it could not be had in time
     * @throws InterruptedException if interrupted while waiting; nothing is held
     */
    public boolean lock(State s, long timeoutNanos) throws InterruptedException {
        if (tryLock(s)) {
            return true;
        }
        if (timeoutNanos == Timeouts.TRY) {
            return false;
        }
        return slowLock(s, Timeouts.deadline(timeoutNanos));
    }

    private boolean slowLock(State s, long deadline) throws InterruptedException {
        long start = LockStat.waitStart();
        try {
            synchronized (queue) {
                sleepers++;
                try {
                    while (!tryLock(s)) {
                        if (!Timeouts.waitOn(queue, deadline)) {
                            return false;
                        }
                    }
                    return true;
                } finally {
                    sleepers--;
                }
            }
        } finally {
            LockStat.waitEnd(start);
        }
    }

    /** Drops one hold of {@code s}; the last holder out wakes every sleeper. */
    public void unlock(State s) {
        long step = s == State.ADD ? 1 : -1;
        long before = (long) COUNT.getAndAdd(this, -step);
        if (s == State.ADD ? before <= 0 : before >= 0) {
            COUNT.getAndAdd(this, step);
            throw new IllegalStateException("unlock of " + s + " not held (count was " + before + ")");
        }
        if (before == step && sleepers > 0) {
            synchronized (queue) {
                queue.notifyAll();
            }
        }
    }

    /** The count: holders in ADD if positive, in BLOCK if negative. */
    public long holders() {
        return count;
    }

    @Override
    public String toString() {
        long c = count;
        return c == 0 ? "free" : c > 0 ? c + " adding" : -c + " blocking";
    }
}
