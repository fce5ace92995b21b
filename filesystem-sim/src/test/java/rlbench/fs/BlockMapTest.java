package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import rlbench.fs.block.BlockAllocator;
import rlbench.fs.block.Stamp;

class BlockMapTest {

    private static final int FILE = 1;
    private static final int OTHER = 2;

    // ------------------------------------------------------------ model

    /**
     * A seeded random run against a TreeMap of page to block. The test owns the blocks: all of the
     * allocator's are taken up front into a pool the test maps from, so it can ask for the exact
     * block that grows, joins or splits an extent; what unmap frees, it drains back from the
     * allocator and checks against what the model removed.
     */
    @Test
    void agreesWithAReferenceModelUnderRandomOperations() {
        for (long seed = 1; seed <= 6; seed++) {
            randomRun(seed);
        }
    }

    private static final int SPAN = 300;
    private static final int BLOCKS = 2000;

    private static void randomRun(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        BlockAllocator alloc = new BlockAllocator(BLOCKS);
        TreeSet<Integer> pool = new TreeSet<>();
        drain(alloc, pool);
        assertEquals(BLOCKS, pool.size());
        BlockMap map = new BlockMap();
        TreeMap<Long, Integer> model = new TreeMap<>();
        int grewInPlace = 0;
        int joined = 0;
        int split = 0;
        for (int step = 0; step < 4000; step++) {
            String at = "seed " + seed + " step " + step;
            int op = rnd.nextInt(22);
            if (op >= 20) {
                // A sequential write: a run of pages, each block right after the previous one where
                // the pool has it (grows extents in place, and joins the next one if it fits).
                long i0 = rnd.nextInt(SPAN);
                int len = 1 + rnd.nextInt(30);
                for (long i = i0; i < i0 + len; i++) {
                    Integer prev = model.get(i - 1);
                    int block = prev != null && pool.contains(prev + 1) ? prev + 1 : randomFrom(pool, rnd);
                    int extentsBefore = map.extentCount();
                    boolean mapped = map.mapIfHole(i, block);
                    assertEquals(!model.containsKey(i), mapped, at);
                    if (mapped) {
                        model.put(i, block);
                        pool.remove(block);
                        if (map.extentCount() == extentsBefore && prev != null && prev + 1 == block) {
                            grewInPlace++;
                        }
                        if (map.extentCount() < extentsBefore) {
                            joined++;
                        }
                    }
                }
            } else if (op < 11) {
                long i = rnd.nextInt(SPAN);
                Integer prev = model.get(i - 1);
                Integer next = model.get(i + 1);
                int block;
                int how = rnd.nextInt(4);
                if (how == 0 && prev != null && pool.contains(prev + 1)) {
                    block = prev + 1; // grows the extent before it
                } else if (how == 1 && next != null && pool.contains(next - 1)) {
                    block = next - 1; // grows the extent after it backwards
                } else if (how == 2 && prev != null && next != null && next == prev + 2 && pool.contains(prev + 1)) {
                    block = prev + 1; // joins two extents
                } else {
                    block = randomFrom(pool, rnd);
                }
                if (prev != null && next != null && next == prev + 2 && pool.contains(prev + 1) && rnd.nextBoolean()) {
                    block = prev + 1; // the hole a one-page punch left: joins the two halves again
                }
                int extentsBefore = map.extentCount();
                boolean mapped = map.mapIfHole(i, block);
                assertEquals(!model.containsKey(i), mapped, at);
                if (mapped) {
                    model.put(i, block);
                    pool.remove(block);
                    int after = map.extentCount();
                    if (after == extentsBefore && prev != null && prev + 1 == block) {
                        grewInPlace++;
                    }
                    if (after < extentsBefore) {
                        joined++;
                    }
                }
            } else if (op < 15) {
                long first = rnd.nextInt(SPAN + 20) - 10;
                int shape = rnd.nextInt(3);
                long last = first + (shape == 0 ? 0 : rnd.nextInt(shape == 1 ? 5 : 80));
                int extentsBefore = map.extentCount();
                Set<Integer> removed = new HashSet<>();
                for (long i = Math.max(0, first); i <= last; i++) {
                    Integer b = model.remove(i);
                    if (b != null) {
                        removed.add(b);
                    }
                }
                long freed = map.unmap(first, last, alloc);
                assertEquals(removed.size(), freed, at);
                Set<Integer> back = drain(alloc, pool);
                assertEquals(removed, back, at + ": unmap must free exactly the blocks it unmapped");
                if (map.extentCount() > extentsBefore) {
                    split++;
                }
            } else if (op < 17) {
                long first = rnd.nextInt(SPAN);
                long last = Math.min(SPAN + 10, first + rnd.nextInt(40));
                // Give the allocator a few runs of the pool to hand out.
                int give = rnd.nextInt(4);
                for (int g = 0; g < give && !pool.isEmpty(); g++) {
                    int b = randomFrom(pool, rnd);
                    int len = 0;
                    while (len < 1 + rnd.nextInt(12) && pool.contains(b + len)) {
                        len++;
                    }
                    alloc.free(b, len);
                    for (int k = 0; k < len; k++) {
                        pool.remove(b + k);
                    }
                }
                int available = alloc.freeBlocks();
                List<Long> holes = new ArrayList<>();
                for (long i = first; i <= last; i++) {
                    if (!model.containsKey(i)) {
                        holes.add(i);
                    }
                }
                Set<Integer> inUse = new HashSet<>(model.values());
                long got = map.mapRange(first, last, alloc, FILE);
                if (holes.size() > available) {
                    assertEquals(-1, got, at + ": ENOSPC");
                } else {
                    assertEquals(holes.size(), got, at);
                }
                int filled = Math.min(holes.size(), available);
                for (int h = 0; h < holes.size(); h++) {
                    long i = holes.get(h);
                    int b = map.lookup(i);
                    if (h < filled) {
                        assertNotEquals(BlockMap.HOLE, b, at + ": hole " + i + " filled in index order");
                        assertTrue(inUse.add(b), at + ": block " + b + " mapped twice");
                        assertEquals(Stamp.who(FILE, i), alloc.owner(b), at);
                        model.put(i, b);
                    } else {
                        assertEquals(BlockMap.HOLE, b, at + ": nothing left for " + i);
                    }
                }
                drain(alloc, pool);
            } else {
                // mapIfHole on a mapped index refuses and changes nothing.
                if (model.isEmpty()) {
                    continue;
                }
                Long c = model.ceilingKey((long) rnd.nextInt(SPAN));
                long i = c != null ? c : model.firstKey();
                assertFalse(map.mapIfHole(i, randomFrom(pool, rnd)), at);
            }
            check(map, model, rnd, at);
            assertEquals(BLOCKS, pool.size() + model.size(), at + ": blocks leaked or duplicated");
        }
        assertTrue(grewInPlace > 100 && joined > 10 && split > 20,
                "seed " + seed + " exercised too little: grew " + grewInPlace + " joined " + joined + " split " + split);
    }

