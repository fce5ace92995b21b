package rlbench.fs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import rlbench.fs.block.BlockAllocator;
import rlbench.fs.block.Stamp;

/**
 * An inode's block map by extents, as ext4's extent tree and XFS's bmap btree hold it: runs of
 * (first page index, length, first block), sorted and disjoint. Extents that touch in both index
 * and block space are always merged, so a file written in one sequential pass is one extent
 * whatever its size, and a sparse file costs memory per extent, never per page.
 *
 * <p><b>Design: copy-on-write snapshots, growing the last block in place.</b> The extents live in
 * an immutable snapshot of three parallel arrays (starts, lengths, blocks) published through a
 * volatile field. Writers serialise on this map's private monitor, build a new snapshot and publish
 * it with one volatile write; readers load the snapshot once and binary-search it, taking no lock
 * and allocating nothing. One exception keeps appends cheap: mapping the page right after an
 * extent, with the block right after its last block, when that does not make it touch the next
 * extent, grows the extent's length in place in the current snapshot (a volatile array write)
 * instead of copying. That is still one atomic change a reader sees either before or after, and a
 * snapshot is never written once it has been replaced, so every reader's answer is the map as it
 * stood at some instant during its call (linearizable). Lengths are therefore read with volatile
 * semantics; starts and blocks are never written after publication.
 *
 * <p><b>Costs</b> (n = extents in the map, k = extents an operation touches):
 * <ul>
 *   <li>{@link #lookup}, {@link #nextMapped}: O(log n), lock-free, allocation-free.</li>
 *   <li>{@link #mapIfHole}: O(log n) when it grows an extent in place (sequential appends);
 *       otherwise O(n) for the snapshot copy.</li>
 *   <li>{@link #unmap}: O(log n + k) to find and cut the extents plus O(n) for the snapshot copy,
 *       and k extent frees of O(log free extents) each in the allocator; never O(pages).</li>
 *   <li>{@link #mapRange}: O(n + runs) plus the allocator's per-block owner writes for the blocks
 *       it allocates.</li>
 *   <li>{@link #extentCount}, {@link #mappedBlocks}: O(1).</li>
 * </ul>
 *
 * <p>Memory ordering: writers change the map only while holding the private monitor, and publish
 * with a volatile write (of the snapshot, or of a grown length) as their last change, so a reader
 * that sees the change sees the arrays it reads. {@link #unmap} publishes the map without the
 * removed blocks before it gives them to the allocator, so a block is never free while this map
 * still maps it; {@link #mapRange} lets its caller see each new run before it becomes visible (to
 * zero it, say) and publishes them all at once.
 */
public final class BlockMap {

    /** The block number that stands for "no block here". */
    public static final int HOLE = 0;

    /** Called with each run of newly allocated blocks before a {@link #mapRange} publishes it. */
    @FunctionalInterface
    public interface NewRun {
        void allocated(long firstIndex, int firstBlock, int length);
    }

    private static final VarHandle INT_ARRAY = MethodHandles.arrayElementVarHandle(int[].class);

    /** Immutable except for {@link #len} of the last-grown extent, written with volatile semantics. */
    private static final class Extents {
        static final Extents EMPTY = new Extents(new long[0], new int[0], new int[0], 0);

        final long[] start;
        final int[] len;
        final int[] block;
        final int n;

        Extents(long[] start, int[] len, int[] block, int n) {
            this.start = start;
            this.len = len;
            this.block = block;
            this.n = n;
        }

        int len(int i) {
            return (int) INT_ARRAY.getVolatile(len, i);
        }

        /** The last extent whose start is at most {@code index}, or -1. */
        int floor(long index) {
            int lo = 0;
            int hi = n - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (start[mid] <= index) {
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            return hi;
        }
    }

    /** Collects extents in index order into new arrays, merging touching ones. */
    private static final class Builder {
        long[] start;
        int[] len;
        int[] block;
        int n;

        Builder(int capacity) {
            capacity = Math.max(capacity, 4);
            start = new long[capacity];
            len = new int[capacity];
            block = new int[capacity];
        }

