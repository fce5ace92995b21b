package rlbench.locks.rangetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rlbench.locks.Intent;
import rlbench.locks.MappingLock;
import rlbench.locks.MappingLock.Instantiation;
import rlbench.locks.designs.RangeTreeLock;
import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/** The range-tree design through the SPI: what it takes at each lock point. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RangeTreeLockTest {

    private static final class Page extends IndexEntry {
        static Page newLocked() {
            Page p = new Page();
            assertTrue(p.tryLock());
            return p;
        }
    }

    private final ExecutorService other = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "range-tree-other");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    private boolean otherCanInvalidate(MappingLock lock, long first, long last) throws Exception {
        return other.submit(() -> {
            if (lock.lockInvalidate(first, last, Timeouts.TRY)) {
                lock.unlockInvalidate(first, last);
                return true;
            }
            return false;
        }).get(5, TimeUnit.SECONDS);
    }

    private Instantiation otherInstantiates(MappingLock lock, long p) throws Exception {
        return other.submit(() -> {
            Instantiation got = lock.lockInstantiate(p, Page.newLocked(), Timeouts.TRY);
            if (got == Instantiation.INSERTED) {
                lock.unlockInstantiate(p);
            }
            return got;
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void registeredAsASafeDesign() {
        assertEquals("range-tree", RangeTreeLock.DESIGN.name());
        assertTrue(RangeTreeLock.DESIGN.safe());
        PageIndex index = new PageIndex();
        MappingLock lock = RangeTreeLock.DESIGN.create(index);
        assertTrue(lock instanceof RangeTreeLock);
        assertSame(index, lock.index());
    }

    @Test
    void invalidateExcludesOverlappingInvalidatesAndInstantiations() throws Exception {
        RangeTreeLock lock = new RangeTreeLock(new PageIndex());
        RangeLock ranges = lock.ranges();
        assertTrue(lock.lockInvalidate(10, 20, Timeouts.TRY));
        assertEquals(1, ranges.size());
        assertFalse(otherCanInvalidate(lock, 20, 30));
        assertFalse(otherCanInvalidate(lock, 0, 10));
        assertTrue(otherCanInvalidate(lock, 21, 30));
        assertEquals(Instantiation.BUSY, otherInstantiates(lock, 15));
        assertEquals(Instantiation.INSERTED, otherInstantiates(lock, 21));
        assertEquals(1, ranges.size());
        lock.unlockInvalidate(10, 20);
        assertEquals(0, ranges.size());
        assertEquals(Instantiation.INSERTED, otherInstantiates(lock, 15));
    }

    @Test
    void instantiationHoldsItsPageSharedUntilUnlocked() throws Exception {
        PageIndex index = new PageIndex();
        RangeTreeLock lock = new RangeTreeLock(index);
        Page page = Page.newLocked();
        assertEquals(Instantiation.INSERTED, lock.lockInstantiate(7, page, Timeouts.TRY));
        assertSame(page, index.load(7));
        assertEquals(1, lock.ranges().size());
        assertFalse(otherCanInvalidate(lock, 0, 100), "punch granted over a page being instantiated");
        assertTrue(otherCanInvalidate(lock, 8, 100));
        // Instantiating another page beside it is not held up (shared, disjoint).
        assertEquals(Instantiation.INSERTED, otherInstantiates(lock, 8));
        lock.unlockInstantiate(7);
        page.unlock();
        assertEquals(0, lock.ranges().size());
        assertTrue(otherCanInvalidate(lock, 0, 100));
        // The slot is taken now: the next instantiation sees the page and holds nothing.
        assertEquals(Instantiation.PRESENT, otherInstantiates(lock, 7));
        assertEquals(0, lock.ranges().size());
    }

    @Test
    void readaheadTakesOneRangeForTheWholeBatch() throws Exception {
        RangeTreeLock lock = new RangeTreeLock(new PageIndex());
        assertTrue(lock.lockReadahead(0, 31, Timeouts.TRY));
        assertEquals(1, lock.ranges().size(), "one shared range, not one per page");
        Page page = Page.newLocked();
        assertEquals(Instantiation.INSERTED, lock.instantiateInBatch(5, page));
        assertEquals(1, lock.ranges().size(), "a page of the batch adds no range");
        assertFalse(otherCanInvalidate(lock, 20, 40));
        lock.index().delete(5, page);
        page.unlock();
        lock.endInstantiateInBatch(5);
        lock.unlockReadahead(0, 31);
        assertEquals(0, lock.ranges().size());
        assertTrue(otherCanInvalidate(lock, 20, 40));
    }

    @Test
    void rangesOutsideTheIndexAreRejected() {
        RangeTreeLock lock = new RangeTreeLock(new PageIndex());
        assertThrows(IllegalArgumentException.class, () -> lock.lockInvalidate(-1, 3, Timeouts.TRY));
        assertThrows(IllegalArgumentException.class, () -> lock.lockInvalidate(5, 4, Timeouts.TRY));
        assertThrows(IllegalArgumentException.class,
                () -> lock.lockInvalidate(0, PageIndex.MAX_INDEX + 1, Timeouts.TRY));
        assertThrows(IllegalArgumentException.class,
                () -> lock.lockInstantiate(PageIndex.MAX_INDEX + 1, Page.newLocked(), Timeouts.TRY));
        assertEquals(0, lock.ranges().size());
        assertThrows(IllegalMonitorStateException.class, () -> lock.unlockInvalidate(0, 3));
    }
}
