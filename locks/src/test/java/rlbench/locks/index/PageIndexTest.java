package rlbench.locks.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageIndexTest {

    /** A page of the test: remembers the index it is meant for, so readers can check what they see. */
    static final class Page extends IndexEntry {
        final long at;

        Page(long at) {
            this.at = at;
        }

        @Override
        public String toString() {
            return "Page(" + at + ")";
        }
    }

    private final PageIndex index = new PageIndex();

    // ---- basics -------------------------------------------------------------------------------

    @Test
    void insertLoadDeleteRoundTripKeepsOwnerBackPointer() {
        Page p = new Page(5);
        assertNull(index.insertIfEmpty(5, p));
        assertSame(p, index.load(5));
        assertSame(index, p.owner());
        assertNull(index.load(4));
        assertNull(index.load(6));
        assertEquals(1, index.pages());
        assertEquals(0, index.lockEntrySlots());

        assertFalse(index.delete(5, new Page(5)), "only the exact entry is deleted");
        assertFalse(index.delete(4, p), "wrong index");
        assertSame(p, index.load(5));

        assertTrue(index.delete(5, p));
        assertNull(index.load(5));
        assertNull(p.owner());
        assertEquals(0, index.pages());
        assertFalse(index.delete(5, p), "already gone");

        assertNull(index.insertIfEmpty(5, p), "a deleted entry may be inserted again");
        assertSame(index, p.owner());
    }

    @Test
    void insertIntoOccupiedSlotReturnsOccupant() {
        Page p = new Page(70);
        Page q = new Page(70);
        assertNull(index.insertIfEmpty(70, p));
        assertSame(p, index.insertIfEmpty(70, q));
        assertNull(q.owner(), "the refused entry is untouched");
        assertSame(p, index.load(70));
        assertEquals(1, index.pages());
    }

    @Test
    void insertRejectsBadArguments() {
        Page p = new Page(1);
        assertThrows(IllegalArgumentException.class, () -> index.insertIfEmpty(-1, p));
        assertThrows(IllegalArgumentException.class, () -> index.insertIfEmpty(PageIndex.MAX_INDEX + 1, p));
        assertThrows(IllegalArgumentException.class, () -> index.load(-1));
        assertNull(index.insertIfEmpty(1, p));
        assertThrows(IllegalStateException.class, () -> index.insertIfEmpty(2, p));
        PageIndex other = new PageIndex();
        assertThrows(IllegalStateException.class, () -> other.insertIfEmpty(1, p));
        assertNull(index.load(2));
        assertNull(other.load(1));
    }

    @Test
    void growsToHighIndicesAndShrinksBack() {
        assertEquals(1, index.height());
        Page low = new Page(3);
        Page high = new Page(PageIndex.MAX_INDEX);
        Page mid = new Page(1L << 30);
        assertNull(index.insertIfEmpty(3, low));
        assertNull(index.insertIfEmpty(PageIndex.MAX_INDEX, high));
        assertEquals(6, index.height());
        assertNull(index.insertIfEmpty(1L << 30, mid));

        assertSame(low, index.load(3));
        assertSame(high, index.load(PageIndex.MAX_INDEX));
        assertSame(mid, index.load(1L << 30));
        for (long i : new long[] {0, 2, 4, 63, 64, PageIndex.MAX_INDEX - 1, PageIndex.MAX_INDEX - 64,
                (1L << 30) - 1, (1L << 30) + 1, 1L << 35}) {
            assertNull(index.load(i), "index " + i);
        }
        assertEquals(3, index.pages());

        assertTrue(index.delete(PageIndex.MAX_INDEX, high));
        assertTrue(index.delete(1L << 30, mid));
        assertEquals(1, index.height(), "only index 3 is left: the tree shrinks to one leaf");
        assertEquals(1, index.nodeCount());
        assertSame(low, index.load(3));
        assertNull(index.load(PageIndex.MAX_INDEX));
    }

    @Test
    void growingAnEmptyTreeLinksNoEmptyNodes() {
        Page p = new Page(1L << 20);
        assertNull(index.insertIfEmpty(1L << 20, p));
        assertTrue(index.delete(1L << 20, p));
        assertEquals(1, index.nodeCount(), "emptied nodes are freed, the root stays");
        assertNull(index.load(1L << 20));
        assertEquals(-1, index.nextPage(0, PageIndex.MAX_INDEX));
    }

    @Test
    void deleteLeavesTheShadowInTheSlot() {
        Page p = new Page(100);
        assertNull(index.insertIfEmpty(100, p));
        LockEntry lock = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(100, 100, lock));
        assertEquals(0, index.lockEntrySlots(), "a page's slot is shadowed, not overwritten");
        assertSame(lock, p.shadow);
        assertSame(lock, index.lockEntryAt(100));

        assertTrue(index.delete(100, p));
        assertSame(lock, index.load(100), "the evicted page's slot stays locked");
        assertNull(p.shadow);
        assertNull(p.owner());
        assertEquals(0, index.pages());
        assertEquals(1, index.lockEntrySlots());
        assertEquals(-1, index.nextPage(0, 1000), "a lock entry is not a page");

        assertEquals(1, index.clear(100, 100, lock));
        assertNull(index.load(100));
        assertEquals(0, index.lockEntrySlots());
        assertEquals(1, index.nodeCount());
    }

    @Test
    void lockEntryInsertedIntoOneSlotBehavesLikeAnEntry() {
        LockEntry lock = LockEntry.newLocked();
        assertNull(index.insertIfEmpty(9, lock));
        assertSame(lock, index.load(9));
        assertSame(lock, index.lockEntryAt(9));
        assertEquals(1, index.lockEntrySlots());
        assertEquals(0, index.pages());
        assertSame(lock, index.insertIfEmpty(9, new Page(9)));
        assertTrue(index.delete(9, lock));
        assertEquals(0, index.lockEntrySlots());
        assertNull(index.load(9));
    }

    @Test
    void hotPathsAllocateNothing() {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        long tid = Thread.currentThread().getId();

        Page[] pages = new Page[63]; // indices 4096..4158, all in the leaf of the keeper below
        for (int k = 0; k < pages.length; k++) {
            pages[k] = new Page(4096 + k);
        }
        assertNull(index.insertIfEmpty(4159, new Page(4159))); // keeps the leaf alive
        long sink = 0;
        for (int round = 0; round < 3; round++) { // round 0 warms up; the rest are measured
            long before = threads.getThreadAllocatedBytes(tid);
            for (int n = 0; n < 20_000; n++) {
                Page p = pages[n % pages.length];
                if (index.insertIfEmpty(p.at, p) != null) {
                    fail("slot " + p.at + " was not empty");
                }
                sink += index.load(p.at) == p ? 1 : 0;
                sink += index.load(p.at + 1_000_000) == null ? 1 : 0;
                if (!index.delete(p.at, p)) {
                    fail("delete failed at " + p.at);
                }
            }
            long allocated = threads.getThreadAllocatedBytes(tid) - before;
            if (round > 0) {
                // A few bytes of slack for the counter itself; one boxed long per op would be 480 KB.
                assertTrue(allocated < 4096, "round " + round + " allocated " + allocated + " bytes");
            }
        }
        assertEquals(3 * 20_000 * 2, sink);
    }

    // ---- nextPage -----------------------------------------------------------------------------

    @Test
    void nextPageOverSparseRanges() {
        long[] at = {0, 63, 64, 4095, 4096, 262_143, 1_000_000, PageIndex.MAX_INDEX};
        for (long i : at) {
            assertNull(index.insertIfEmpty(i, new Page(i)));
        }
        assertEquals(0, index.nextPage(0, PageIndex.MAX_INDEX));
        assertEquals(63, index.nextPage(1, 62 + 1));
        assertEquals(-1, index.nextPage(1, 62), "range ends just before a page");
        assertEquals(64, index.nextPage(64, 64), "one-index range holding a page");
        assertEquals(4095, index.nextPage(65, 5000), "starts mid-node, crosses node boundary");
        assertEquals(4096, index.nextPage(4096, 4096));
        assertEquals(262_143, index.nextPage(4097, 262_143), "page at the upper bound");
        assertEquals(-1, index.nextPage(4097, 262_142));
        assertEquals(1_000_000, index.nextPage(262_144, Long.MAX_VALUE));
        assertEquals(PageIndex.MAX_INDEX, index.nextPage(1_000_001, Long.MAX_VALUE));
        assertEquals(PageIndex.MAX_INDEX, index.nextPage(PageIndex.MAX_INDEX, PageIndex.MAX_INDEX));
        assertEquals(-1, index.nextPage(PageIndex.MAX_INDEX + 1, Long.MAX_VALUE));
        assertEquals(-1, index.nextPage(10, 5), "empty range");
        assertThrows(IllegalArgumentException.class, () -> index.nextPage(-1, 5));

        List<Long> walked = new ArrayList<>();
        for (long p = index.nextPage(0, PageIndex.MAX_INDEX); p >= 0;
                p = p < PageIndex.MAX_INDEX ? index.nextPage(p + 1, PageIndex.MAX_INDEX) : -1) {
            walked.add(p);
        }
        List<Long> expected = new ArrayList<>();
        for (long i : at) {
            expected.add(i);
        }
        assertEquals(expected, walked);
    }

    @Test
    void nextPageSkipsLockEntriesAndEmptySubtreesQuickly() {
        long first = 1L << 18;
        long last = first + (1L << 18) - 1;
        long[] at = {first + 7, first + 100_000, last};
        for (long i : at) {
            assertNull(index.insertIfEmpty(i, new Page(i)));
        }
        LockEntry lock = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(first, last, lock));
        assertTrue(index.lockEntrySlots() < 1000);
        // A linear scan would read 2^18 slots per call, ~10^11 reads in all: far beyond the limit.
        assertTimeout(Duration.ofSeconds(20), () -> {
            for (int round = 0; round < 100_000; round++) {
                long p = index.nextPage(first, last);
                assertEquals(at[0], p);
                p = index.nextPage(p + 1, last);
                assertEquals(at[1], p);
                p = index.nextPage(p + 1, last);
                assertEquals(at[2], p);
                assertEquals(-1, index.nextPage(first + 100_001, last - 1));
            }
        });
        // The same over the whole index space, with the tree at full height.
        assertNull(index.insertIfEmpty(PageIndex.MAX_INDEX, new Page(PageIndex.MAX_INDEX)));
        assertTimeout(Duration.ofSeconds(20), () -> {
            for (int round = 0; round < 100_000; round++) {
                assertEquals(PageIndex.MAX_INDEX, index.nextPage(last + 1, PageIndex.MAX_INDEX));
            }
        });
    }

    // ---- fillEmpty / clear ----------------------------------------------------------------------

    @Test
    void fillOfEmptyAlignedRangeWritesOneSlot() {
        long first = 1L << 18;
        long last = 2 * first - 1;
        LockEntry lock = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(first, last, lock));
        assertEquals(1, index.lockEntrySlots(), "an aligned 2^18 block is one slot three levels up");
        Random rnd = new Random(1);
        for (int k = 0; k < 10_000; k++) {
            long i = first + (long) rnd.nextInt(1 << 18);
            assertSame(lock, index.load(i), "index " + i);
        }
        assertSame(lock, index.load(first));
        assertSame(lock, index.load(last));
        assertNull(index.load(first - 1));
        assertNull(index.load(last + 1));
        assertSame(lock, index.lockEntryAt(first + 12345));
        assertNull(index.lockEntryAt(last + 1));
        assertSame(lock, index.insertIfEmpty(first + 5, new Page(first + 5)), "faults see the lock");
        assertEquals(-1, index.fillEmpty(first, last, lock), "refilling with the same entry is fine");
        assertEquals(1, index.lockEntrySlots());

        assertEquals(1, index.clear(first, last, lock));
        assertEquals(0, index.lockEntrySlots());
        assertNull(index.load(first + 5));
        assertEquals(1, index.nodeCount());
    }

    @Test
    void fillOfHugeUnalignedRangeWritesFewSlots() {
        long first = 12_345;
        long last = 50_000_000_017L;
        LockEntry lock = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(first, last, lock));
        long slots = index.lockEntrySlots();
        assertTrue(slots > 0 && slots < 1000, "slots written: " + slots);
        Random rnd = new Random(2);
        for (int k = 0; k < 10_000; k++) {
            long i = first + (long) (rnd.nextDouble() * (last - first + 1));
            assertSame(lock, index.load(Math.min(i, last)), "index " + i);
        }
        for (long i = first; i < first + 200; i++) {
            assertSame(lock, index.load(i));
        }
        for (long i = last - 200; i <= last; i++) {
            assertSame(lock, index.load(i));
        }
        assertNull(index.load(first - 1));
        assertNull(index.load(0));
        assertNull(index.load(last + 1));
        assertNull(index.load(PageIndex.MAX_INDEX));
        assertEquals(-1, index.nextPage(0, PageIndex.MAX_INDEX));

        assertEquals(slots, index.clear(first, last, lock));
        assertEquals(0, index.lockEntrySlots());
        assertEquals(1, index.nodeCount());
        assertNull(index.load(first));
    }

    @Test
    void fillAroundPagesShadowsThemAndKeepsThemLoadable() {
        Page[] pages = {new Page(10), new Page(100), new Page(5000)};
        for (Page p : pages) {
            assertNull(index.insertIfEmpty(p.at, p));
        }
        LockEntry lock = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(0, 9999, lock));
        for (Page p : pages) {
            assertSame(p, index.load(p.at));
            assertSame(lock, p.shadow);
            assertSame(lock, index.lockEntryAt(p.at));
            assertSame(lock, index.load(p.at + 1));
            assertSame(lock, index.load(p.at - 1));
        }
        assertNull(index.load(10_000));
        assertEquals(3, index.pages());
        assertEquals(10, index.nextPage(0, 9999));
        assertEquals(100, index.nextPage(11, 9999));
        assertEquals(5000, index.nextPage(101, 9999));
        assertEquals(-1, index.nextPage(5001, 9999));

        assertTrue(index.delete(100, pages[1]), "evict one page under the lock");
        assertSame(lock, index.load(100));

        long slots = index.lockEntrySlots();
        assertEquals(slots, index.clear(0, 9999, lock));
        assertEquals(0, index.lockEntrySlots());
        assertNull(pages[0].shadow);
        assertNull(pages[2].shadow);
        assertSame(pages[0], index.load(10));
        assertSame(pages[2], index.load(5000));
        assertNull(index.load(100));
        assertNull(index.load(11));
        assertEquals(2, index.pages());
    }

    @Test
    void fillStopsAtForeignLockEntryAndContinuesAfterItIsCleared() {
        LockEntry foreign = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(500, 600, foreign));
        LockEntry mine = LockEntry.newLocked();
        assertEquals(500, index.fillEmpty(0, 1000, mine));
        for (long i = 0; i < 500; i++) {
            assertSame(mine, index.load(i), "index " + i);
        }
        assertSame(foreign, index.lockEntryAt(500));
        assertNull(index.load(601), "nothing written past the blocker");
        assertEquals(500, index.fillEmpty(500, 1000, mine), "still blocked");

        index.clear(500, 600, foreign);
        assertEquals(-1, index.fillEmpty(500, 1000, mine));
        for (long i = 0; i <= 1000; i++) {
            assertSame(mine, index.load(i), "index " + i);
        }
        assertNull(index.load(1001));
        index.clear(0, 1000, mine);
        assertEquals(0, index.lockEntrySlots());
        assertEquals(1, index.nodeCount());
    }

    @Test
    void fillStopsAtForeignMultiIndexEntry() {
        LockEntry foreign = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(4096, 8191, foreign));
        assertEquals(1, index.lockEntrySlots());
        LockEntry mine = LockEntry.newLocked();
        assertEquals(4096, index.fillEmpty(100, 10_000, mine));
        assertSame(mine, index.load(4095));
        assertSame(foreign, index.load(5000));
        assertEquals(5000, index.fillEmpty(5000, 10_000, mine), "blocked where the range starts");

        assertEquals(1, index.clear(4096, 8191, foreign));
        assertEquals(-1, index.fillEmpty(4096, 10_000, mine));
        assertSame(mine, index.load(8000));
        assertSame(mine, index.load(10_000));
        assertNull(index.load(10_001));
        assertNull(index.load(99));
        index.clear(100, 10_000, mine);
        assertEquals(0, index.lockEntrySlots());
        assertEquals(1, index.nodeCount());
    }

    @Test
    void fillStopsAtPageShadowedByForeignEntry() {
        Page p = new Page(300);
        assertNull(index.insertIfEmpty(300, p));
        LockEntry foreign = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(300, 300, foreign));
        assertSame(foreign, p.shadow);

        LockEntry mine = LockEntry.newLocked();
        assertEquals(300, index.fillEmpty(0, 1000, mine));
        assertSame(mine, index.load(299));
        assertNull(index.load(301));
        assertSame(foreign, index.lockEntryAt(300));

        assertEquals(0, index.clear(300, 300, foreign), "only a shadow was dropped");
        assertNull(p.shadow);
        assertEquals(-1, index.fillEmpty(300, 1000, mine));
        assertSame(mine, p.shadow);
        assertSame(p, index.load(300));
        assertSame(mine, index.load(1000));
    }

    @Test
    void clearRestoresAnEmptyTree() {
        List<Page> pages = new ArrayList<>();
        for (long i : new long[] {1, 700, 70_000, 7_000_000, 1L << 33}) {
            Page p = new Page(i);
            pages.add(p);
            assertNull(index.insertIfEmpty(i, p));
        }
        LockEntry a = LockEntry.newLocked();
        LockEntry b = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(0, 100_000, a));
        assertEquals(-1, index.fillEmpty(5_000_000, (1L << 34) + 17, b));
        for (Page p : pages) {
            assertTrue(index.delete(p.at, p));
        }
        assertEquals(0, index.pages());
        index.clear(0, 100_000, a);
        index.clear(5_000_000, (1L << 34) + 17, b);
        assertEquals(0, index.pages());
        assertEquals(0, index.lockEntrySlots());
        assertEquals(1, index.nodeCount(), "every emptied node was freed");
        assertEquals(-1, index.nextPage(0, PageIndex.MAX_INDEX));
        for (Page p : pages) {
            assertNull(index.load(p.at));
            assertNull(p.owner());
            assertNull(p.shadow);
        }
        assertEquals(0, index.clear(0, PageIndex.MAX_INDEX, a), "nothing left to clear");
    }

    @Test
    void emptyRangesAreNoOpsAndBadBoundsAreRejected() {
        LockEntry lock = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(10, 9, lock));
        assertEquals(0, index.clear(10, 9, lock));
        assertEquals(0, index.lockEntrySlots());
        assertThrows(IllegalArgumentException.class, () -> index.fillEmpty(-1, 9, lock));
        assertThrows(IllegalArgumentException.class, () -> index.fillEmpty(0, PageIndex.MAX_INDEX + 1, lock));
        assertThrows(IllegalArgumentException.class, () -> index.clear(0, PageIndex.MAX_INDEX + 1, lock));
    }

    @Test
    void fillOfWholeIndexSpace() {
        Page p = new Page(123_456_789);
        assertNull(index.insertIfEmpty(p.at, p));
        LockEntry lock = LockEntry.newLocked();
        assertEquals(-1, index.fillEmpty(0, PageIndex.MAX_INDEX, lock));
        assertTrue(index.lockEntrySlots() < 6 * 64, "slots: " + index.lockEntrySlots());
        assertSame(lock, index.load(0));
        assertSame(lock, index.load(PageIndex.MAX_INDEX));
        assertSame(p, index.load(p.at));
        assertEquals(p.at, index.nextPage(0, PageIndex.MAX_INDEX));
        index.clear(0, PageIndex.MAX_INDEX, lock);
        assertEquals(0, index.lockEntrySlots());
        assertNull(p.shadow);
        assertEquals(1, index.pages());
    }

    // ---- randomized model test ------------------------------------------------------------------

    /** A fill job: one lock entry placed over one range (the lock-entries design's usage). */
    private record Job(LockEntry entry, long first, long last) {
    }

    @ParameterizedTest
    @ValueSource(longs = {0, (1L << 30) - 6000, PageIndex.MAX_INDEX + 1 - 16_384})
    void randomOperationsMatchTreeMapModel(long base) {
        final int universe = 16_384;
        Random rnd = new Random(base ^ 0x5eed);
        NavigableMap<Long, IndexEntry> model = new TreeMap<>();
        Map<IndexEntry, LockEntry> shadows = new HashMap<>();
        List<Job> jobs = new ArrayList<>();

        for (int op = 0; op < 6000; op++) {
            int kind = rnd.nextInt(100);
            long i = base + rnd.nextInt(universe);
            if (kind < 40) {
                IndexEntry e = rnd.nextInt(20) == 0 ? LockEntry.newLocked() : new Page(i);
                IndexEntry before = model.get(i);
                assertSame(before, index.insertIfEmpty(i, e), "insert at " + i);
                if (before == null) {
                    model.put(i, e);
                }
            } else if (kind < 70) {
                IndexEntry before = model.get(i);
                boolean own = before != null && before.owner() == index && rnd.nextInt(5) != 0;
                IndexEntry expected = own ? before : new Page(i);
                assertEquals(own, index.delete(i, expected), "delete at " + i);
                if (own) {
                    LockEntry shadow = shadows.remove(expected);
                    if (shadow == null) {
                        model.remove(i);
                    } else {
                        model.put(i, shadow);
                    }
                }
            } else if (kind < 85 || jobs.isEmpty()) {
                int len = rnd.nextInt(4) == 0 ? rnd.nextInt(universe) : rnd.nextInt(300);
                long first = i;
                long last = Math.min(base + universe - 1, first + len);
                Job job = new Job(LockEntry.newLocked(), first, last);
                jobs.add(job);
                assertEquals(modelFill(model, shadows, job), index.fillEmpty(first, last, job.entry),
                        "fill " + first + ".." + last);
            } else if (kind < 90) {
                Job job = jobs.get(rnd.nextInt(jobs.size()));
                long from = job.first + rnd.nextInt((int) (job.last - job.first + 1));
                Job rest = new Job(job.entry, from, job.last);
                assertEquals(modelFill(model, shadows, rest), index.fillEmpty(from, job.last, job.entry),
                        "refill " + from + ".." + job.last);
            } else {
                Job job = jobs.remove(rnd.nextInt(jobs.size()));
                modelClear(model, shadows, job);
                index.clear(job.first, job.last, job.entry);
            }
            if (op % 500 == 0) {
                compareWithModel(model, shadows, base, universe, rnd);
            }
        }
        compareWithModel(model, shadows, base, universe, rnd);

        // Tear everything down: the index must end up empty, with no nodes left behind.
        for (Job job : jobs) {
            index.clear(job.first, job.last, job.entry);
        }
        for (Map.Entry<Long, IndexEntry> e : model.entrySet()) {
            IndexEntry occupant = e.getValue();
            if (occupant.owner() == index) {
                assertTrue(index.delete(e.getKey(), occupant));
            }
        }
        assertEquals(0, index.pages());
        assertEquals(0, index.lockEntrySlots());
        assertEquals(1, index.nodeCount());
        assertEquals(-1, index.nextPage(0, PageIndex.MAX_INDEX));
    }

    /** fillEmpty on the model, index by index; returns the blocked index or -1. */
    private static long modelFill(NavigableMap<Long, IndexEntry> model, Map<IndexEntry, LockEntry> shadows,
            Job job) {
        for (long i = job.first; i <= job.last; i++) {
            IndexEntry occupant = model.get(i);
            if (occupant == null) {
                model.put(i, job.entry);
            } else if (occupant instanceof LockEntry) {
                if (occupant != job.entry) {
                    return i;
                }
            } else {
                LockEntry shadow = shadows.get(occupant);
                if (shadow == null) {
                    shadows.put(occupant, job.entry);
                } else if (shadow != job.entry) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static void modelClear(NavigableMap<Long, IndexEntry> model, Map<IndexEntry, LockEntry> shadows,
            Job job) {
        for (long i = job.first; i <= job.last; i++) {
            IndexEntry occupant = model.get(i);
            if (occupant == job.entry) {
                model.remove(i);
            } else if (occupant != null && shadows.get(occupant) == job.entry) {
                shadows.remove(occupant);
            }
        }
    }

    private void compareWithModel(NavigableMap<Long, IndexEntry> model, Map<IndexEntry, LockEntry> shadows,
            long base, int universe, Random rnd) {
        long pages = 0;
        long lastIndex = base + universe - 1;
        for (long i = base; i <= lastIndex; i++) {
            IndexEntry expected = model.get(i);
            assertSame(expected, index.load(i), "load " + i);
            LockEntry lock = expected instanceof LockEntry ? (LockEntry) expected : shadows.get(expected);
            assertSame(lock, index.lockEntryAt(i), "lockEntryAt " + i);
            if (expected != null && !(expected instanceof LockEntry)) {
                pages++;
                assertSame(lock, expected.shadow, "shadow at " + i);
            }
        }
        assertEquals(pages, index.pages());
        if (base > 0) {
            assertNull(index.load(base - 1));
        }
        if (lastIndex < PageIndex.MAX_INDEX) {
            assertNull(index.load(lastIndex + 1));
        }
        for (int k = 0; k < 500; k++) {
            long from = base + rnd.nextInt(universe);
            long last = Math.min(lastIndex, from + rnd.nextInt(k % 2 == 0 ? 64 : universe));
            assertEquals(modelNextPage(model, from, last), index.nextPage(from, last),
                    "nextPage " + from + ".." + last);
        }
        assertEquals(modelNextPage(model, base, lastIndex), index.nextPage(0, PageIndex.MAX_INDEX));
    }

    private static long modelNextPage(NavigableMap<Long, IndexEntry> model, long from, long last) {
        for (Map.Entry<Long, IndexEntry> e : model.subMap(from, true, last, true).entrySet()) {
            if (!(e.getValue() instanceof LockEntry)) {
                return e.getKey();
            }
        }
        return -1;
    }

    // ---- concurrency ----------------------------------------------------------------------------

    @Test
    void lockFreeReadersSeeOnlyNullOrTheRightEntry() throws Exception {
        final int writers = 4;
        final int perWriter = 2000;
        // Spread the indices so that leaves and interior nodes are created and freed all the time,
        // and let writer 0 own MAX_INDEX so the tree keeps growing to full height and shrinking.
        long[][] owned = new long[writers][perWriter];
        Random seed = new Random(42);
        for (int w = 0; w < writers; w++) {
            for (int k = 0; k < perWriter; k++) {
                long i = (long) seed.nextInt(1 << 22) * writers + w;
                owned[w][k] = i;
            }
        }
        owned[0][0] = PageIndex.MAX_INDEX - (PageIndex.MAX_INDEX % writers);
        final long fillFirst = 1L << 26;
        final long fillLast = fillFirst + 100_000;

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();

        for (int w = 0; w < writers; w++) {
            long[] mine = owned[w];
            threads.add(new Thread(() -> guarded(failure, start, () -> {
                Map<Long, Page> pages = new HashMap<>();
                for (long i : mine) {
                    pages.put(i, new Page(i));
                }
                Random rnd = new Random(mine[1]);
                while (!stop.get()) {
                    long i = mine[rnd.nextInt(mine.length)];
                    Page p = pages.get(i);
                    if (p.owner() == null) {
                        IndexEntry occupant = index.insertIfEmpty(i, p);
                        if (occupant != null && occupant != p) {
                            fail("writer found " + occupant + " at its own index " + i);
                        }
                    } else if (!index.delete(i, p)) {
                        fail("writer could not delete its own page at " + i);
                    }
                }
            }), "writer-" + w));
        }
        threads.add(new Thread(() -> guarded(failure, start, () -> {
            while (!stop.get()) {
                LockEntry lock = LockEntry.newLocked();
                if (index.fillEmpty(fillFirst, fillLast, lock) != -1) {
                    fail("nobody else locks the fill range");
                }
                index.clear(fillFirst, fillLast, lock);
            }
        }), "filler"));
        for (int r = 0; r < 2; r++) {
            int reader = r;
            threads.add(new Thread(() -> guarded(failure, start, () -> {
                Random rnd = new Random(reader);
                while (!stop.get()) {
                    int w = rnd.nextInt(writers);
                    long i = owned[w][rnd.nextInt(perWriter)];
                    IndexEntry e = index.load(i);
                    if (e != null && (!(e instanceof Page) || ((Page) e).at != i)) {
                        fail("load(" + i + ") saw " + e);
                    }
                    long f = fillFirst + rnd.nextInt(100_001);
                    IndexEntry l = index.load(f);
                    if (l != null && !(l instanceof LockEntry)) {
                        fail("load(" + f + ") in the fill range saw " + l);
                    }
                    long from = Math.max(0, i - rnd.nextInt(1 << 16));
                    long p = index.nextPage(from, i);
                    if (p != -1 && (p < from || p > i || !isOwned(owned, p))) {
                        fail("nextPage(" + from + ", " + i + ") = " + p);
                    }
                }
            }), "reader-" + r));
        }
        for (Thread t : threads) {
            t.start();
        }
        start.countDown();
        Thread.sleep(1500);
        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(t.isAlive(), t.getName() + " hung");
        }
        if (failure.get() != null) {
            throw new AssertionError("concurrent failure", failure.get());
        }

        // Quiescent: the index must agree exactly with what the writers believe they own.
        long expectedPages = 0;
        for (long[] mine : owned) {
            for (long i : mine) {
                IndexEntry e = index.load(i);
                if (e != null) {
                    assertEquals(i, ((Page) e).at);
                    assertSame(index, e.owner());
                }
            }
        }
        for (long p = index.nextPage(0, PageIndex.MAX_INDEX); p >= 0;
                p = p < PageIndex.MAX_INDEX ? index.nextPage(p + 1, PageIndex.MAX_INDEX) : -1) {
            expectedPages++;
        }
        assertEquals(expectedPages, index.pages());
        assertEquals(0, index.lockEntrySlots());
    }

    private static boolean isOwned(long[][] owned, long p) {
        for (long i : owned[(int) (p % owned.length)]) {
            if (i == p) {
                return true;
            }
        }
        return false;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void guarded(AtomicReference<Throwable> failure, CountDownLatch start, Body body) {
        try {
            start.await();
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}
