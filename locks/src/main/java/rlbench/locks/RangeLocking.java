package rlbench.locks;

/**
 * A reader/writer lock over inclusive ranges {@code [first, last]} of page indices: what the
 * range designs are built on, whatever keeps the ranges (an interval tree under one mutex, a
 * lock-free list). Shared holders of overlapping ranges coexist; an exclusive holder excludes
 * every overlapping holder. Timeouts follow {@link rlbench.locks.wait.Timeouts}; a waiter that
 * times out or is interrupted leaves the lock as if it had never asked. Lock and unlock pair up
 * on the same thread with the same arguments.
 */
public interface RangeLocking {

    /**
     * Locks {@code [first, last]} with {@code intent}, waiting at most {@code timeoutNanos}.
     *
     * @return false, with nothing held, when it could not be had in time
     * @throws InterruptedException if interrupted while waiting; nothing is held
     */
    boolean lock(long first, long last, Intent intent, long timeoutNanos) throws InterruptedException;

    /** Unlocks a range the calling thread holds with these arguments. */
    void unlock(long first, long last, Intent intent);

    /** Ranges held or waiting now, for tests and diagnostics. */
    int size();

    /** Ranges waiting now, for tests and diagnostics. */
    int waiting();

    /** Ranges the calling thread holds, for tests and diagnostics. */
    int heldByCurrentThread();
}
