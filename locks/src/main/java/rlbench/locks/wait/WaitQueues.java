package rlbench.locks.wait;

import rlbench.locks.stat.LockStat;

/**
 * Hashed wait queues, the way the kernel's {@code wait_on_page_bit} and DAX's entry waits share a
 * fixed table of queues instead of giving every lockable object a queue of its own.
 *
 * <p>A lock word that uses these queues carries a WAITERS bit next to its LOCKED bit. The unlock
 * fast path is a single atomic on the word; only when WAITERS was set does it touch the table.
 * Several words hash to one bucket, so a wake-up may reach waiters of other words: they re-check
 * and sleep again. That is the price of the fixed table, as in Linux.
 *
 * <p>Memory ordering: a waiter sets WAITERS with a CAS while holding the bucket's monitor and then
 * calls {@link Object#wait}; the unlocker clears the word with an atomic swap first and then takes
 * the monitor to notify. The CAS either sees the cleared word (the waiter retries its acquire) or
 * happens before the swap (the unlocker sees WAITERS and its notify cannot overtake the wait,
 * because the waiter holds the monitor until it waits). No wake-up is lost.
 */
public final class WaitQueues {

    /** DAX hashes entry waiters into 4096 queues ({@code DAX_WAIT_TABLE_BITS} = 12). */
    public static final int DEFAULT_BUCKETS = 4096;

    /** The table every lock word in this JVM shares, as the kernel shares one page wait table. */
    public static final WaitQueues GLOBAL = new WaitQueues(DEFAULT_BUCKETS);

    /** What a waiter asks of the word it waits on, under the bucket's monitor. */
    @FunctionalInterface
    public interface Waitable {
        /**
         * Returns true when the word is still held and its WAITERS bit is now set (so the
         * unlocker will notify); false when it is free and the caller should retry its acquire.
         */
        boolean stillHeldMarkWaiter();
    }

    private final Object[] buckets;
    private final int mask;

    public WaitQueues(int bucketCount) {
        if (Integer.bitCount(bucketCount) != 1) {
            throw new IllegalArgumentException("bucket count must be a power of two: " + bucketCount);
        }
        buckets = new Object[bucketCount];
        for (int i = 0; i < bucketCount; i++) {
            buckets[i] = new Object();
        }
        mask = bucketCount - 1;
    }

    /** The queue for a key; keys are spread with a multiplicative hash. */
    public Object bucket(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return buckets[(int) (h >>> 40) & mask];
    }

    /**
     * Sleeps on {@code bucket} until {@code word} is no longer held, or the deadline passes.
     *
     * @param deadlineNanos an absolute {@link System#nanoTime()} value, or {@link Timeouts#NO_DEADLINE}
     * @return true when the word was seen free (the caller retries its acquire), false on timeout
     * @throws InterruptedException if interrupted while sleeping; the word is left as it was
     */
    public static boolean await(Object bucket, Waitable word, long deadlineNanos) throws InterruptedException {
        long waitStart = 0; // lock statistics: timed from the first sleep, only if there is one
        try {
            synchronized (bucket) {
                while (word.stillHeldMarkWaiter()) {
                    if (waitStart == 0) {
                        waitStart = LockStat.waitStart();
                    }
                    if (!Timeouts.waitOn(bucket, deadlineNanos)) {
                        return false;
                    }
                }
                return true;
            }
        } finally {
            LockStat.waitEnd(waitStart);
        }
    }

    /** Wakes every sleeper of the bucket; called only by an unlocker that saw WAITERS set. */
    public static void wakeAll(Object bucket) {
        synchronized (bucket) {
            bucket.notifyAll();
        }
    }
}
