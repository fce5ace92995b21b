package rlbench.locks.designs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import rlbench.locks.Intent;
import rlbench.locks.wait.Timeouts;
import rlbench.locks.wait.WaitQueues;

/**
 * A reader/writer semaphore shaped like the kernel's {@code rw_semaphore}: one word holds the
 * reader count, the writer bit, a count of writers waiting and a WAITERS bit; sleepers use the
 * {@link WaitQueues hashed queues}. Not reentrant, as an rwsem is not.
 *
 * <p>Writers are not starved: once a writer waits, new readers wait behind it (Linux gets the same
 * effect from its wait list and handoff bit). A stream of faults therefore cannot keep a punch out
 * forever. {@link java.util.concurrent.locks.StampedLock} was tried first and does not do this:
 * its read fast path barges past a queued writer.
 *
 * <p>Memory ordering: every change is a CAS on {@link #state} (volatile semantics): acquire on the
 * way in, release on the way out, so a holder sees everything the previous holders wrote. A
 * releaser that saw WAITERS clears it in the same CAS and then wakes the bucket; a sleeper sets
 * it under the bucket monitor before it waits, so no wake-up falls between the two.
 */
final class RwSemaphore {

    private static final long READER = 1L;
    private static final long READER_MASK = (1L << 30) - 1;
    private static final long WRITER = 1L << 30;
    private static final long WAITERS = 1L << 31;
    private static final long WRITER_WAITING = 1L << 32;
    private static final long WRITER_WAITING_MASK = 0xFFFFL << 32;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(RwSemaphore.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Changed only by CAS through {@link #STATE}. */
    private volatile long state;

    private final Object bucket = WaitQueues.GLOBAL.bucket(System.identityHashCode(this));

    boolean acquire(Intent intent, long timeoutNanos) throws InterruptedException {
        return intent == Intent.SHARED ? acquireShared(timeoutNanos) : acquireExclusive(timeoutNanos);
    }

    void release(Intent intent) {
        if (intent == Intent.SHARED) {
            releaseShared();
        } else {
            releaseExclusive();
        }
    }

    private boolean acquireShared(long timeoutNanos) throws InterruptedException {
        if (tryAcquireShared()) {
            return true;
        }
        if (timeoutNanos == Timeouts.TRY) {
            return false;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        do {
            if (!WaitQueues.await(bucket, () -> blockedMarkWaiter(WRITER | WRITER_WAITING_MASK), deadline)) {
                return false;
            }
        } while (!tryAcquireShared());
        return true;
    }

    private boolean tryAcquireShared() {
        while (true) {
            long s = state;
            if ((s & (WRITER | WRITER_WAITING_MASK)) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s + READER)) {
                return true;
            }
        }
    }

    private boolean acquireExclusive(long timeoutNanos) throws InterruptedException {
        long s = state;
        if ((s & (WRITER | READER_MASK)) == 0 && STATE.compareAndSet(this, s, s | WRITER)) {
            return true;
        }
        if (timeoutNanos == Timeouts.TRY) {
            return false;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        STATE.getAndAdd(this, WRITER_WAITING);
        boolean acquired = false;
        try {
            while (!(acquired = tryAcquireExclusiveAsWaiter())) {
                if (!WaitQueues.await(bucket, () -> blockedMarkWaiter(WRITER | READER_MASK), deadline)) {
                    return false;
                }
            }
            return true;
        } finally {
            if (!acquired) {
                // Readers may be sleeping only because we were waiting.
                releaseBits(WRITER_WAITING, true);
            }
        }
    }

    private boolean tryAcquireExclusiveAsWaiter() {
        while (true) {
            long s = state;
            if ((s & (WRITER | READER_MASK)) != 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, (s - WRITER_WAITING) | WRITER)) {
                return true;
            }
        }
    }

    private void releaseShared() {
        if ((state & READER_MASK) == 0) {
            throw new IllegalMonitorStateException("rwsem not held shared");
        }
        releaseBits(READER, false);
    }

    private void releaseExclusive() {
        if ((state & WRITER) == 0) {
            throw new IllegalMonitorStateException("rwsem not held exclusive");
        }
        releaseBits(WRITER, true);
    }

    /**
     * Subtracts {@code bits}; if sleepers are marked and the semaphore may now admit one (always,
     * for {@code wakeAlways}; for a reader leaving, only when it was the last), clears WAITERS in
     * the same CAS and wakes the bucket.
     */
    private void releaseBits(long bits, boolean wakeAlways) {
        while (true) {
            long s = state;
            long next = s - bits;
            boolean wake = (s & WAITERS) != 0 && (wakeAlways || (next & READER_MASK) == 0);
            if (wake) {
                next &= ~WAITERS;
            }
            if (STATE.compareAndSet(this, s, next)) {
                if (wake) {
                    WaitQueues.wakeAll(bucket);
                }
                return;
            }
        }
    }

    /** Under the bucket monitor: true (and WAITERS set) while any of {@code blockers} is set. */
    private boolean blockedMarkWaiter(long blockers) {
        while (true) {
            long s = state;
            if ((s & blockers) == 0) {
                return false;
            }
            if ((s & WAITERS) != 0 || STATE.compareAndSet(this, s, s | WAITERS)) {
                return true;
            }
        }
    }

    @Override
    public String toString() {
        long s = state;
        return "rwsem[readers=" + (s & READER_MASK) + ", writer=" + ((s & WRITER) != 0)
                + ", writersWaiting=" + ((s & WRITER_WAITING_MASK) >>> 32) + ", waiters=" + ((s & WAITERS) != 0) + "]";
    }
}
