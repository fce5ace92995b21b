package rlbench.locks.designs;

import rlbench.locks.AbstractMappingLock;
import rlbench.locks.Design;
import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.LockEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/**
 * {@code lock-entries}: the punch locks the range by storing lock entries in the page index itself,
 * DAX's locked entries made a page-cache concept, as Wilcox proposed in seed 003 ("holepunch could
 * insert lock entries into the pagecache to cover the range being punched, and readpage(s) would
 * either skip lock entries or block on them"). There is no side structure: the lock state of an
 * index is what its slot holds.
 *
 * <p>instantiate(p) takes nothing of its own: storing the new, locked page into the empty slot
 * is the lock, exactly the atomic the page cache already does on every miss. A fault that finds a
 * lock entry in the slot sleeps on it (hashed wait queues); readahead skips it
 * ({@link AbstractMappingLock} does both).
 *
 * <p>invalidate(first,last), under the index lock and in ascending order, fills every empty slot
 * of the range with one {@link LockEntry}, using multi-index slots (one slot high in the tree
 * covers an aligned block of 64^k indices, XArray's multi-index entries), so an empty 262144-page
 * range costs a few dozen stores, not 262144. Cached pages stay where they are but get the entry
 * as their shadow: when the punch evicts one, its slot reverts to the lock entry, so no fault can
 * re-create it before the blocks are freed. Meeting another punch's entry, it waits there, holding
 * only indices below it (ascending order, so two punches cannot deadlock). Finally it waits until
 * every page in the range has been unlocked once, so no instantiation that began before the fill
 * is still looking up its block.
 *
 * <p>Known costs: a punch pays O(pages cached + gaps) under the index lock, which every page-cache
 * insertion of the file also takes, so a long fill stalls faults; page-cache lookups must treat
 * lock entries as not-a-page; sleeping fault waiters share hashed queues and can be woken by
 * unrelated unlocks.
 */
public final class LockEntries extends AbstractMappingLock {

    public static final Design DESIGN = new Design("lock-entries", true,
            "DAX-style lock entries in the page index itself (Wilcox, seed 003)", LockEntries::new);

    /** Pages taken from the index at a time while waiting for the range's pages to be unlocked once. */
    private static final int WAIT_BATCH = 32;

    public LockEntries(PageIndex index) {
        super(index);
    }

    @Override
    protected boolean acquireInvalidate(long first, long last, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        long deadline = Timeouts.deadline(timeoutNanos);
        PageIndex index = index();
        LockEntry mine = LockEntry.newLocked();
        boolean locked = false;
        try {
            long blockedAt = first;
            while ((blockedAt = index.fillEmpty(blockedAt, last, mine)) >= 0) {
                LockEntry other = index.lockEntryAt(blockedAt);
                if (other != null && other != mine && !other.awaitUnlocked(Timeouts.remaining(deadline))) {
                    return false;
                }
            }
            // One walk of the index in batches (the pages and their slots), not a lookup per page.
            IndexEntry[] pages = new IndexEntry[WAIT_BATCH];
            long[] at = new long[WAIT_BATCH];
            long from = first;
            int n;
            do {
                n = index.gather(from, last, pages, at);
                for (int k = 0; k < n; k++) {
                    // The page may have been evicted since the walk saw it; its slot then holds our own entry.
                    if (!pages[k].awaitUnlockedWhileAt(index, at[k], Timeouts.remaining(deadline))) {
                        return false;
                    }
                }
                if (n > 0) {
                    from = at[n - 1] + 1;
                }
            } while (n == WAIT_BATCH && from <= last);
            locked = true;
            return true;
        } finally {
            if (!locked) {
                release(first, last, mine);
            }
        }
    }

    @Override
    protected void releaseInvalidate(long first, long last) {
        LockEntry mine = index().lockEntryAt(first);
        if (mine == null) {
            throw new IllegalMonitorStateException("no lock entry at " + first);
        }
        release(first, last, mine);
    }

    private void release(long first, long last, LockEntry mine) {
        index().clear(first, last, mine);
        mine.unlock();
    }
}
