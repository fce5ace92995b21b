package rlbench.locks.rangetree;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import rlbench.locks.Intent;
import rlbench.locks.RangeLocking;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;
import rlbench.locks.wait.WakeQueue;

/**
 * A reader/writer range lock over inclusive ranges {@code [first, last]} of {@code long} page
 * indices, in the style of Jan Kara's mapping range lock (2013) and Davidlohr Bueso's
 * {@code range_lock} (2017): one mutex protecting an {@link IntervalTree} that holds every granted
 * <em>and</em> every waiting range.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li><b>Arrival.</b> Under the mutex the request takes the next sequence number, counts the
 *       ranges already in the tree that overlap it and conflict with it
 *       ({@link Intent#conflictsWith}), granted or waiting, and is inserted with that count as
 *       its {@code blocking} count. A count of zero means granted. Because waiting ranges count,
 *       a shared request behind a waiting exclusive one on an overlapping range waits too:
 *       overlapping requests are served in arrival order and writers do not starve.</li>
 *   <li><b>Departure.</b> When a range leaves the tree (unlock, or a waiter giving up on timeout
 *       or interrupt), every overlapping conflicting range that arrived after it (larger
 *       sequence number) has its count decremented; those reaching zero are granted. A
 *       departing range never has earlier conflicting ranges it could unblock, and every later
 *       one counted it exactly once, so the count is always "conflicting overlapping ranges ahead
 *       of me still in the tree" and no waiter is left blocked by a range that is gone.</li>
 *   <li><b>Waiting.</b> A blocked thread parks ({@link LockSupport#park}) on its own node and
 *       polls the node's volatile {@code granted} flag; a waker sets the flag under the mutex and
 *       unparks the owner <em>after</em> dropping the mutex (the threads to wake are collected
 *       in a per-thread buffer, like the kernel's {@code wake_q}), so the mutex is not held
 *       across a futex wake.</li>
 *   <li><b>{@link Timeouts#TRY}</b> counts conflicts first and inserts only when there are none,
 *       so a failed try leaves the tree and the sequence counter exactly as they were.</li>
 *   <li><b>Giving up.</b> A waiter whose deadline passes or who is interrupted takes the mutex;
 *       if it timed out but was granted in the meantime, it keeps the grant and succeeds;
 *       otherwise it removes itself (a departure, as above, whether or not a grant raced with
 *       the interrupt) and returns false or throws {@link InterruptedException} with the
 *       interrupt status cleared. Interrupts are noticed
 *       only while waiting; an uncontended request succeeds even with the status set.</li>
 * </ul>
 * Ranges a thread holds count against its own later requests: asking for a range that conflicts
 * with one it already holds deadlocks (or fails, with a timeout), as with any rw-semaphore.
 *
 * <h2>The mutex</h2>
 * A plain monitor ({@code synchronized} on a private object), not a {@code ReentrantLock}: it is
 * held only for O(log n) tree work and never waited on (waiters park on their own nodes), so the
 * things {@code ReentrantLock} adds (timed and interruptible acquisition, conditions, fairness)
 * would go unused; HotSpot's monitor spins adaptively before blocking, the closest thing the JVM
 * has to the kernel's spinlock; and a contended monitor allocates nothing on the Java heap,
 * whereas {@code AbstractQueuedSynchronizer} allocates a queue node for every thread that has
 * to block on it, which would put garbage on the fault path exactly when it is contended. Fairness
 * of the mutex itself is not needed: the order in which ranges are granted is decided by the
 * sequence numbers, not by who gets the mutex first.
 *
 * <h2>Allocation</h2>
 * Nodes are intrusive tree nodes pooled per thread: a static {@link ThreadLocal} holder (shared by
 * every {@code RangeLock}, so thousands of mappings do not make thousands of thread-local
 * entries) keeps the stack of nodes the thread holds, a free list, and the wake-up buffer. After
 * warm-up, lock and unlock allocate nothing, contended or not; the arrays grow only when a thread
 * holds or wakes more ranges at once than ever before.
 *
 * <h2>Memory ordering</h2>
 * Every field of this class and of the tree is read and written under the mutex, except:
 * the per-thread holder (confined to its thread, plain fields, like the node fields only the
 * owner uses) and the node's {@code granted} flag, the only shared field read without the mutex
 * (volatile: see {@link RangeNode}). A node's key is written under the mutex that inserts it, so
 * the tree never sees a half-written node, and the mutex orders a recycled node's reuse after its
 * removal. Unlock of range A happens-before the grant of any conflicting range B that waited for A:
 * A's holder releases under the mutex, the waker that grants B (A's holder or a later departing
 * waiter) acquired the mutex after that and wrote B's volatile {@code granted}, which B reads;
 * or, when B was granted at arrival, B acquired the mutex after A's departure released it.
 *
 * <h2>Costs</h2>
 * Every lock and unlock takes the one mutex: a global serialisation point and a shared cache line
 * per lock, even for disjoint ranges. Tree work is O(log n) in the number of ranges held or
 * waiting, plus the overlapping ranges visited (see {@link IntervalTree}).
 */
