package rlbench.locks.designs;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;
import rlbench.locks.wait.WaitQueues;

/**
 * A sleeping lock for every page index of a mapping, whether or not a page exists there: the
 * page-lock design's "lock of index p". Each index has one int word with a LOCKED and a WAITERS
 * bit, the same protocol as the page lock ({@code PG_locked} / {@code PG_waiters}), sleepers on
 * the {@link WaitQueues hashed queues}.
 *
 * <p>Words live in chunks of 2^14 indices, found through a two-level directory and created on
 * first use, so a sparse file costs memory only where it was touched. A chunk is never freed:
 * the lock of an index exists for the life of the mapping, which is the design's premise.
 *
 * <p>Memory ordering: directory slots are published with a CAS (release) and read with a volatile
 * load (acquire), so a chunk is fully zeroed before anyone sees it. Lock words change only by CAS,
 * which gives acquire on lock and release on unlock.
 */
final class IndexLockTable {

    private static final int LOCKED = 1;
    private static final int WAITERS = 2;

    private static final int LEAF_BITS = 14;
    private static final int MID_BITS = 11;
    private static final int TOP_BITS = 11;
    static {
        if (LEAF_BITS + MID_BITS + TOP_BITS < 64 - Long.numberOfLeadingZeros(PageIndex.MAX_INDEX)) {
            throw new AssertionError("lock table does not cover the index space");
        }
    }

    private final AtomicReferenceArray<AtomicReferenceArray<AtomicIntegerArray>> top =
            new AtomicReferenceArray<>(1 << TOP_BITS);
    /** Spreads this table's indices over the shared wait queues apart from other tables'. */
    private final long waitKeySalt = System.identityHashCode(this) * 0x100000001B3L;

    /** Takes the lock of {@code index}, waiting at most {@code timeoutNanos}; false if not taken. */
    boolean lock(long index, long timeoutNanos) throws InterruptedException {
        AtomicIntegerArray words = chunk(index);
        int slot = (int) (index & ((1 << LEAF_BITS) - 1));
        if (words.compareAndSet(slot, 0, LOCKED)) {
            return true;
        }
        if (timeoutNanos == Timeouts.TRY) {
            return false;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        Object bucket = WaitQueues.GLOBAL.bucket(waitKeySalt + index);
        while (true) {
            if (!WaitQueues.await(bucket, () -> stillHeldMarkWaiter(words, slot), deadline)) {
                return false;
            }
            int s = words.get(slot);
            if ((s & LOCKED) == 0 && words.compareAndSet(slot, s, s | LOCKED)) {
                return true;
            }
        }
    }

    /** Releases the lock of {@code index}, waking sleepers if any asked to be woken. */
    void unlock(long index) {
        AtomicIntegerArray words = chunk(index);
        int prev = words.getAndSet((int) (index & ((1 << LEAF_BITS) - 1)), 0);
        if ((prev & LOCKED) == 0) {
            throw new IllegalMonitorStateException("index lock not held: " + index);
        }
        if ((prev & WAITERS) != 0) {
            WaitQueues.wakeAll(WaitQueues.GLOBAL.bucket(waitKeySalt + index));
        }
    }

    boolean isLocked(long index) {
        return (chunk(index).get((int) (index & ((1 << LEAF_BITS) - 1))) & LOCKED) != 0;
    }

    private static boolean stillHeldMarkWaiter(AtomicIntegerArray words, int slot) {
        while (true) {
            int s = words.get(slot);
            if ((s & LOCKED) == 0) {
                return false;
            }
            if ((s & WAITERS) != 0 || words.compareAndSet(slot, s, s | WAITERS)) {
                return true;
            }
        }
    }

    private AtomicIntegerArray chunk(long index) {
        int t = (int) (index >>> (LEAF_BITS + MID_BITS));
        int m = (int) (index >>> LEAF_BITS) & ((1 << MID_BITS) - 1);
        AtomicReferenceArray<AtomicIntegerArray> mid = top.get(t);
        if (mid == null) {
            top.compareAndSet(t, null, new AtomicReferenceArray<>(1 << MID_BITS));
            mid = top.get(t);
        }
        AtomicIntegerArray leaf = mid.get(m);
        if (leaf == null) {
            mid.compareAndSet(m, null, new AtomicIntegerArray(1 << LEAF_BITS));
            leaf = mid.get(m);
        }
        return leaf;
    }
}