        void add(long s, int l, int b) {
            if (n > 0) {
                int p = n - 1;
                if (start[p] + len[p] == s && block[p] + len[p] == b && (long) len[p] + l <= Integer.MAX_VALUE) {
                    len[p] += l;
                    return;
                }
            }
            if (n == start.length) {
                int c = n * 2;
                start = Arrays.copyOf(start, c);
                len = Arrays.copyOf(len, c);
                block = Arrays.copyOf(block, c);
            }
            start[n] = s;
            len[n] = l;
            block[n] = b;
            n++;
        }

        Extents build() {
            return n == 0 ? Extents.EMPTY
                    : new Extents(Arrays.copyOf(start, n), Arrays.copyOf(len, n), Arrays.copyOf(block, n), n);
        }
    }

    private final Object writeLock = new Object();
    private volatile Extents extents = Extents.EMPTY;
    /** Written under {@link #writeLock}. */
    private volatile long mapped;

    /** The block mapped at {@code index}, or {@link #HOLE}. Lock-free, allocation-free, O(log extents). */
    public int lookup(long index) {
        Extents s = extents;
        int i = s.floor(index);
        if (i < 0) {
            return HOLE;
        }
        long off = index - s.start[i];
        return off < s.len(i) ? s.block[i] + (int) off : HOLE;
    }

    /** The smallest index in [from, last] with a block, or -1. Lock-free, O(log extents). */
    public long nextMapped(long from, long last) {
        if (from > last) {
            return -1;
        }
        Extents s = extents;
        int i = s.floor(from);
        if (i >= 0 && from - s.start[i] < s.len(i)) {
            return from;
        }
        int j = i + 1;
        return j < s.n && s.start[j] <= last ? s.start[j] : -1;
    }

    /**
     * Maps {@code block} at {@code index} if it is a hole, extending or merging the extents around
     * it; false if {@code index} is already mapped (the caller then frees its block). Linearizable
     * with {@link #lookup}. O(log n) when it grows an extent in place, O(n) otherwise.
     */
    public boolean mapIfHole(long index, int block) {
        if (index < 0) {
            throw new IllegalArgumentException("negative page index " + index);
        }
        if (block <= HOLE) {
            throw new IllegalArgumentException("not a block: " + block);
        }
        synchronized (writeLock) {
            Extents s = extents;
            int i = s.floor(index);
            int li = i >= 0 ? s.len[i] : 0; // under the lock: the latest length
            if (i >= 0 && index - s.start[i] < li) {
                return false;
            }
            boolean growsPrev = i >= 0 && s.start[i] + li == index && s.block[i] + li == block
                    && li < Integer.MAX_VALUE;
            int j = i + 1;
            boolean growsNext = j < s.n && index + 1 == s.start[j] && block + 1 == s.block[j];
            if (growsPrev && !growsNext) {
                INT_ARRAY.setVolatile(s.len, i, li + 1);
            } else {
                Builder b = new Builder(s.n + 1);
                for (int k = 0; k < j; k++) {
                    b.add(s.start[k], s.len[k], s.block[k]);
                }
                b.add(index, 1, block);
                for (int k = j; k < s.n; k++) {
                    b.add(s.start[k], s.len[k], s.block[k]);
                }
                extents = b.build();
            }
            mapped = mapped + 1;
            return true;
        }
    }