public final class RangeLock implements RangeLocking {

    /** Per-thread node pool, held stack and wake buffer; confined to its thread. */
    private static final class Holder {
        final Thread thread = Thread.currentThread();
        /** Granted nodes this thread holds, in acquisition order (any lock). */
        RangeNode[] held = new RangeNode[8];
        int depth;
        /** Free nodes, linked through {@link RangeNode#nextFree}. */
        RangeNode free;
        /** Threads to unpark once the mutex is dropped; filled under some lock's mutex. */
        final WakeQueue wakes = new WakeQueue();

        RangeNode take() {
            RangeNode n = free;
            if (n == null) {
                return new RangeNode(thread);
            }
            free = n.nextFree;
            n.nextFree = null;
            return n;
        }

        /** Returns a node that is in no tree (nobody else can reach it) with {@code granted} false. */
        void recycle(RangeNode n) {
            n.lock = null;
            n.nextFree = free;
            free = n;
        }

        void push(RangeNode n) {
            if (depth == held.length) {
                held = Arrays.copyOf(held, depth * 2);
            }
            held[depth++] = n;
        }

        /** Pops the most recent held node matching the arguments, or returns null. */
        RangeNode pop(RangeLock lock, long first, long last, boolean exclusive) {
            for (int i = depth - 1; i >= 0; i--) {
                RangeNode n = held[i];
                if (n.lock == lock && n.first == first && n.last == last && n.exclusive == exclusive) {
                    System.arraycopy(held, i + 1, held, i, depth - i - 1);
                    held[--depth] = null;
                    return n;
                }
            }
            return null;
        }

    }

    private static final ThreadLocal<Holder> HOLDER = ThreadLocal.withInitial(Holder::new);

    /**
     * Decrements the ranges a departing node was blocking. Stateful so the visit allocates
     * nothing; its fields are used only under the mutex.
     */
    private static final class Releaser implements IntervalTree.OverlapVisitor {
        RangeNode departing;
        Holder waker;
        int granted;

        @Override
        public void visit(RangeNode n) {
            if (n.seq <= departing.seq) {
                return; // arrived earlier: it never counted the departing node
            }
            // The caller asked for exclusive-only overlaps when the departing node is shared,
            // so every node seen here conflicts with it.
            if (n.blocking <= 0) {
                throw new IllegalStateException("granted " + n + " arrived after conflicting " + departing);
            }
            if (--n.blocking == 0) {
                n.granted = true;
                granted++;
                waker.wakes.add(n.owner);
            }
        }
    }

    /** Guards everything below; a plain monitor (see the class comment for why). */
    private final Object mutex = new Object();
    private final IntervalTree tree = new IntervalTree();
    private final Releaser releaser = new Releaser();
    /** Next arrival sequence number; mutex only. */
    private long nextSeq;
    /** Nodes in the tree whose count is not zero; mutex only. */
    private int waiting;

    public RangeLock() {
    }

