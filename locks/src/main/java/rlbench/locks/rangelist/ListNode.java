package rlbench.locks.rangelist;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One range in a {@link RangeList}: a node of its sorted singly linked list, granted or waiting.
 *
 * <p>Nodes are pooled per thread and reused only after an epoch-based grace period (see
 * {@link RangeList}), so one object carries many ranges over its life, one at a time. Each use is
 * an <em>incarnation</em>; its number is part of {@link #state}, so a thread that still waits on an
 * old incarnation sees the word change and never mistakes a reuse for the range it waited for.
 *
 * <h2>Deletion mark</h2>
 * Java has no spare pointer bit, and {@code AtomicMarkableReference} allocates a pair on every
 * change. A deleted node instead has {@link #next} set to the shared sentinel {@link #MARKED},
 * and its real successor at that moment kept in {@link #frozenNext}. A CAS on a deleted node's
 * {@code next} that expects a real node therefore fails, exactly as a Harris mark bit makes it
 * fail: nothing can be inserted after a deleted node, and its successor cannot be unlinked
 * through it. The sentinel is compared, never written into by anyone, and never in a list.
 *
 * <h2>Memory ordering, field by field</h2>
 * <ul>
 *   <li>{@code first}, {@code last}, {@code exclusive}, {@code stamp}: the key and payload. The
 *       owner writes them (plain) while the node is in no list and no other thread can reach it
 *       (free, after the grace period); the insertion CAS (a volatile write) publishes them, and
 *       every reader reached the node through a volatile read of a {@code next} link written by
 *       or after that CAS. Immutable for the incarnation.</li>
 *   <li>{@link #next}: the list link. Read with volatile reads (the scans' Dekker argument in
 *       {@link RangeList} needs them sequentially consistent, not merely acquiring); changed only
 *       by CAS (insertion after this node, unlinking this node's deleted successor, the owner's
 *       deletion), except the owner's plain write while the node is unpublished.</li>
 *   <li>{@link #frozenNext}: written (plain) by the owner before the CAS that sets {@code next}
 *       to {@link #MARKED}; read only by threads that saw {@code MARKED}, so the CAS orders it.
 *       Never written again in the incarnation.</li>
 *   <li>{@link #state}: incarnation, GRANTED, DELETED and WAITERS bits. Volatile: grants are
 *       published with it and waiters sleep on it. Only the owner changes GRANTED/DELETED and the
 *       incarnation (by atomic swap, so it sees and clears WAITERS in the same step); waiters only
 *       CAS the WAITERS bit in, under their wait bucket's monitor.</li>
 *   <li>{@link #unlinked}, {@link #retiredEpoch}: written once per incarnation by the thread whose
 *       CAS unlinked the node (epoch plain, then the volatile flag); read by the owner deciding
 *       whether the node may be reused (flag first, then the epoch).</li>
 *   <li>{@code list}, {@code incarnation}, {@code nextFree}: the owner's bookkeeping, touched by
 *       the owner thread only. Plain.</li>
 *   <li>{@link #id}: final, unique per object; the last tie-break of the priority order and the
 *       key of the node's wait bucket.</li>
 * </ul>
 */
final class ListNode {

    /** State bit: the node holds, or is testing whether it may hold (see {@link RangeList}). */
    static final long GRANTED = 1L;
    /** State bit: released or withdrawn; no longer blocks anyone. */
    static final long DELETED = 2L;
    /** State bit: some thread may be asleep on this node's bucket and must be woken on change. */
    static final long WAITERS = 4L;
    /** The incarnation number sits above the three bits. */
    static final int INCARNATION_SHIFT = 3;

    /** The deletion mark: the {@code next} of every deleted node. Never in a list. */
    static final ListNode MARKED = new ListNode(-1L);

    private static final AtomicLong IDS = new AtomicLong();

    static final VarHandle NEXT;
    static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            NEXT = l.findVarHandle(ListNode.class, "next", ListNode.class);
            STATE = l.findVarHandle(ListNode.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Unique per object, never reused. */
    final long id;

    // ---- key and payload: owner writes before publication, immutable for the incarnation ----

    long first;
    long last;
    boolean exclusive;
    /** Arrival time ({@link System#nanoTime()}): the priority order among waiters, oldest first. */
    long stamp;

    // ---- shared ----

    /** The successor, or {@link #MARKED} once deleted. */
    volatile ListNode next;
    /** The successor at deletion; meaningful only when {@code next == MARKED}. */
    ListNode frozenNext;
    /** {@code incarnation << INCARNATION_SHIFT | WAITERS? | DELETED? | GRANTED?}. */
    volatile long state;
    /** Set once the node is out of the list (by whoever unlinked it). */
    volatile boolean unlinked;
    /** The global epoch read just after the unlinking CAS; valid once {@link #unlinked}. */
    long retiredEpoch;

    // ---- owner-thread bookkeeping ----

    /** The list this incarnation belongs to (held, waiting, or deleted awaiting reuse). */
    RangeList list;
    long incarnation;
    ListNode nextFree;

    ListNode() {
        this(IDS.incrementAndGet());
    }

    private ListNode(long id) {
        this.id = id;
    }

    /** Starts a new incarnation of a node no other thread can reach. */
    void prepare(RangeList list, long first, long last, boolean exclusive, long stamp) {
        this.list = list;
        this.first = first;
        this.last = last;
        this.exclusive = exclusive;
        this.stamp = stamp;
        this.frozenNext = null;
        this.retiredEpoch = 0;
        NEXT.set(this, (ListNode) null);
        this.unlinked = false;
        incarnation++;
        // A stale waiter may still read the word; the new incarnation differs from anything it saw.
        STATE.setVolatile(this, incarnation << INCARNATION_SHIFT);
    }

    /** The state word this incarnation has with {@code bits} (no WAITERS). */
    long word(long bits) {
        return incarnation << INCARNATION_SHIFT | bits;
    }

    /** Whether this node's range and {@code n}'s share a page and one of them is exclusive. */
    boolean conflictsWith(ListNode n) {
        return first <= n.last && n.first <= last && (exclusive || n.exclusive);
    }

    /** Whether this node goes before {@code n} in the priority order: older stamp, then lower id. */
    boolean precedes(ListNode n) {
        long d = stamp - n.stamp;
        return d < 0 || (d == 0 && id < n.id);
    }

    @Override
    public String toString() {
        long s = state;
        return "[" + first + "," + last + "]" + (exclusive ? "X" : "S")
                + ((s & DELETED) != 0 ? " deleted" : (s & GRANTED) != 0 ? "" : " waiting");
    }
}