    /**
     * Removes every mapping in [first, last], cutting the extents at its edges, and gives each
     * removed piece to {@code allocator} as one extent ({@link BlockAllocator#free(int, int)}),
     * highest index first, after this map no longer shows it. Returns the number of blocks freed.
     * O(log n + k) plus the O(n) snapshot copy and k allocator frees; never O(pages).
     */
    public long unmap(long first, long last, BlockAllocator allocator) {
        if (first > last) {
            return 0;
        }
        Extents s;
        int lo;
        int hi;
        long freed = 0;
        synchronized (writeLock) {
            s = extents;
            int i = s.floor(first);
            lo = i >= 0 && first - s.start[i] < s.len[i] ? i : i + 1;
            hi = s.floor(last) + 1;
            if (lo >= hi) {
                return 0;
            }
            Builder b = new Builder(s.n + 1);
            for (int k = 0; k < lo; k++) {
                b.add(s.start[k], s.len[k], s.block[k]);
            }
            for (int k = lo; k < hi; k++) {
                long sk = s.start[k];
                long ek = sk + s.len[k] - 1;
                if (sk < first) {
                    b.add(sk, (int) (first - sk), s.block[k]);
                }
                freed += Math.min(ek, last) - Math.max(sk, first) + 1;
                if (ek > last) {
                    b.add(last + 1, (int) (ek - last), s.block[k] + (int) (last + 1 - sk));
                }
            }
            for (int k = hi; k < s.n; k++) {
                b.add(s.start[k], s.len[k], s.block[k]);
            }
            extents = b.build();
            mapped = mapped - freed;
        }
        // s was replaced under the lock, so nobody writes its lengths any more.
        for (int k = hi - 1; k >= lo; k--) {
            long sk = s.start[k];
            long from = Math.max(sk, first);
            long to = Math.min(sk + s.len[k] - 1, last);
            allocator.free(s.block[k] + (int) (from - sk), (int) (to - from + 1));
        }
        return freed;
    }

    /**
     * fallocate: gives every hole in [first, last] blocks, taking runs from
     * {@link BlockAllocator#allocateRun} (block of index i owned by {@code Stamp.who(fileId, i)}).
     * Returns the number of blocks allocated, or -1 if the allocator ran out (ENOSPC); what was
     * allocated before that stays mapped. O(n + runs) plus the allocator's owner writes.
     */
    public long mapRange(long first, long last, BlockAllocator allocator, int fileId) {
        return mapRange(first, last, allocator, fileId, null);
    }

    /**
     * {@link #mapRange(long, long, BlockAllocator, int)}, calling {@code beforeMapping} with each
     * allocated run before any of them becomes visible to {@link #lookup} (a filesystem zeroes new
     * blocks there, as ext4 marks fallocated extents unwritten). It runs under this map's write
     * lock: it must not call back into this map.
     */
    public long mapRange(long first, long last, BlockAllocator allocator, int fileId, NewRun beforeMapping) {
        if (first < 0 || first > last) {
            throw new IllegalArgumentException("bad range [" + first + ", " + last + "]");
        }
        Stamp.who(fileId, last); // checks the file id and the index range up front
        synchronized (writeLock) {
            Extents s = extents;
            Builder b = new Builder(s.n + 4);
            long allocated = 0;
            boolean enospc = false;
            long pos = first; // the next index of [first, last] not yet looked at
            for (int k = 0; k <= s.n; k++) {
                long sk = k < s.n ? s.start[k] : Long.MAX_VALUE;
                if (!enospc && pos <= last && pos < sk) {
                    long holeEnd = Math.min(sk - 1, last);
                    while (pos <= holeEnd) {
                        long run = allocator.allocateRun((int) Math.min(holeEnd - pos + 1, Integer.MAX_VALUE),
                                fileId, pos);
                        int n = BlockAllocator.runLength(run);
                        if (n == 0) {
                            enospc = true;
                            break;
                        }
                        int firstBlock = BlockAllocator.runFirst(run);
                        if (beforeMapping != null) {
                            beforeMapping.allocated(pos, firstBlock, n);
                        }
                        b.add(pos, n, firstBlock);
                        pos += n;
                        allocated += n;
                    }
                }
                if (k < s.n) {
                    b.add(sk, s.len[k], s.block[k]);
                    pos = Math.max(pos, sk + s.len[k]);
                }
            }
            if (allocated > 0) {
                extents = b.build();
                mapped = mapped + allocated;
            }
            return enospc ? -1 : allocated;
        }
    }

    /** How many extents the map holds. */
    public int extentCount() {
        return extents.n;
    }

    /** How many pages have a block. */
    public long mappedBlocks() {
        return mapped;
    }
}
