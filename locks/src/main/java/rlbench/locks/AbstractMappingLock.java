package rlbench.locks;

import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.LockEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/**
 * The instantiation protocol every design shares, so a design only says what it locks.
 *
 * <p>{@code lockInstantiate} takes the design's lock for the index ({@link #acquireInstantiate}),
 * then stores the caller's locked page into the empty slot, under the index's own lock. If the
 * slot holds a page, someone else instantiated it first. If it holds a {@link LockEntry}, an
 * invalidation owns the slot: the design's lock is dropped, the caller sleeps on the entry and
 * tries again, or skips at once when it asked not to wait. Only the lock-entries design ever
 * places such entries; for the others that branch is dead.
 */
public abstract class AbstractMappingLock implements MappingLock {

    private final PageIndex index;

    protected AbstractMappingLock(PageIndex index) {
        this.index = java.util.Objects.requireNonNull(index, "index");
    }

    @Override
    public final PageIndex index() {
        return index;
    }

    @Override
    public final Instantiation lockInstantiate(long pageIndex, IndexEntry page, long timeoutNanos)
            throws InterruptedException {
        long deadline = Timeouts.deadline(timeoutNanos);
        while (true) {
            if (!acquireInstantiate(pageIndex, Timeouts.remaining(deadline))) {
                return Instantiation.BUSY;
            }
            IndexEntry occupant = index.insertIfEmpty(pageIndex, page);
            if (occupant == null) {
                return Instantiation.INSERTED;
            }
            releaseInstantiate(pageIndex);
            if (!(occupant instanceof LockEntry)) {
                return Instantiation.PRESENT;
            }
            if (!occupant.awaitUnlocked(Timeouts.remaining(deadline))) {
                return Instantiation.BUSY;
            }
        }
    }

    @Override
    public final void unlockInstantiate(long pageIndex) {
        releaseInstantiate(pageIndex);
    }

    /**
     * Takes this design's lock for instantiating the page at {@code pageIndex}, waiting at most
     * {@code timeoutNanos}; returns false (nothing held) when it could not. Designs that take
     * nothing beyond the slot itself ({@code none}, {@code lock-entries}) keep this no-op.
     */
    protected boolean acquireInstantiate(long pageIndex, long timeoutNanos) throws InterruptedException {
        return true;
    }

    /** Drops what {@link #acquireInstantiate} took. */
    protected void releaseInstantiate(long pageIndex) {
    }

    /** Designs that take nothing at the write() level keep this. */
    @Override
    public boolean lockWrite(long first, long last, Intent intent, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        return true;
    }

    @Override
    public void unlockWrite(long first, long last, Intent intent) {
    }

    /** Rejects a range the index cannot hold; every design checks ranges the same way. */
    protected static void checkRange(long first, long last) {
        if (first < 0 || last < first || last > PageIndex.MAX_INDEX) {
            throw new IllegalArgumentException("bad page range [" + first + ", " + last + "]");
        }
    }
}
