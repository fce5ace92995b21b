package rlbench.fs;

import rlbench.locks.index.SparseIntArray;

/**
 * An inode's block map: page index to block number, 0 for a hole. Lookups are lock-free and never
 * allocate (a fault reads the map on every miss); changes are CAS so that a racing allocation for
 * the same hole loses cleanly and frees its block.
 */
public final class BlockMap {

    /** The block number that stands for "no block here". */
    public static final int HOLE = 0;

    private final SparseIntArray blocks = new SparseIntArray();

    /** The block mapped at {@code index}, or {@link #HOLE}. */
    public int lookup(long index) {
        return blocks.get(index);
    }

    /** The smallest index in [from, last] with a block, or -1; skips untouched regions whole. */
    public long nextMapped(long from, long last) {
        return blocks.nextNonZero(from, last);
    }

    /** Maps {@code block} at {@code index} if it is still {@code expected}; false if it changed. */
    public boolean replace(long index, int expected, int block) {
        return blocks.chunk(index).compareAndSet(SparseIntArray.slot(index), expected, block);
    }
}
