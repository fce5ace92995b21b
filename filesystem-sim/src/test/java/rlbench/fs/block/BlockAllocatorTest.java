package rlbench.fs.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BlockAllocatorTest {

    private static long who(long index) {
        return Stamp.who(1, index);
    }

    @Test
    void aFreshAllocatorHandsOutTheLowestNumbersFirstFromOneExtent() {
        BlockAllocator a = new BlockAllocator(100);
        assertEquals(1, a.freeExtents());
        assertEquals(100, a.freeBlocks());
        for (int b = 1; b <= 5; b++) {
            assertEquals(b, a.allocate(who(b)));
        }
        assertEquals(95, a.freeBlocks());
        assertEquals(1, a.freeExtents());
    }

    @Test
    void theNextBlockIsTheFirstOfTheMostRecentlyFreedExtent() {
        BlockAllocator a = new BlockAllocator(100);
        long run = a.allocateRun(40, 1, 0);
        assertEquals(1, BlockAllocator.runFirst(run));
        assertEquals(40, BlockAllocator.runLength(run));
        a.free(3, 4); // e1 = [3, 6]
        a.free(20, 5); // e2 = [20, 24]
        assertEquals(20, a.allocate(who(100)), "e2 was freed last");
        assertEquals(21, a.allocate(who(101)));
        // The rest of e2 as one run, capped by the extent, then e1.
        long rest = a.allocateRun(1000, 2, 7);
        assertEquals(22, BlockAllocator.runFirst(rest));
        assertEquals(3, BlockAllocator.runLength(rest));
        assertEquals(3, a.allocate(who(102)), "then e1, freed before e2");
        long e1Rest = a.allocateRun(1000, 2, 50);
        assertEquals(4, BlockAllocator.runFirst(e1Rest));
        assertEquals(3, BlockAllocator.runLength(e1Rest));
        assertEquals(41, a.allocate(who(103)), "then the never-used space");
    }

    @Test
    void aFreedExtentMergesWithTheOneRightAfterItButNotTheOneRightBefore() {
        BlockAllocator a = new BlockAllocator(20);
        a.allocateRun(20, 1, 0);
        assertEquals(0, a.freeExtents());
        a.free(5, 3); // [5, 7]
        a.free(2, 3); // [2, 4] touches [5, 7]: one extent [2, 7], starting with the block just freed
        assertEquals(1, a.freeExtents());
        assertEquals(6, a.freeBlocks());
        a.free(8, 2); // [8, 9] after [2, 7]: kept apart, so that LIFO still gives 8 first
        assertEquals(2, a.freeExtents());
        assertEquals(8, a.allocate(who(0)));
        assertEquals(9, a.allocate(who(1)));
        for (int b = 2; b <= 7; b++) {
            assertEquals(b, a.allocate(who(b)));
        }
        assertEquals(0, a.allocate(who(99)));
    }

    @Test
    void freeingALargeExtentIsOneExtentNotOnePerBlock() {
        BlockAllocator a = new BlockAllocator(1 << 20);
        a.allocateRun(1 << 20, 1, 0);
        assertEquals(0, a.freeExtents());
        a.free(1000, 262_144);
        assertEquals(1, a.freeExtents());
        assertEquals(262_144, a.freeBlocks());
        assertEquals(Stamp.NOBODY, a.owner(1000));
        assertEquals(Stamp.NOBODY, a.owner(1000 + 262_143));
        assertEquals(Stamp.who(1, 998), a.owner(999), "block 999 (index 998 of the run) is still owned");
        assertEquals(Stamp.who(1, 1000 + 262_144 - 1), a.owner(1000 + 262_144), "so is the block after");
    }

    @Test
    void doubleFreeThrowsNamingTheBlockAndChangesNothing() {
        BlockAllocator a = new BlockAllocator(30);
        a.allocateRun(30, 1, 0);
        a.free(10, 5); // [10, 14]
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.free(8, 4)); // [8, 11]
        assertTrue(e.getMessage().contains("block 10"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> a.free(14, 3));
        assertTrue(e.getMessage().contains("block 14"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> a.free(12));
        assertTrue(e.getMessage().contains("block 12"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> a.free(1, 30));
        assertEquals(5, a.freeBlocks());
        assertEquals(1, a.freeExtents());
        assertEquals(Stamp.who(1, 7), a.owner(8));
        assertEquals(10, a.allocate(who(0)));
        // Touching but not overlapping is fine.
        a.free(15, 1);
        a.free(9, 1);
        assertEquals(9, a.allocate(who(0)));
    }

    @Test
    void badRangesAreRefused() {
        BlockAllocator a = new BlockAllocator(10);
        assertThrows(IllegalArgumentException.class, () -> a.free(0, 1));
        assertThrows(IllegalArgumentException.class, () -> a.free(5, 0));
        assertThrows(IllegalArgumentException.class, () -> a.free(8, 4));
        assertThrows(IllegalArgumentException.class, () -> a.allocateRun(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> a.owner(0));
        assertThrows(IllegalArgumentException.class, () -> a.owner(11));
        assertEquals(10, a.freeBlocks());
    }

    @Test
    void enospcAnswersZeroAndLeavesTheAllocatorUsable() {
        BlockAllocator a = new BlockAllocator(new BlockDevice(8, 4096, BlockDevice.Mode.STAMP_ONLY, 0));
        assertEquals(8, BlockAllocator.runLength(a.allocateRun(100, 1, 0)));
        assertEquals(0, a.allocate(who(9)));
        assertEquals(0, a.allocateRun(5, 1, 9));
        assertEquals(0, a.freeBlocks());
        assertEquals(0, a.freeExtents());
        a.free(4, 2);
        assertEquals(4, a.allocate(who(20)));
        assertEquals(5, a.allocate(who(21)));
        assertEquals(0, a.allocate(who(22)));
    }

    @Test
    void ownerIsNobodyWhenFreeAndTheAllocationsWhoOtherwise() {
        BlockAllocator a = new BlockAllocator(50);
        assertEquals(Stamp.NOBODY, a.owner(1), "never allocated");
        int b = a.allocate(Stamp.who(3, 77));
        assertEquals(Stamp.who(3, 77), a.owner(b));
        long run = a.allocateRun(10, 4, 1000);
        int first = BlockAllocator.runFirst(run);
        for (int i = 0; i < 10; i++) {
            assertEquals(Stamp.who(4, 1000 + i), a.owner(first + i));
        }
        a.free(first + 2, 5);
        assertEquals(Stamp.who(4, 1001), a.owner(first + 1));
        for (int i = 2; i < 7; i++) {
            assertEquals(Stamp.NOBODY, a.owner(first + i));
        }
        assertEquals(Stamp.who(4, 1007), a.owner(first + 7));
        int again = a.allocate(Stamp.who(5, 1));
        assertEquals(first + 2, again);
        assertEquals(Stamp.who(5, 1), a.owner(again));
        assertEquals(Stamp.NOBODY, a.owner(again + 1));
    }

    /** A seeded random run against a bitmap of free blocks and an array of owners. */
    @Test
    void agreesWithASimpleModelUnderRandomOperations() {
        for (long seed = 1; seed <= 5; seed++) {
            randomRun(seed);
        }
    }

    private static void randomRun(long seed) {
        final int n = 500;
        SplittableRandom rnd = new SplittableRandom(seed);
        BlockAllocator a = new BlockAllocator(n);
        BitSet free = new BitSet();
        free.set(1, n + 1);
        long[] owner = new long[n + 1];
        for (int step = 0; step < 6000; step++) {
            String at = "seed " + seed + " step " + step;
            int op = rnd.nextInt(10);
            if (op < 3) {
                long w = Stamp.who(1 + rnd.nextInt(5), rnd.nextInt(1 << 20));
                int b = a.allocate(w);
                if (free.isEmpty()) {
                    assertEquals(0, b, at);
                } else {
                    assertTrue(free.get(b), at + ": allocated a block that was not free: " + b);
                    free.clear(b);
                    owner[b] = w;
                }
            } else if (op < 5) {
                int max = 1 + rnd.nextInt(40);
                int file = 1 + rnd.nextInt(5);
                long index = rnd.nextInt(1 << 20);
                long run = a.allocateRun(max, file, index);
                if (free.isEmpty()) {
                    assertEquals(0, run, at);
                } else {
                    int first = BlockAllocator.runFirst(run);
                    int len = BlockAllocator.runLength(run);
                    assertTrue(len >= 1 && len <= max, at);
                    for (int i = 0; i < len; i++) {
                        assertTrue(free.get(first + i), at);
                        free.clear(first + i);
                        owner[first + i] = Stamp.who(file, index + i);
                    }
                }
            } else if (op < 9) {
                // Free a random allocated run (cut short at the first free block).
                int start = 1 + rnd.nextInt(n);
                if (free.get(start)) {
                    continue;
                }
                int want = 1 + rnd.nextInt(30);
                int len = 0;
                while (len < want && start + len <= n && !free.get(start + len)) {
                    len++;
                }
                a.free(start, len);
                free.set(start, start + len);
                if (rnd.nextBoolean()) {
                    long w = Stamp.who(7, step);
                    assertEquals(start, a.allocate(w), at + ": LIFO: the block just freed comes back first");
                    free.clear(start);
                    owner[start] = w;
                }
            } else {
                // A double free must be refused whole.
                int b = free.nextSetBit(1 + rnd.nextInt(n));
                if (b < 0) {
                    continue;
                }
                int from = Math.max(1, b - rnd.nextInt(3));
                int len = Math.min(n - from + 1, 1 + rnd.nextInt(5) + (b - from));
                int before = a.freeBlocks();
                int firstFree = free.nextSetBit(from);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.free(from, len), at);
                assertTrue(e.getMessage().endsWith("block " + firstFree), at + ": " + e.getMessage());
                assertEquals(before, a.freeBlocks(), at);
            }
            assertEquals(free.cardinality(), a.freeBlocks(), at);
            int runs = 0;
            for (int b = free.nextSetBit(1); b >= 0; b = free.nextSetBit(free.nextClearBit(b))) {
                runs++;
            }
            assertTrue(a.freeExtents() >= runs && a.freeExtents() <= free.cardinality(),
                    at + ": " + a.freeExtents() + " extents for " + runs + " free runs");
            for (int k = 0; k < 5; k++) {
                int b = 1 + rnd.nextInt(n);
                assertEquals(free.get(b) ? Stamp.NOBODY : owner[b], a.owner(b), at + " owner of " + b);
            }
        }
        for (int b = 1; b <= n; b++) {
            assertEquals(free.get(b) ? Stamp.NOBODY : owner[b], a.owner(b), "seed " + seed + " owner of " + b);
        }
    }

    /**
     * owner() takes no lock. Allocations stamp owners with a generation that only grows; once an
     * allocation has returned, no owner() call that starts after it may answer an older owner.
     */
    @Test
    void ownerReadsWithoutTheLockNeverSeeAStaleOwner() throws Exception {
        final int n = 256;
        BlockAllocator a = new BlockAllocator(n);
        AtomicLongArray floor = new AtomicLongArray(n + 1);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            long seed = t;
            Thread r = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                try {
                    while (!stop.get()) {
                        int b = 1 + rnd.nextInt(n);
                        long f = floor.get(b);
                        long o = a.owner(b);
                        if (o != Stamp.NOBODY && (Stamp.fileId(o) != 1 || Stamp.index(o) < f)) {
                            throw new AssertionError("block " + b + " owned by " + Stamp.describe(o)
                                    + " after generation " + f + " was allocated");
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            r.start();
            readers.add(r);
        }
        SplittableRandom rnd = new SplittableRandom(42);
        BitSet held = new BitSet();
        long gen = 1;
        for (int step = 0; step < 200_000 && failure.get() == null; step++) {
            if (rnd.nextInt(3) != 0) {
                long run = a.allocateRun(1 + rnd.nextInt(8), 1, gen);
                int first = BlockAllocator.runFirst(run);
                int len = BlockAllocator.runLength(run);
                for (int i = 0; i < len; i++) {
                    floor.set(first + i, gen + i);
                }
                gen += len;
                held.set(first, first + len);
            } else {
                int b = held.nextSetBit(1 + rnd.nextInt(n));
                if (b < 0) {
                    continue;
                }
                int end = Math.min(held.nextClearBit(b), b + 1 + rnd.nextInt(16));
                a.free(b, end - b);
                held.clear(b, end);
            }
        }
        stop.set(true);
        for (Thread r : readers) {
            r.join();
        }
        assertNull(failure.get());
    }
}
