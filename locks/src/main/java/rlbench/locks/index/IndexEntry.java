package rlbench.locks.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import rlbench.locks.wait.Timeouts;
import rlbench.locks.wait.WaitQueues;

/**
 * Anything a {@link PageIndex} slot can hold: a page of the simulated filesystem (a subclass there)
 * or a {@link LockEntry}. Every entry has a sleeping lock, the page lock of Linux's
 * {@code PG_locked}: one atomic to take, one to drop, sleepers on {@link WaitQueues hashed queues}.
 *
 * <p>The index keeps two fields for its own use: the back-pointer {@link #owner()} (Linux's
 * {@code page->mapping}: set on insertion, cleared on deletion, so a fault that found the page
 * without locks re-checks it after taking the page lock), and the <em>shadow</em>, what the slot
 * holds once this entry is deleted (Linux stores a workingset shadow there; the lock-entries
 * design stores its lock entry, so an evicted page's slot stays locked until the punch ends).
 */
public abstract class IndexEntry {

    private static final int LOCKED = 1;
    private static final int WAITERS = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(IndexEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** LOCKED | WAITERS bits; changed only with atomics through {@link #STATE}. */
    @SuppressWarnings("unused")
    private volatile int state;

    /**
     * The index this entry is in, or null. Written by the index under its lock; read without it,
     * so volatile: a reader that sees null after taking the page lock knows the entry was deleted.
     */
    volatile PageIndex owner;

    /** What the slot holds after this entry is deleted. Guarded by the owning index's lock. */
    IndexEntry shadow;

    /**
     * An optimistic design's stamp for the instantiation that inserted this entry (the sequence it
     * must still see when it validates). Written by the instantiating thread before the insertion
     * publishes the entry and read back by that same thread, so a plain field.
     */
    private long instantiationStamp;

    /** The stamp an optimistic design gave this entry's instantiation; see {@link #instantiationStamp(long)}. */
    public final long instantiationStamp() {
        return instantiationStamp;
    }

    /** Sets the stamp, before the entry is inserted, by the thread that inserts it. */
    public final void instantiationStamp(long stamp) {
        this.instantiationStamp = stamp;
    }

    /** Takes the lock if it is free; never waits. */
    public final boolean tryLock() {
        return STATE.compareAndSet(this, 0, LOCKED);
    }

    /** Takes the lock, waiting without a deadline and without giving up on interrupts. */
    public final void lock() {
        boolean interrupted = false;
        while (true) {
            try {
                lock(Timeouts.FOREVER);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes the lock, waiting at most {@code timeoutNanos} ({@link Timeouts}).
     *
     * @return false on timeout, the lock not taken
     */
    public final boolean lock(long timeoutNanos) throws InterruptedException {
        if (tryLock()) {
            return true;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        while (true) {
            if (timeoutNanos == Timeouts.TRY) {
                return false;
            }
            if (!WaitQueues.await(bucket(), this::stillHeldMarkWaiter, deadline)) {
                return false;
            }
            if (tryLockKeepingWaiters()) {
                return true;
            }
        }
    }

    /** Drops the lock and wakes sleepers if any asked to be woken. */
    public final void unlock() {
        int prev = (int) STATE.getAndSet(this, 0);
        if ((prev & LOCKED) == 0) {
            throw new IllegalMonitorStateException("entry not locked: " + this);
        }
        if ((prev & WAITERS) != 0) {
            WaitQueues.wakeAll(bucket());
        }
    }

    public final boolean isLocked() {
        return (state & LOCKED) != 0;
    }

    /**
     * Waits until the lock is seen free once, without taking it ({@code folio_wait_locked}).
     *
     * @return false on timeout
     */
    public final boolean awaitUnlocked(long timeoutNanos) throws InterruptedException {
        if (!isLocked()) {
            return true;
        }
        if (timeoutNanos == Timeouts.TRY) {
            return false;
        }
        return WaitQueues.await(bucket(), this::stillHeldMarkWaiter, Timeouts.deadline(timeoutNanos));
    }

    /**
     * Waits until the lock is seen free once, or until this entry no longer occupies slot
     * {@code at} of {@code index}, whichever comes first. For a waiter that found this entry by a
     * lock-free lookup: once the entry has left the slot, its lock says nothing about that slot
     * any more (its frame may already be some new page's, locked from birth, and that page's
     * creator may be waiting on the very waiter). An eviction unlocks the page after deleting it,
     * which wakes this waiter to look again.
     *
     * @return false on timeout
     */
    public final boolean awaitUnlockedWhileAt(PageIndex index, long at, long timeoutNanos)
            throws InterruptedException {
        if (!isLocked() || index.load(at) != this) {
            return true;
        }
        if (timeoutNanos == Timeouts.TRY) {
            return false;
        }
        return WaitQueues.await(bucket(), () -> stillHeldMarkWaiter() && index.load(at) == this,
                Timeouts.deadline(timeoutNanos));
    }

    /** The index this entry is in now, or null once deleted (Linux's {@code page->mapping}). */
    public final PageIndex owner() {
        return owner;
    }

    private boolean tryLockKeepingWaiters() {
        int s = state;
        // A woken waiter leaves WAITERS as the unlocker cleared it; others still asleep set it again.
        return (s & LOCKED) == 0 && STATE.compareAndSet(this, s, s | LOCKED);
    }

    private boolean stillHeldMarkWaiter() {
        while (true) {
            int s = state;
            if ((s & LOCKED) == 0) {
                return false;
            }
            if ((s & WAITERS) != 0 || STATE.compareAndSet(this, s, s | WAITERS)) {
                return true;
            }
        }
    }

    private Object bucket() {
        return WaitQueues.GLOBAL.bucket(System.identityHashCode(this));
    }
}
