package rlbench.fs.block;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hands out the blocks of one {@link BlockDevice} and takes them back, last freed first out. LIFO
 * reuse is deliberate: a block a punch frees is the next one some other file gets, so a fault that
 * raced the punch reads the other file's data, which is the race the oracle has to see (seed 003).
 *
 * <p>It also records who owns each block ({@link Stamp#who} of the file and page index it was
 * allocated for, {@link Stamp#NOBODY} when free), which the oracle reads to name the current
 * owner of a block a stale page points at.
 *
 * <p>Memory ordering: the free stack is guarded by this object's monitor (allocation is not on any
 * path this suite compares designs by, and the kernel's block allocators take locks too). Owners
 * are an {@link AtomicLongArray} written inside the monitor and read without it (volatile), so a
 * checker on another thread sees the owner the allocator set before handing the block out.
 */
public final class BlockAllocator {

    private final int[] free;
    private int top;
    private final AtomicLongArray owners;

    /** All blocks of {@code device} start free; the first allocations get the lowest numbers. */
    public BlockAllocator(BlockDevice device) {
        int n = device.blockCount();
        free = new int[n];
        for (int i = 0; i < n; i++) {
            free[i] = n - i;
        }
        top = n;
        owners = new AtomicLongArray(n + 1);
    }

    /**
     * A free block, now owned by {@code who}; or 0 when the device is full (ENOSPC).
     */
    public synchronized int allocate(long who) {
        if (top == 0) {
            return 0;
        }
        int block = free[--top];
        owners.set(block, who);
        return block;
    }

    /**
     * Gives {@code block} back.
     *
     * @throws IllegalStateException if it is already free (a double free is a filesystem bug)
     */
    public synchronized void free(int block) {
        if (owners.get(block) == Stamp.NOBODY) {
            throw new IllegalStateException("double free of block " + block);
        }
        owners.set(block, Stamp.NOBODY);
        free[top++] = block;
    }

    /** Who owns {@code block} now, or {@link Stamp#NOBODY} when it is free. */
    public long owner(int block) {
        return owners.get(block);
    }

    public synchronized int freeBlocks() {
        return top;
    }
}
