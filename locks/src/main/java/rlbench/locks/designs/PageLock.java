package rlbench.locks.designs;

import rlbench.locks.AbstractMappingLock;
import rlbench.locks.Design;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/**
 * {@code page-lock}: a sleeping lock per page index, which exists even where no page does. A
 * fault that instantiates page p, and a write fault that gives cached page p a block (mkwrite),
 * take the lock of p; readahead tries the lock of each page of its batch and skips the pages it
 * cannot have at once (there is no batch-wide lock to take); a punch takes the lock of every
 * index in its range, in ascending order (the only order that cannot deadlock two punches), and
 * holds them all until the blocks are freed.
 *
 * <p>Side of the argument: Kara's aside in seed 002, "implement the common case of locking a range
 * containing a single page by just taking page lock": the fault path pays one uncontended atomic
 * on a word nobody else touches, the cheapest possible serialisation.
 *
 * <p>Known costs: a punch costs O(range), one atomic per page index whether or not a page is
 * cached, and memory for those locks: a 262144-page punch of an empty range still takes 262144
 * locks. Chinner's objection ("all the cases I think we need to care about are locking large
 * ranges") is exactly this cost; the punch benchmarks measure it. Lock words are ints packed 16
 * to a cache line, so faults on neighbouring indices share a line (Linux's page lock lives in its
 * own 64-byte struct page).
 */
public final class PageLock extends AbstractMappingLock {

    public static final Design DESIGN = new Design("page-lock", true,
            "a lock per page index, punch takes every one ascending (Kara, seed 002)", PageLock::new);

    private final IndexLockTable locks = new IndexLockTable();

    public PageLock(PageIndex index) {
        super(index);
    }

    @Override
    protected boolean acquireIndex(long pageIndex, long timeoutNanos) throws InterruptedException {
        return locks.lock(pageIndex, timeoutNanos);
    }

    @Override
    protected void releaseIndex(long pageIndex) {
        locks.unlock(pageIndex);
    }

    @Override
    protected boolean acquireInvalidate(long first, long last, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        long deadline = Timeouts.deadline(timeoutNanos);
        long i = first;
        try {
            for (; i <= last; i++) {
                if (!locks.lock(i, Timeouts.remaining(deadline))) {
                    break;
                }
            }
        } finally {
            if (i <= last) {
                unlockRange(first, i - 1);
            }
        }
        return i > last;
    }

    @Override
    protected void releaseInvalidate(long first, long last) {
        unlockRange(first, last);
    }

    private void unlockRange(long first, long last) {
        for (long i = first; i <= last; i++) {
            locks.unlock(i);
        }
    }

    /** Whether the lock of {@code index} is held; for tests. */
    boolean isLocked(long index) {
        return locks.isLocked(index);
    }
}
