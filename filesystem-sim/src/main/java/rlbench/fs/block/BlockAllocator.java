package rlbench.fs.block;

import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hands out the blocks of one {@link BlockDevice} and takes them back. Free space is held as
 * extents (first block, last block), as ext4's and XFS's free-space trees hold it, so freeing the
 * blocks of a punched range costs O(log n) per extent, never one step per block.
 *
 * <p><b>Reuse order.</b> The free extents also form a LIFO stack: {@link #allocate} and
 * {@link #allocateRun} take blocks from the front of the most recently freed extent. LIFO reuse is
 * deliberate: a block a punch frees is the next one some other file gets, so a fault that raced the
 * punch reads the other file's data, which is the race the oracle has to see (seed 003). A fresh
 * allocator is one extent [1, blockCount], so it hands out 1, 2, 3... A freed extent is merged
 * with the free extent that starts right after it (the merged extent still starts with the block
 * just freed, so LIFO order holds); it is never merged with the one that ends right before it,
 * since the merged extent would then start with an older block. Free space can therefore be split
 * into more extents than strictly needed, but never more than one per {@link #free} call still
 * outstanding (allocation takes from the front of an extent and never splits it).
 *
 * <p><b>Owners.</b> It records who owns each block ({@link Stamp#who} of the file and page index it
 * was allocated for), written once per block at allocation. {@link #free} does not touch the
 * per-block owners: a block is free when a free extent covers it, and {@link #owner} then answers
 * {@link Stamp#NOBODY}.
 *
 * <p><b>Costs</b> (n = free extents): {@link #allocate} O(1), or O(log n) when it uses up an
 * extent; {@link #allocateRun} O(length) for the owner writes plus O(log n) when it uses up an
 * extent; {@link #free(int, int)} O(log n) whatever the length; {@link #owner} O(log n), lock-free;
 * {@link #freeBlocks} and {@link #freeExtents} O(1).
 *
 * <p><b>Memory ordering.</b> Every change (allocate, free) is made under this object's monitor
 * (allocation is not on any path this suite compares designs by, and the kernel's block
 * allocators take locks too). {@link #owner} takes no lock, because the oracle asks it on every
 * read: free extents sit in a {@link ConcurrentSkipListSet} ordered by their last block (which never
 * changes while the extent is free), and each extent's first block is a volatile field that
 * allocation moves forward and a merging free moves back. Owners are an {@link AtomicLongArray}
 * written (volatile) before the extent's first block moves past them, so a reader that sees a
 * block as allocated sees the owner written for that allocation, or a later one.
 */
public final class BlockAllocator {

    /** A free extent [start, end]. {@code end} is its key in {@link #byEnd}; links are the LIFO. */
    private static final class Free {
        final int end;
        /** The first free block; allocation moves it forward, a merging free moves it back. */
        volatile int start;
        /** LIFO neighbours: {@code newer} is toward the top. Guarded by the allocator's monitor. */
        Free newer;
        Free older;

        Free(int start, int end) {
            this.start = start;
            this.end = end;
        }
    }

    private final int blockCount;
    /** Free extents by last block; changed under the monitor, read lock-free by {@link #owner}. */
    private final ConcurrentSkipListSet<Free> byEnd =
            new ConcurrentSkipListSet<>((a, b) -> Integer.compare(a.end, b.end));
    /** The most recently freed extent (top of the LIFO); guarded by the monitor. */
    private Free top;
    /** Guarded by the monitor. */
    private int freeBlocks;
    /** Guarded by the monitor. */
    private int freeExtents;
    private final AtomicLongArray owners;

    /** All blocks of {@code device} start free; the first allocations get the lowest numbers. */
    public BlockAllocator(BlockDevice device) {
        this(device.blockCount());
    }

    /** An allocator of blocks 1..{@code blockCount}, all free (for tests and sizing). */
    public BlockAllocator(int blockCount) {
        if (blockCount < 1 || blockCount == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("block count out of range: " + blockCount);
        }
        this.blockCount = blockCount;
        this.owners = new AtomicLongArray(blockCount + 1);
        Free all = new Free(1, blockCount);
        byEnd.add(all);
        top = all;
        freeBlocks = blockCount;
        freeExtents = 1;
    }

    public int blockCount() {
        return blockCount;
    }

    /**
     * A free block, now owned by {@code who}: the first block of the most recently freed extent;
     * or 0 when the device is full (ENOSPC). O(1), O(log n) when it uses up the extent.
     */
    public synchronized int allocate(long who) {
        Free f = top;
        if (f == null) {
            return 0;
        }
        int block = f.start;
        owners.set(block, who);
        take(f, 1);
        return block;
    }

    /**
     * A contiguous run of 1..{@code maxBlocks} blocks from the front of the most recently freed
     * extent (fallocate's allocation by extents), or 0 when the device is full. Block
     * {@code first + i} of the run is recorded as owned by {@code Stamp.who(fileId, firstIndex + i)}
     * before the run is handed out, so that {@link #owner} never shows a previous owner for it.
     * Decode the answer with {@link #runFirst} and {@link #runLength}. O(length) owner writes, plus
     * O(log n) when it uses up the extent.
     *
     * @throws IllegalArgumentException if {@code maxBlocks < 1} or the stamps would be out of range
     */
    public synchronized long allocateRun(int maxBlocks, int fileId, long firstIndex) {
        if (maxBlocks < 1) {
            throw new IllegalArgumentException("run of " + maxBlocks + " blocks");
        }
        Free f = top;
        if (f == null) {
            return 0;
        }
        int first = f.start;
        int length = (int) Math.min(maxBlocks, (long) f.end - first + 1);
        // Validates the whole run's stamps before anything changes.
        Stamp.who(fileId, firstIndex);
        Stamp.who(fileId, firstIndex + length - 1);
        for (int i = 0; i < length; i++) {
            owners.set(first + i, Stamp.who(fileId, firstIndex + i));
        }
        take(f, length);
        return run(first, length);
    }

    /** The first block of a run from {@link #allocateRun}. */
    public static int runFirst(long run) {
        return (int) (run >>> 32);
    }

    /** The number of blocks of a run from {@link #allocateRun} (0 for "none": ENOSPC). */
    public static int runLength(long run) {
        return (int) run;
    }

    private static long run(int first, int length) {
        return ((long) first << 32) | length;
    }

    /** Takes {@code n} blocks from the front of {@code f}, the top; caller holds the monitor. */
    private void take(Free f, int n) {
        int next = f.start + n;
        f.start = next; // publishes the owners written before it
        freeBlocks -= n;
        if (next > f.end) {
            byEnd.remove(f);
            unlink(f);
            freeExtents--;
        }
    }

    /**
     * Gives back {@code length} blocks from {@code firstBlock} as one extent, which becomes the most
     * recently freed one (the next {@link #allocate} returns {@code firstBlock}). O(log n).
     *
     * @throws IllegalStateException if any of them is already free (a double free is a filesystem
     *     bug); nothing is changed then
     * @throws IllegalArgumentException if the range is empty or not on the device
     */
    public synchronized void free(int firstBlock, int length) {
        long lastLong = (long) firstBlock + length - 1;
        if (firstBlock < 1 || length < 1 || lastLong > blockCount) {
            throw new IllegalArgumentException("cannot free " + length + " blocks from " + firstBlock
                    + " on a device of " + blockCount);
        }
        int last = (int) lastLong;
        Free next = byEnd.ceiling(new Free(0, firstBlock)); // the first free extent ending at or after it
        if (next != null && next.start <= last) {
            throw new IllegalStateException("double free of block " + Math.max(firstBlock, next.start));
        }
        if (next != null && next.start == last + 1) {
            next.start = firstBlock; // frees them all at once for owner()
            unlink(next);
            push(next);
        } else {
            Free f = new Free(firstBlock, last);
            byEnd.add(f);
            push(f);
            freeExtents++;
        }
        freeBlocks += length;
    }

    /** Gives {@code block} back: {@code free(block, 1)}. */
    public void free(int block) {
        free(block, 1);
    }

    /**
     * Who owns {@code block} now, or {@link Stamp#NOBODY} when it is free. Lock-free,
     * allocation-light (one probe object), O(log n). Racing an allocation or a free, it answers the
     * state before or after it.
     */
    public long owner(int block) {
        if (block < 1 || block > blockCount) {
            throw new IllegalArgumentException("no block " + block + " on a device of " + blockCount);
        }
        Free f = byEnd.ceiling(new Free(0, block));
        if (f != null && f.start <= block) {
            return Stamp.NOBODY;
        }
        return owners.get(block);
    }

    /** Free blocks in all. */
    public synchronized int freeBlocks() {
        return freeBlocks;
    }

    /** How many extents free space is held in. */
    public synchronized int freeExtents() {
        return freeExtents;
    }

    private void push(Free f) {
        f.older = top;
        f.newer = null;
        if (top != null) {
            top.newer = f;
        }
        top = f;
    }

    private void unlink(Free f) {
        if (f.newer != null) {
            f.newer.older = f.older;
        } else {
            top = f.older;
        }
        if (f.older != null) {
            f.older.newer = f.newer;
        }
        f.newer = null;
        f.older = null;
    }
}