    /**
     * Locks {@code [first, last]} with {@code intent}, waiting at most {@code timeoutNanos}
     * ({@link Timeouts} semantics: {@link Timeouts#TRY} never waits, {@link Timeouts#FOREVER}
     * has no deadline).
     *
     * @return true when held; false when it could not be had in time, with nothing held and the
     *     tree as if the request had never been made
     * @throws InterruptedException if interrupted while waiting; nothing is held and the
     *     interrupt status is cleared
     */
    @Override
    public boolean lock(long first, long last, Intent intent, long timeoutNanos) throws InterruptedException {
        checkArgs(first, last, intent);
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout: " + timeoutNanos);
        }
        boolean exclusive = intent == Intent.EXCLUSIVE;
        Holder me = HOLDER.get();
        RangeNode node = me.take(); // allocates only while the pool warms up, never under the mutex
        int blocking;
        synchronized (mutex) {
            // Shared requests conflict only with exclusive ranges: prune on maxExclusiveLast.
            blocking = tree.countOverlaps(first, last, !exclusive);
            if (blocking == 0 || timeoutNanos != Timeouts.TRY) {
                node.set(first, last, exclusive, nextSeq++);
                node.blocking = blocking;
                tree.insert(node);
                if (blocking != 0) {
                    waiting++;
                }
            }
        }
        if (blocking != 0 && timeoutNanos == Timeouts.TRY) {
            me.recycle(node); // never inserted: the tree and the sequence are as they were
            return false;
        }
        node.lock = this;
        if (blocking == 0) {
            me.push(node);
            return true;
        }
        long waitStart = LockStat.waitStart(); // the slow path: lock statistics time it
        try {
            return await(me, node, Timeouts.deadline(timeoutNanos));
        } finally {
            LockStat.waitEnd(waitStart);
        }
    }

    /** The slow path: parks until granted, the deadline passes, or an interrupt. */
    private boolean await(Holder me, RangeNode node, long deadline) throws InterruptedException {
        boolean interrupted = false;
        while (!node.granted) {
            if (Thread.interrupted()) {
                interrupted = true;
                break;
            }
            if (deadline == Timeouts.NO_DEADLINE) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        }
        if (!interrupted && node.granted) {
            node.granted = false;
            me.push(node);
            return true;
        }
        boolean keep;
        synchronized (mutex) {
            // A grant that raced with the deadline is kept; one that raced with an interrupt is
            // given back, so an interrupted caller always ends holding nothing.
            keep = !interrupted && node.blocking == 0;
            if (!keep) {
                if (node.blocking != 0) {
                    waiting--;
                }
                depart(me, node);
            }
        }
        me.wakes.wakeAll(null);
        // Only the slow path ever writes the volatile flag, so the uncontended path pays no fence.
        // Once the node is granted (or out of the tree) no waker writes it again.
        node.granted = false;
        if (keep) {
            me.push(node);
            return true;
        }
        me.recycle(node);
        if (interrupted) {
            throw new InterruptedException("interrupted waiting for range lock");
        }
        return false;
    }

    /**
     * Unlocks the range this thread holds with exactly these arguments (the most recent such
     * one, if it holds several).
     *
     * @throws IllegalMonitorStateException if this thread holds no such range on this lock
     */
    @Override
    public void unlock(long first, long last, Intent intent) {
        checkArgs(first, last, intent);
        Holder me = HOLDER.get();
        RangeNode node = me.pop(this, first, last, intent == Intent.EXCLUSIVE);
        if (node == null) {
            throw new IllegalMonitorStateException(
                    Thread.currentThread().getName() + " holds no " + intent + " [" + first + ", " + last + "]");
        }
        synchronized (mutex) {
            depart(me, node);
        }
        if (!me.wakes.isEmpty()) {
            me.wakes.wakeAll(null);
        }
        me.recycle(node);
    }

    /** Removes {@code node} and unblocks what it blocked; the threads to wake go into {@code me}. */
    private void depart(Holder me, RangeNode node) {
        tree.remove(node);
        if (tree.isEmpty()) {
            return;
        }
        Releaser r = releaser;
        r.departing = node;
        r.waker = me;
        r.granted = 0;
        // A shared range blocked only exclusive ones; an exclusive range blocked everything.
        tree.forEachOverlap(node.first, node.last, !node.exclusive, r);
        waiting -= r.granted;
        r.departing = null;
        r.waker = null;
    }

    private static void checkArgs(long first, long last, Intent intent) {
        Objects.requireNonNull(intent, "intent");
        if (last < first) {
            throw new IllegalArgumentException("bad range [" + first + ", " + last + "]");
        }
    }

    // ---------------------------------------------------------------- introspection

    /** Ranges in the tree, granted and waiting. */
    @Override
    public int size() {
        synchronized (mutex) {
            return tree.size();
        }
    }

    /** Ranges in the tree still waiting for a grant. */
    @Override
    public int waiting() {
        synchronized (mutex) {
            return waiting;
        }
    }

    /** Ranges this thread holds on this lock. */
    @Override
    public int heldByCurrentThread() {
        Holder me = HOLDER.get();
        int c = 0;
        for (int i = 0; i < me.depth; i++) {
            if (me.held[i].lock == this) {
                c++;
            }
        }
        return c;
    }

    /** Checks the tree's invariants (see {@link IntervalTree#checkInvariants}); for tests. */
    void checkInvariants() {
        synchronized (mutex) {
            tree.checkInvariants();
        }
    }

    /** The tree in key order with sequence numbers and counts, and the next sequence number. */
    @Override
    public String toString() {
        synchronized (mutex) {
            return "RangeLock" + tree + " next#" + nextSeq + " waiting " + waiting;
        }
    }
}
