package rlbench.locks.designs;

import java.util.concurrent.atomic.AtomicIntegerArray;
import rlbench.locks.index.SparseIntArray;
import rlbench.locks.wait.Timeouts;
import rlbench.locks.wait.WaitQueues;

/**
 * A sleeping lock for every page index of a mapping, whether or not a page exists there: the
 * page-lock design's "lock of index p". Each index has one int word with a LOCKED and a WAITERS
 * bit, the same protocol as the page lock ({@code PG_locked} / {@code PG_waiters}), sleepers on
 * the {@link WaitQueues hashed queues}.
 *
 * <p>Words live in a {@link SparseIntArray}: memory only where indices were touched, never freed,
 * since the lock of an index exists for the life of the mapping, which is the design's premise.
 *
 * <p>Memory ordering: lock words change only by CAS or atomic swap, which gives acquire on lock
 * and release on unlock.
 */
final class IndexLockTable {

    private static final int LOCKED = 1;
    private static final int WAITERS = 2;

    private final SparseIntArray words = new SparseIntArray();
    /** Spreads this table's indices over the shared wait queues apart from other tables'. */
    private final long waitKeySalt = System.identityHashCode(this) * 0x100000001B3L;

    /** Takes the lock of {@code index}, waiting at most {@code timeoutNanos}; false if not taken. */
    boolean lock(long index, long timeoutNanos) throws InterruptedException {
        AtomicIntegerArray chunk = words.chunk(index);
        int slot = SparseIntArray.slot(index);
        if (chunk.compareAndSet(slot, 0, LOCKED)) {
            return true;
        }
        if (timeoutNanos == Timeouts.TRY) {
            return false;
        }
        long deadline = Timeouts.deadline(timeoutNanos);
        Object bucket = WaitQueues.GLOBAL.bucket(waitKeySalt + index);
        while (true) {
            if (!WaitQueues.await(bucket, () -> stillHeldMarkWaiter(chunk, slot), deadline)) {
                return false;
            }
            int s = chunk.get(slot);
            if ((s & LOCKED) == 0 && chunk.compareAndSet(slot, s, s | LOCKED)) {
                return true;
            }
        }
    }

    /** Releases the lock of {@code index}, waking sleepers if any asked to be woken. */
    void unlock(long index) {
        int prev = words.chunk(index).getAndSet(SparseIntArray.slot(index), 0);
        if ((prev & LOCKED) == 0) {
            throw new IllegalMonitorStateException("index lock not held: " + index);
        }
        if ((prev & WAITERS) != 0) {
            WaitQueues.wakeAll(WaitQueues.GLOBAL.bucket(waitKeySalt + index));
        }
    }

    boolean isLocked(long index) {
        return (words.get(index) & LOCKED) != 0;
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
}
