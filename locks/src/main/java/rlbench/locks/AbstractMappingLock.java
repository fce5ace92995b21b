package rlbench.locks;

import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.LockEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.stat.LockPoint;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;

/**
 * The lock-point protocol every design shares, so a design only says what it locks. A design
 * has two hooks, and every shared lock point is made of them (an optimistic design adds a third
 * pair, {@link #beginOptimistic}/{@link #validateOptimistic}, read just before an instantiation
 * inserts its page and checked by {@link #instantiationStillValid}):
 * <ul>
 *   <li>{@link #acquireShared}/{@link #releaseShared}: the design's lock over a range of the
 *       mapping, shared (a whole-file semaphore, a shared range). Readahead takes it once per
 *       batch.</li>
 *   <li>{@link #acquireIndex}/{@link #releaseIndex}: what the design takes per page index (the
 *       index lock of {@code page-lock}). Readahead takes it per page, without waiting.</li>
 * </ul>
 *
 * <table>
 *   <caption>Lock points from the hooks</caption>
 *   <tr><th>lock point</th><th>takes</th></tr>
 *   <tr><td>instantiate(p)</td><td>shared [p,p], then index p, then the slot</td></tr>
 *   <tr><td>readahead(first,last)</td><td>shared [first,last]; per page: index p (try), then the slot</td></tr>
 *   <tr><td>mkwrite(p)</td><td>shared [p,p], then index p</td></tr>
 * </table>
 *
 * <p>"The slot": the caller's locked page is stored into the empty slot, under the index's own
 * lock. If the slot holds a page, someone else instantiated it first. If it holds a
 * {@link LockEntry}, an invalidation owns the slot: the design's lock is dropped, the caller
 * sleeps on the entry and tries again, or skips at once when it asked not to wait. Only the
 * lock-entries design ever places such entries; for the others that branch is dead.
 *
 * <p>Every lock point counts itself in the {@link LockStat lock statistics} here, once for all
 * designs: {@link LockStat#begin}/{@link LockStat#end} around the acquisition (a sleep on a lock
 * entry inside instantiate counts as that call's wait), {@link LockStat#released} before the
 * release. A design's own waits are timed by the wait primitives it uses.
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
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        Instantiation got = null;
        try {
            got = instantiate(pageIndex, page, timeoutNanos);
            return got;
        } finally {
            LockStat.end(stat, LockPoint.INSTANTIATE, mark, got == Instantiation.INSERTED);
        }
    }

    private Instantiation instantiate(long pageIndex, IndexEntry page, long timeoutNanos) throws InterruptedException {
        long deadline = Timeouts.deadline(timeoutNanos);
        while (true) {
            if (!acquirePage(pageIndex, Timeouts.remaining(deadline))) {
                return Instantiation.BUSY;
            }
            long stamp = beginOptimistic(Timeouts.remaining(deadline));
            if (stamp == NO_STAMP) {
                releasePage(pageIndex);
                return Instantiation.BUSY;
            }
            page.instantiationStamp(stamp);
            IndexEntry occupant = index.insertIfEmpty(pageIndex, page);
            if (occupant == null) {
                return Instantiation.INSERTED;
            }
            releasePage(pageIndex);
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
        LockStat.released(LockPoint.INSTANTIATE);
        releasePage(pageIndex);
    }

    @Override
    public final boolean lockReadahead(long first, long last, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        boolean held = false;
        try {
            held = acquireShared(first, last, timeoutNanos);
            return held;
        } finally {
            LockStat.end(stat, LockPoint.READAHEAD, mark, held);
        }
    }

    @Override
    public final Instantiation instantiateInBatch(long pageIndex, IndexEntry page) {
        try {
            if (!acquireIndex(pageIndex, Timeouts.TRY)) {
                return Instantiation.BUSY;
            }
            long stamp = beginOptimistic(Timeouts.TRY);
            if (stamp == NO_STAMP) {
                releaseIndex(pageIndex);
                return Instantiation.BUSY;
            }
            page.instantiationStamp(stamp);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // TRY never sleeps; keep the flag for the caller
            return Instantiation.BUSY;
        }
        IndexEntry occupant = index.insertIfEmpty(pageIndex, page);
        if (occupant == null) {
            return Instantiation.INSERTED;
        }
        releaseIndex(pageIndex);
        return occupant instanceof LockEntry ? Instantiation.BUSY : Instantiation.PRESENT;
    }

    @Override
    public final boolean instantiationStillValid(long pageIndex, IndexEntry page) {
        if (validateOptimistic(page.instantiationStamp())) {
            return true;
        }
        LockStat.count(LockPoint.INSTANTIATE_RETRY);
        return false;
    }

    @Override
    public final void endInstantiateInBatch(long pageIndex) {
        releaseIndex(pageIndex);
    }

    @Override
    public final void unlockReadahead(long first, long last) {
        LockStat.released(LockPoint.READAHEAD);
        releaseShared(first, last);
    }

    @Override
    public final boolean lockMkwrite(long pageIndex, long timeoutNanos) throws InterruptedException {
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        boolean held = false;
        try {
            held = acquirePage(pageIndex, timeoutNanos);
            return held;
        } finally {
            LockStat.end(stat, LockPoint.MKWRITE, mark, held);
        }
    }

    @Override
    public final void unlockMkwrite(long pageIndex) {
        LockStat.released(LockPoint.MKWRITE);
        releasePage(pageIndex);
    }

    @Override
    public final boolean lockInvalidate(long first, long last, long timeoutNanos) throws InterruptedException {
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        boolean held = false;
        try {
            held = acquireInvalidate(first, last, timeoutNanos);
            return held;
        } finally {
            LockStat.end(stat, LockPoint.INVALIDATE, mark, held);
        }
    }

    @Override
    public final void unlockInvalidate(long first, long last) {
        LockStat.released(LockPoint.INVALIDATE);
        releaseInvalidate(first, last);
    }

    /**
     * The design's invalidate(first,last), exclusive over the range: waits at most
     * {@code timeoutNanos} and returns false (nothing held) when it could not; checks the range.
     */
    protected abstract boolean acquireInvalidate(long first, long last, long timeoutNanos) throws InterruptedException;

    /** Drops what {@link #acquireInvalidate} took. */
    protected abstract void releaseInvalidate(long first, long last);

    /** Shared [p,p] then index p; on failure nothing is held. */
    private boolean acquirePage(long pageIndex, long timeoutNanos) throws InterruptedException {
        checkRange(pageIndex, pageIndex);
        long deadline = Timeouts.deadline(timeoutNanos);
        if (!acquireShared(pageIndex, pageIndex, timeoutNanos)) {
            return false;
        }
        boolean held = false;
        try {
            held = acquireIndex(pageIndex, Timeouts.remaining(deadline));
            return held;
        } finally {
            if (!held) {
                releaseShared(pageIndex, pageIndex);
            }
        }
    }

    private void releasePage(long pageIndex) {
        releaseIndex(pageIndex);
        releaseShared(pageIndex, pageIndex);
    }

    /**
     * Takes this design's shared lock over {@code [first, last]}, waiting at most
     * {@code timeoutNanos}; returns false (nothing held) when it could not. Designs with no
     * mapping-wide or range lock keep this no-op.
     */
    protected boolean acquireShared(long first, long last, long timeoutNanos) throws InterruptedException {
        return true;
    }

    /** Drops what {@link #acquireShared} took. */
    protected void releaseShared(long first, long last) {
    }

    /**
     * Takes what this design locks per page index, waiting at most {@code timeoutNanos}; returns
     * false (nothing held) when it could not. Designs with no per-index lock keep this no-op.
     */
    protected boolean acquireIndex(long pageIndex, long timeoutNanos) throws InterruptedException {
        return true;
    }

    /** Drops what {@link #acquireIndex} took. */
    protected void releaseIndex(long pageIndex) {
    }

    /** What {@link #beginOptimistic} returns when it could not start in time. */
    protected static final long NO_STAMP = -1;

    /**
     * For an optimistic design: called just before an instantiation inserts its page, with what
     * the design takes up front already held; returns the stamp the instantiation will validate
     * against ({@link #validateOptimistic}), waiting at most {@code timeoutNanos} while no
     * instantiation may start (an invalidation running), or {@link #NO_STAMP} when it could not.
     * Designs that lock keep this default, which never waits.
     */
    protected long beginOptimistic(long timeoutNanos) throws InterruptedException {
        return 0;
    }

    /**
     * For an optimistic design: whether an instantiation that began at {@code stamp} overlapped no
     * invalidation; called after its page was inserted and its block read.
     */
    protected boolean validateOptimistic(long stamp) {
        return true;
    }

    /** Rejects a range the index cannot hold; every design checks ranges the same way. */
    protected static void checkRange(long first, long last) {
        if (first < 0 || last < first || last > PageIndex.MAX_INDEX) {
            throw new IllegalArgumentException("bad page range [" + first + ", " + last + "]");
        }
    }
}
