package rlbench.locks.designs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rlbench.locks.MappingLock.Instantiation;
import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.LockEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/** What makes lock entries lock entries, beyond the conformance every design passes. */
class LockEntriesTest {

    private static final class Page extends IndexEntry {
        static Page locked() {
            Page p = new Page();
            p.tryLock();
            return p;
        }
    }

    private final PageIndex index = new PageIndex();
    private final LockEntries lock = new LockEntries(index);

    @Test
    void hugeSparsePunchWritesFewEntriesNotOnePerPage() {
        long first = 1_000_001;
        long last = first + 262_144 - 1;
        Page cached = Page.locked();
        assertEquals(Instantiation.INSERTED, lock.lockInstantiate(first + 5_000, cached));
        cached.unlock();
        lock.unlockInstantiate(first + 5_000);

        lock.lockInvalidate(first, last);
        long slots = index.lockEntrySlots();
        assertTrue(slots > 0 && slots < 1_000, "a 262144-page punch wrote " + slots + " lock-entry slots");
        assertTrue(index.load(first) instanceof LockEntry);
        assertTrue(index.load(last) instanceof LockEntry);
        assertTrue(index.load(first + 100_000) instanceof LockEntry);
        assertSame(cached, index.load(first + 5_000), "cached pages stay for the punch to evict");
        assertEquals(null, index.load(first - 1));
        assertEquals(null, index.load(last + 1));
        lock.unlockInvalidate(first, last);
        assertEquals(0, index.lockEntrySlots());
    }

    @Test
    void evictedPageSlotStaysLockedUntilThePunchEnds() throws Exception {
        Page cached = Page.locked();
        lock.lockInstantiate(10, cached);
        cached.unlock();
        lock.unlockInstantiate(10);

        lock.lockInvalidate(0, 63);
        // The punch evicts the page, as truncate_pagecache_range does, under its page lock.
        cached.lock();
        assertTrue(index.delete(10, cached));
        cached.unlock();
        // Readahead skips the slot, a fault would sleep: the hole cannot be refilled mid-punch.
        assertTrue(index.load(10) instanceof LockEntry);
        assertEquals(Instantiation.BUSY, lock.lockInstantiate(10, Page.locked(), Timeouts.TRY));
        lock.unlockInvalidate(0, 63);

        Page fresh = Page.locked();
        assertEquals(Instantiation.INSERTED, lock.lockInstantiate(10, fresh, Timeouts.TRY));
        assertEquals(0, index.lockEntrySlots());
    }
}
