package rlbench.locks.index;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An int for every page index up to {@link PageIndex#MAX_INDEX}, stored in chunks of 2^14 that are
 * created on first touch behind a two-level directory, so a sparse file costs memory only where
 * it was used. Chunks are never freed. Callers work on a chunk's {@link AtomicIntegerArray}
 * directly ({@link #chunk}, {@link #slot}), so every access has volatile or CAS semantics.
 *
 * <p>Memory ordering: directory slots are published by CAS and read with volatile loads, so a
 * chunk is seen fully zeroed. Losing a publication race costs one discarded chunk, never a
 * second live one.
 */
public final class SparseIntArray {

    private static final int LEAF_BITS = 14;
    private static final int MID_BITS = 11;
    private static final int TOP_BITS = 11;

    static {
        if (LEAF_BITS + MID_BITS + TOP_BITS < 64 - Long.numberOfLeadingZeros(PageIndex.MAX_INDEX)) {
            throw new AssertionError("sparse array does not cover the index space");
        }
    }

    private final AtomicReferenceArray<AtomicReferenceArray<AtomicIntegerArray>> top =
            new AtomicReferenceArray<>(1 << TOP_BITS);

    /** The position of {@code index} inside its chunk. */
    public static int slot(long index) {
        return (int) (index & ((1 << LEAF_BITS) - 1));
    }

    /** The chunk holding {@code index}, created if absent. */
    public AtomicIntegerArray chunk(long index) {
        AtomicReferenceArray<AtomicIntegerArray> mid = top.get(topSlot(index));
        if (mid == null) {
            top.compareAndSet(topSlot(index), null, new AtomicReferenceArray<>(1 << MID_BITS));
            mid = top.get(topSlot(index));
        }
        AtomicIntegerArray leaf = mid.get(midSlot(index));
        if (leaf == null) {
            mid.compareAndSet(midSlot(index), null, new AtomicIntegerArray(1 << LEAF_BITS));
            leaf = mid.get(midSlot(index));
        }
        return leaf;
    }

    /** The value at {@code index}; 0 where nothing was ever stored. Never allocates. */
    public int get(long index) {
        checkIndex(index);
        AtomicReferenceArray<AtomicIntegerArray> mid = top.get(topSlot(index));
        AtomicIntegerArray leaf = mid == null ? null : mid.get(midSlot(index));
        return leaf == null ? 0 : leaf.get(slot(index));
    }

    /**
     * The smallest index in [from, last] holding a non-zero value, or -1. Skips chunks never
     * created, so a scan of a sparse range costs its touched chunks, not its length.
     */
    public long nextNonZero(long from, long last) {
        last = Math.min(last, PageIndex.MAX_INDEX);
        long i = from;
        while (i <= last) {
            AtomicReferenceArray<AtomicIntegerArray> mid = top.get(topSlot(i));
            if (mid == null) {
                i = ((i >>> (LEAF_BITS + MID_BITS)) + 1) << (LEAF_BITS + MID_BITS);
                continue;
            }
            AtomicIntegerArray leaf = mid.get(midSlot(i));
            if (leaf == null) {
                i = ((i >>> LEAF_BITS) + 1) << LEAF_BITS;
                continue;
            }
            long chunkEnd = Math.min(last, (((i >>> LEAF_BITS) + 1) << LEAF_BITS) - 1);
            for (; i <= chunkEnd; i++) {
                if (leaf.get(slot(i)) != 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int topSlot(long index) {
        checkIndex(index);
        return (int) (index >>> (LEAF_BITS + MID_BITS));
    }

    private static int midSlot(long index) {
        return (int) (index >>> LEAF_BITS) & ((1 << MID_BITS) - 1);
    }

    private static void checkIndex(long index) {
        if (index < 0 || index > PageIndex.MAX_INDEX) {
            throw new IllegalArgumentException("page index out of range: " + index);
        }
    }
}
