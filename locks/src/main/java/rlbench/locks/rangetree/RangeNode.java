package rlbench.locks.rangetree;

/**
 * One range in a {@link RangeLock}'s tree, granted or waiting: the {@code struct range_lock} of
 * Bueso's patches, and at the same time a node of the {@link IntervalTree} (the tree is intrusive,
 * as the kernel's rbtrees are, so inserting a range allocates nothing).
 *
 * <p>Nodes are pooled per thread ({@link RangeLock} keeps a free list in a thread-local holder), so
 * a node is only ever used by the thread that made it: {@link #owner} is final and is the thread a
 * waker unparks.
 *
 * <p>Memory ordering, field by field:
 * <ul>
 *   <li>{@code first}, {@code last}, {@code exclusive}, {@code seq}: written by the owner while the
 *       node is in no tree ({@code seq} under the lock's mutex, just before insertion); read by
 *       other threads only under the mutex, whose acquisition orders them. Plain fields.</li>
 *   <li>{@code left}, {@code right}, {@code height}, {@code maxLast}, {@code maxExclusiveLast},
 *       {@code blocking}: the tree's and the FIFO count's state, touched only under the mutex.
 *       Plain fields.</li>
 *   <li>{@link #granted}: the only field read outside the mutex. A waker sets it under the mutex
 *       when {@code blocking} reaches zero; the parked owner polls it without the mutex. It is
 *       volatile so that the owner's read of {@code true} happens-after the waker's write and
 *       therefore after everything the previous conflicting holders did before they released
 *       (each release went through the mutex the waker then took). Only the slow path writes it;
 *       the uncontended path never does, so it costs no fence there.</li>
 *   <li>{@code lock}, {@code nextFree}: the owner's bookkeeping (which lock holds the node, the
 *       free list), touched by the owner thread only. Plain fields.</li>
 * </ul>
 */
final class RangeNode {

    /** The thread that made this node; nodes never change threads, so wakers unpark this one. */
    final Thread owner;

    // ---- key and payload: set by the owner before insertion, read by others under the mutex ----

    /** First page of the range, inclusive. */
    long first;
    /** Last page of the range, inclusive. */
    long last;
    /** EXCLUSIVE when true, SHARED when false (a boolean keeps the hot compare branch-light). */
    boolean exclusive;
    /** Arrival order in its lock, assigned under the mutex; ties on {@code first} sort by it. */
    long seq;

    // ---- tree links and augmentation: mutex only ----

    RangeNode left;
    RangeNode right;
    /** AVL height of the subtree rooted here (a leaf is 1). */
    int height;
    /** Largest {@code last} in this subtree. */
    long maxLast;
    /** Largest {@code last} of an exclusive node in this subtree, {@link Long#MIN_VALUE} if none. */
    long maxExclusiveLast;

    // ---- FIFO accounting: mutex only ----

    /** Conflicting overlapping ranges that arrived earlier and are still in the tree; 0 = granted. */
    int blocking;

    /** Set by a waker (under the mutex) when {@code blocking} reaches 0; polled by a parked owner. */
    volatile boolean granted;

    // ---- owner-thread bookkeeping ----

    /** The lock whose tree holds this node while it is held or waiting; null when free. */
    RangeLock lock;
    /** Next node on the owner's free list. */
    RangeNode nextFree;

    RangeNode(Thread owner) {
        this.owner = owner;
    }

    /** Sets the key and payload of a node about to be inserted; it must be in no tree. */
    RangeNode set(long first, long last, boolean exclusive, long seq) {
        this.first = first;
        this.last = last;
        this.exclusive = exclusive;
        this.seq = seq;
        return this;
    }

    /** Whether this node and {@code [f, l]} share at least one page. */
    boolean overlaps(long f, long l) {
        return first <= l && f <= last;
    }

    @Override
    public String toString() {
        return "[" + first + "," + last + "]" + (exclusive ? "X" : "S") + "#" + seq
                + (blocking == 0 ? "" : " blocked by " + blocking);
    }
}