    /** Takes everything the allocator has free into the pool; returns what it took. */
    private static Set<Integer> drain(BlockAllocator alloc, Set<Integer> pool) {
        Set<Integer> got = new HashSet<>();
        for (long run; (run = alloc.allocateRun(Integer.MAX_VALUE, OTHER, 0)) != 0; ) {
            for (int k = 0; k < BlockAllocator.runLength(run); k++) {
                got.add(BlockAllocator.runFirst(run) + k);
            }
        }
        pool.addAll(got);
        assertEquals(0, alloc.freeBlocks());
        return got;
    }

    private static int randomFrom(TreeSet<Integer> pool, SplittableRandom rnd) {
        Integer b = pool.ceiling(1 + rnd.nextInt(BLOCKS));
        return b != null ? b : pool.first();
    }

    private static void check(BlockMap map, TreeMap<Long, Integer> model, SplittableRandom rnd, String at) {
        int extents = 0;
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            Integer before = model.get(e.getKey() - 1);
            if (before == null || before + 1 != e.getValue()) {
                extents++;
            }
        }
        assertEquals(extents, map.extentCount(), at + ": touching extents must be merged");
        assertEquals(model.size(), map.mappedBlocks(), at);
        for (long i = -2; i < SPAN + 15; i++) {
            Integer b = model.get(i);
            assertEquals(b == null ? BlockMap.HOLE : b, map.lookup(i), at + ": lookup " + i);
        }
        for (int k = 0; k < 30; k++) {
            long from = rnd.nextInt(SPAN + 10);
            long last = from + rnd.nextInt(rnd.nextBoolean() ? 3 : 100) - 1;
            Long expect = from > last ? null : model.ceilingKey(from);
            long want = expect == null || expect > last ? -1 : expect;
            assertEquals(want, map.nextMapped(from, last), at + ": nextMapped(" + from + ", " + last + ")");
        }
    }

    // ------------------------------------------------------------ extents, not pages

    @Test
    void punchingAOneExtentRangeTouchesOneExtent() {
        final int pages = 262_144;
        BlockAllocator alloc = new BlockAllocator(pages);
        BlockMap map = new BlockMap();
        assertEquals(pages, map.mapRange(0, pages - 1, alloc, FILE));
        assertEquals(1, map.extentCount());
        assertEquals(0, alloc.freeExtents());
        assertEquals(pages, map.unmap(0, pages - 1, alloc));
        assertEquals(0, map.extentCount());
        assertEquals(0, map.mappedBlocks());
        assertEquals(1, alloc.freeExtents(), "one extent free, not " + pages);
        assertEquals(pages, alloc.freeBlocks());
        assertEquals(BlockMap.HOLE, map.lookup(pages / 2));
        assertEquals(-1, map.nextMapped(0, pages));
    }

    @Test
    void punchingTheMiddleOfAnExtentSplitsItInTwoAndFreesOneExtent() {
        final int pages = 262_144 + 2000;
        BlockAllocator alloc = new BlockAllocator(pages);
        BlockMap map = new BlockMap();
        for (long i = 0; i < pages; i++) {
            assertTrue(map.mapIfHole(i, alloc.allocate(Stamp.who(FILE, i))));
        }
        assertEquals(1, map.extentCount());
        assertEquals(262_144, map.unmap(1000, 1000 + 262_143, alloc));
        assertEquals(2, map.extentCount());
        assertEquals(1, alloc.freeExtents());
        assertEquals(262_144, alloc.freeBlocks());
        assertEquals(1000, map.lookup(999));
        assertEquals(BlockMap.HOLE, map.lookup(1000));
        assertEquals(BlockMap.HOLE, map.lookup(1000 + 262_143));
        assertEquals(1000 + 262_144 + 1, map.lookup(1000 + 262_144));
        assertEquals(1000 + 262_144, map.nextMapped(1000, pages));
    }

    @Test
    void aSixteenMillionPageSequentialFillIsOneExtent() {
        final int pages = 16_777_216;
        BlockAllocator alloc = new BlockAllocator(pages);
        BlockMap map = new BlockMap();
        for (long i = 0; i < pages; i++) {
            int b = alloc.allocate(Stamp.who(FILE, i));
            if (!map.mapIfHole(i, b)) {
                throw new AssertionError("index " + i);
            }
        }
        assertEquals(1, map.extentCount());
        assertEquals(pages, map.mappedBlocks());
        assertEquals(1, map.lookup(0));
        assertEquals(pages, map.lookup(pages - 1));
        assertEquals(BlockMap.HOLE, map.lookup(pages));
        assertEquals(8_000_001, map.lookup(8_000_000));
    }

    @Test
    void aSparseFileCostsAnExtentPerScatteredPage() {
        BlockAllocator alloc = new BlockAllocator(10_000);
        BlockMap map = new BlockMap();
        SplittableRandom rnd = new SplittableRandom(7);
        TreeSet<Long> pages = new TreeSet<>();
        while (pages.size() < 1000) {
            pages.add((long) rnd.nextInt(1 << 30));
        }
        for (long i : pages) {
            assertTrue(map.mapIfHole(i, alloc.allocate(Stamp.who(FILE, i))));
        }
        assertTrue(map.extentCount() <= 1000, "extents: " + map.extentCount());
        assertEquals(1000, map.mappedBlocks());
        for (long i : pages) {
            assertNotEquals(BlockMap.HOLE, map.lookup(i));
            assertEquals(i, map.nextMapped(i, Long.MAX_VALUE));
            if (!pages.contains(i + 1)) {
                assertEquals(BlockMap.HOLE, map.lookup(i + 1));
            }
        }
        // Mapped in ascending order with ascending blocks, pages that touch share an extent.
        int touching = 0;
        for (long i : pages) {
            if (pages.contains(i + 1)) {
                touching++;
            }
        }
        assertEquals(1000 - touching, map.extentCount());
    }

    // ------------------------------------------------------------ reuse and ENOSPC

    @Test
    void aPunchedExtentIsWhatTheNextWriterOfAnyFileGets() {
        BlockAllocator alloc = new BlockAllocator(1000);
        BlockMap a = new BlockMap();
        BlockMap b = new BlockMap();
        assertEquals(100, a.mapRange(0, 99, alloc, FILE)); // blocks 1..100
        assertEquals(10, b.mapRange(0, 9, alloc, OTHER)); // blocks 101..110
        assertEquals(21, a.lookup(20));
        assertEquals(10, a.unmap(20, 29, alloc)); // frees blocks 21..30 as one extent
        assertEquals(Stamp.NOBODY, alloc.owner(25));
        int next = alloc.allocate(Stamp.who(OTHER, 10));
        assertEquals(21, next, "the block a punch just freed is the next one handed out");
        assertTrue(b.mapIfHole(10, next));
        assertEquals(Stamp.who(OTHER, 10), alloc.owner(21));
        assertEquals(Stamp.who(FILE, 30), alloc.owner(31));
        // fallocate takes the rest of that extent as one run.
        assertEquals(9, b.mapRange(11, 19, alloc, OTHER));
        for (long i = 11; i <= 19; i++) {
            assertEquals(11 + i, b.lookup(i));
            assertEquals(Stamp.who(OTHER, i), alloc.owner(b.lookup(i)));
        }
        assertEquals(2, b.extentCount(), "blocks 101..110 then 21..30: two extents");
    }

    @Test
    void unmapFreesThePiecesSoThatTheLowestIndexComesBackFirst() {
        BlockAllocator alloc = new BlockAllocator(100);
        BlockMap map = new BlockMap();
        // Index 0..9 -> 1..10, 20..29 -> 11..20: contiguous in blocks, not in indices.
        assertEquals(10, map.mapRange(0, 9, alloc, FILE));
        assertEquals(10, map.mapRange(20, 29, alloc, FILE));
        assertEquals(2, map.extentCount());
        int extentsBefore = alloc.freeExtents();
        assertEquals(20, map.unmap(0, 50, alloc));
        assertEquals(extentsBefore, alloc.freeExtents(), "1..10, 11..20 and 21.. merge into one");
        assertEquals(1, alloc.allocate(Stamp.who(OTHER, 0)));
    }

    @Test
    void enospcStopsFallocateAndLeavesEverythingConsistent() {
        BlockAllocator alloc = new BlockAllocator(10);
        BlockMap map = new BlockMap();
        assertTrue(map.mapIfHole(5, alloc.allocate(Stamp.who(FILE, 5)))); // block 1 at index 5
        assertEquals(-1, map.mapRange(0, 19, alloc, FILE));
        assertEquals(10, map.mappedBlocks());
        assertEquals(0, alloc.freeBlocks());
        assertEquals(0, alloc.freeExtents());
        for (long i = 0; i <= 9; i++) {
            assertNotEquals(BlockMap.HOLE, map.lookup(i), "index " + i);
            assertNotEquals(Stamp.NOBODY, alloc.owner(map.lookup(i)));
        }
        for (long i = 10; i <= 19; i++) {
            assertEquals(BlockMap.HOLE, map.lookup(i), "index " + i);
        }
        assertEquals(0, alloc.allocate(Stamp.who(FILE, 10)));
        assertEquals(-1, map.mapRange(15, 15, alloc, FILE));
        assertEquals(10, map.mappedBlocks());
        assertEquals(10, map.unmap(0, Long.MAX_VALUE, alloc));
        assertEquals(10, alloc.freeBlocks());
        assertEquals(0, map.extentCount());
        assertEquals(5, map.mapRange(0, 4, alloc, FILE));
    }

    @Test
    void fallocateLetsItsCallerSeeEachRunBeforeItIsMapped() {
        BlockAllocator alloc = new BlockAllocator(100);
        BlockMap map = new BlockMap();
        assertTrue(map.mapIfHole(3, alloc.allocate(Stamp.who(FILE, 3))));
        List<long[]> runs = new ArrayList<>();
        long n = map.mapRange(0, 6, alloc, FILE, (index, block, length) -> {
            assertEquals(BlockMap.HOLE, map.lookup(index), "not visible yet");
            runs.add(new long[] {index, block, length});
        });
        assertEquals(6, n);
        assertEquals(2, runs.size());
        assertEquals(0, runs.get(0)[0]);
        assertEquals(3, runs.get(0)[2]);
        assertEquals(4, runs.get(1)[0]);
        assertEquals(3, runs.get(1)[2]);
        assertEquals(0, map.mapRange(0, 6, alloc, FILE), "no holes left");
    }

    @Test
    void badArgumentsAreRefused() {
        BlockMap map = new BlockMap();
        BlockAllocator alloc = new BlockAllocator(10);
        assertThrows(IllegalArgumentException.class, () -> map.mapIfHole(0, BlockMap.HOLE));
        assertThrows(IllegalArgumentException.class, () -> map.mapIfHole(-1, 3));
        assertThrows(IllegalArgumentException.class, () -> map.mapRange(5, 4, alloc, FILE));
        assertThrows(IllegalArgumentException.class, () -> map.mapRange(0, 4, alloc, 0));
        assertEquals(0, map.unmap(5, 4, alloc));
        assertEquals(-1, map.nextMapped(5, 4));
        assertEquals(10, alloc.freeBlocks());
    }

    // ------------------------------------------------------------ concurrency

    /**
     * Readers look up without locks while one writer maps and unmaps. In the churned range a reader
     * may only ever see a hole or a block that was mapped at that index at some point; in the
     * appended range, once the writer has published that index i is mapped, every reader must see
     * it (the in-place growth of the last extent is as visible as a new snapshot).
     */
    @Test
    void lockFreeReadersSeeOnlyBlocksThatWereMappedThere() throws Exception {
        final int churn = 64;
        final long appendBase = 1000;
        final int appends = 200_000;
        BlockMap map = new BlockMap();
        BlockAllocator churnAlloc = new BlockAllocator(4096);
        BlockAllocator appendAlloc = new BlockAllocator(appends);
        List<Set<Integer>> everMapped = new ArrayList<>();
        for (int i = 0; i < churn; i++) {
            everMapped.add(ConcurrentHashMap.newKeySet());
        }
        int[] appended = new int[appends];
        AtomicLong progress = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            long seed = t;
            Thread r = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                long n = 0;
                try {
                    while (!stop.get()) {
                        int i = rnd.nextInt(churn);
                        int b = map.lookup(i);
                        if (b != BlockMap.HOLE && !everMapped.get(i).contains(b)) {
                            throw new AssertionError("index " + i + " showed block " + b + ", never mapped there");
                        }
                        long m = map.nextMapped(i, churn - 1);
                        if (m != -1 && (m < i || m >= churn)) {
                            throw new AssertionError("nextMapped(" + i + ") = " + m);
                        }
                        long p = progress.get();
                        if (p > 0) {
                            long k = rnd.nextLong(p);
                            int got = map.lookup(appendBase + k);
                            if (got != appended[(int) k]) {
                                throw new AssertionError("appended index " + k + " of " + p + " reads " + got
                                        + ", mapped " + appended[(int) k]);
                            }
                            if (map.nextMapped(appendBase, appendBase + p - 1) != appendBase) {
                                throw new AssertionError("nextMapped misses the appended extent");
                            }
                        }
                        n++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    reads.addAndGet(n);
                }
            });
            r.start();
            readers.add(r);
        }
        SplittableRandom rnd = new SplittableRandom(99);
        try {
            for (int k = 0; k < appends && failure.get() == null; k++) {
                int b = appendAlloc.allocate(Stamp.who(FILE, appendBase + k));
                appended[k] = b;
                assertTrue(map.mapIfHole(appendBase + k, b));
                progress.set(k + 1);
                if ((k & 3) == 0) {
                    int i = rnd.nextInt(churn);
                    if (rnd.nextInt(3) != 0) {
                        int nb = churnAlloc.allocate(Stamp.who(FILE, i));
                        everMapped.get(i).add(nb); // recorded before any reader can see it
                        if (!map.mapIfHole(i, nb)) {
                            churnAlloc.free(nb);
                        }
                    } else {
                        map.unmap(i, Math.min(churn - 1, i + rnd.nextInt(8)), churnAlloc);
                    }
                }
            }
        } finally {
            stop.set(true);
            for (Thread r : readers) {
                r.join();
            }
        }
        assertNull(failure.get());
        assertTrue(reads.get() > 0);
        assertEquals(appendBase, map.nextMapped(churn, Long.MAX_VALUE));
        assertEquals(appends, map.lookup(appendBase + appends - 1));
        assertEquals(1, map.extentCount() - extentsBelow(map, churn), "the appended range is one extent");
    }

    private static int extentsBelow(BlockMap map, int churn) {
        int n = 0;
        for (long i = 0; i < churn; i++) {
            int b = map.lookup(i);
            if (b != BlockMap.HOLE && (i == 0 || map.lookup(i - 1) != b - 1)) {
                n++;
            }
        }
        return n;
    }
}
