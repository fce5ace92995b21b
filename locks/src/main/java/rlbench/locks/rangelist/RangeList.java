package rlbench.locks.rangelist;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import rlbench.locks.Intent;
import rlbench.locks.RangeLocking;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;
import rlbench.locks.wait.WaitQueues;

/**
 * A reader/writer range lock over inclusive ranges {@code [first, last]} of non-negative
 * {@code long} page indices, after Kogan, Dice and Issa, "Scalable Range Locks for Scalable
 * Address Spaces and Beyond" (EuroSys 2020), the design FreeBSD's 2023 {@code kern_rangelock.c}
 * follows: every range, granted or waiting, is a node of one singly linked list sorted by
 * {@code first}; a node is inserted with one CAS, deleted by marking it, and marked nodes are
 * unlinked lazily by whoever walks past them. There is no mutex and no counter that every
 * acquisition writes: disjoint ranges touch only the links next to their own nodes.
 *
 * <h2>Why not the paper's reader/writer rule as it stands</h2>
 * In the paper (and FreeBSD) a writer waits, before inserting, for every overlapping node it
 * meets on the way, and validates after inserting; a reader that finds an overlapping writer
 * <em>after</em> it backs off. A writer waiting before its insertion is invisible, so a steady
 * stream of overlapping readers starves it (the mapping's invalidation against page faults is
 * exactly that case). Here every request is in the list <em>while it waits</em>, so later
 * requests see it and queue behind it, and the question "which of two conflicting nodes waits
 * for the other" is answered by an explicit priority instead of by list position. List position
 * alone cannot answer it: a reader R with {@code R.first < W.first} that overlaps a writer W is
 * inserted <em>before</em> W even when it arrives after W has walked past that point, so a rule
 * of "wait for conflicting predecessors" lets both hold, and "also check successors" lets both
 * wait for each other.
 *
 * <h2>Protocol</h2>
 * A node's {@code state} word carries GRANTED and DELETED bits (and its incarnation and a
 * WAITERS bit, below). Two nodes <em>conflict</em> when their ranges share a page and at least
 * one is exclusive. The <em>priority</em> order is a strict total order on nodes: older arrival
 * stamp ({@link System#nanoTime()} at the call) first, then lower node id; both nodes of a pair
 * compute the same answer from immutable fields. For a node N, a <em>blocker</em> is a node B
 * in the list, not marked, not DELETED, conflicting with N, and either GRANTED or before N in
 * priority. A <em>scan</em> for N walks the list from the head while {@code cur.first <= N.last}
 * (every node that can overlap N, since the list is sorted by {@code first}) and returns the
 * first blocker.
 * <ol>
 *   <li><b>Insert.</b> Walk from the head to the first node with {@code first > N.first}
 *       (ties go after), unlinking marked nodes on the way, and CAS N in. If the walk met no
 *       unmarked conflicting node, N is inserted already GRANTED (the optimistic, uncontended
 *       case: the insertion CAS is its grant); otherwise it is inserted waiting.</li>
 *   <li><b>Grant.</b> A waiting N scans; while the scan finds a blocker, N waits for that
 *       blocker's state word to change (any grant, ungrant, deletion) and scans again. With no
 *       blocker it sets GRANTED.</li>
 *   <li><b>Confirm.</b> After setting GRANTED (or inserting GRANTED), N scans once more. No
 *       blocker: N holds. A blocker: N clears GRANTED ("ungrants"), waits for the blocker to
 *       change, and goes back to step 2.</li>
 *   <li><b>Release</b> (and withdrawal on timeout or interrupt): mark N's link, then set its
 *       state to DELETED, waking whoever sleeps on it.</li>
 * </ol>
 *
 * <h2>Why two conflicting nodes can never both hold</h2>
 * Suppose conflicting A and B both hold at time t. Each became a holder by a last GRANTED write
 * (gA, gB: the insertion CAS or the grant) followed by a confirming scan that found no blocker,
 * and neither changed its state between that write and t. All these accesses are volatile or
 * CAS, hence totally ordered (the synchronisation order); say gA comes before gB. B's confirming
 * scan starts after gB, so after gA, and ends before t. A was inserted no later than gA and is
 * neither marked nor DELETED before t, so A is in the list and unmarked during the whole scan,
 * and {@code A.first <= B.last} (they overlap). By the traversal lemma below the scan reaches A
 * and reads A's state after gA: GRANTED. A is a blocker for B, so B's scan did not come back
 * empty, a contradiction. This is a Dekker argument: each side writes its flag and then reads
 * the other's, so at least one sees the other. It is why the confirming scan must come
 * <em>after</em> the GRANTED write and must read with volatile (sequentially consistent), not
 * merely acquiring, loads. Note that it holds whatever the list order of A and B: the scan covers
 * predecessors and successors alike, so the reader inserted behind a writer's position is seen.
 *
 * <p><b>Traversal lemma.</b> A walk from the head that follows {@code next} links (and, through a
 * deleted node, its frozen successor) visits every node X that is linked and unmarked for the
 * whole walk and lies before the point where the walk stops. Links change only by a CAS on an
 * unmarked node's link (a deleted node's link is the mark and can no longer change), either
 * splicing a new node in right after it or dropping a marked successor; an unmarked node is never
 * dropped. So the walk only ever steps from a node to its chain successor at the time of the
 * read, or through a run of deleted nodes whose frozen links were, all together, the chain at
 * the moment the walk read the link into the run; X, on the chain throughout, cannot sit inside
 * such a gap, and the chain is sorted, so the walk meets X before any node with a larger
 * {@code first}.
 *
 * <h2>Why nobody deadlocks</h2>
 * A node waits only for a blocker: either one before it in priority, or one that is GRANTED. A
 * GRANTED node never waits (a confirming node that finds a blocker ungrants before it waits), so
 * every chain of waits is a run of strictly decreasing priority ending, at worst, at a holder or
 * at a node in its confirming scan; neither waits. No cycle is possible, and the node first in
 * priority among those waiting for a given conflict is blocked only by holders, which release,
 * and by other nodes' brief trial grants. Arrival order among conflicting requests is (up to
 * clock granularity and a thread descheduled between its stamp and its insertion) first come,
 * first served, so a waiting writer is not overtaken by later readers: they find it as a blocker
 * that precedes them. Priorities decide fairness only; safety rests on the Dekker argument alone.
 *
 * <h2>{@link Timeouts#TRY}, timeouts, interrupts</h2>
 * A try first scans without inserting, counting every unmarked conflicting node as a blocker; if
 * there is one it returns false having written nothing. Otherwise it inserts GRANTED and
 * confirms; a blocker that arrived in between makes it withdraw (a marked node is absent for
 * every purpose) and return false. It never waits. A waiter whose deadline passes or that is
 * interrupted while waiting withdraws the same way, so nothing is held and no one stays blocked
 * by it; the interrupt status is cleared when {@link InterruptedException} is thrown. As in
 * {@code RangeLock}, interrupts are noticed only while waiting, and ranges a thread holds count
 * against its own later requests.
 *
 * <h2>Waiting</h2>
 * A waiter spins briefly on the blocker's state word, then sleeps on the blocker's bucket of
 * {@link WaitQueues#GLOBAL} (hashed by node id): under the bucket's monitor it CASes the
 * WAITERS bit into the word it saw, or finds the word changed and returns. The owner changes its
 * word only by an atomic swap that clears WAITERS, and wakes the bucket when the old word had it;
 * the swap either makes the waiter's CAS fail or sees the bit, and the waiter holds the monitor
 * from its CAS until it sleeps, so no wake-up is lost. Waits (spin and sleep) are timed into
 * {@link LockStat} from the first wait to the end of the call.
 *
 * <h2>Allocation and reclamation (ABA)</h2>
 * Nodes are pooled per thread, in a static {@link ThreadLocal} holder shared by every list, like
 * {@code RangeLock}'s. A deleted node may still be referenced by other threads' walks, so it is
 * reused only after an epoch-based grace period (Fraser's EBR): a JVM-wide epoch, read by every
 * walk and advanced only by a thread reclaiming a batch of nodes; each thread announces the
 * epoch it read in its holder before walking a list and announces "idle" after (a field of its
 * own holder, not a shared word). The thread whose CAS unlinks a deleted node records the epoch read
 * after the CAS; the owner reuses the node once the epoch is two further on. Advancing from E to
 * E+1 needs every registered thread idle or announced at E, so two advances past the recording
 * guarantee that every walk that could have read a link to the node (only walks begun before
 * its unlinking can) has ended. Waiting threads are idle: they keep only the blocker's object,
 * whose id is final and whose state word carries the incarnation, so a reuse shows as a change.
 * A thread reclaims in batches: once per {@value #LIMBO_BATCH} deletions, when its pool is
 * empty, it moves every reusable deleted node back to the pool, and only if that was too few it
 * unlinks its own deleted nodes nobody walked past (one walk) and tries to advance the epoch.
 *
 * <p>What that buys, measured: when no thread is descheduled inside a walk (a single thread, as
 * the unit test checks: under 4 KiB per 200,000 pairs, against about 19 MB for a node per pair),
 * lock/unlock allocate nothing after warm-up. EBR's known
 * weakness remains: a thread descheduled <em>inside</em> a walk holds the epoch back for its
 * whole time off the CPU, and meanwhile the others allocate fresh nodes (which then stay in
 * their pools). Measured on the project's 2-core machine, threads hammering one list with no
 * work between acquisitions (so that most of a preempted thread's time is inside a walk), in
 * 1.5-second windows after the first: 2 threads, 0.03% to 0.2% of acquisitions allocated a node
 * (about 100 bytes); 8 threads, 0.02% to 0.6%; 16 threads on 64 pages, usually about 0.2% but 6.5%
 * in one window. The pools keep what they allocated, so the rate falls as the longest stall seen
 * so far stops growing: over 30 s with 8 threads they reached about 16,000 nodes (1.5 MB) per
 * thread, still growing slowly. A known cost under oversubscription, against a node per
 * acquisition without the pool; hazard pointers would bound it, at a fence per step of every
 * walk.
 *
 * <h2>Memory ordering</h2>
 * Node fields: see {@link ListNode}. The list head's link is a node link like any other. The
 * epoch is an {@link AtomicLong} (volatile read on every walk, CAS on advance); a holder's
 * {@code active} is written with a volatile write before a walk (so the announcement is ordered
 * before the walk's reads, a store-load order that needs the full fence) and a release write after
 * (everything the walk read is ordered before the reclaimer's acquire read of "idle", so before
 * the node's reuse). The registry of holders is a copy-on-write array in a volatile field,
 * rewritten under a monitor when a thread first uses a range list. A thread registers before it
 * first reads the epoch, and a reclaimer reads the epoch E before the registry, so any thread
 * that announced an older epoch (read before E was set) is in the array the reclaimer reads;
 * one missing from it can only have announced E or later, which does not hold E back. The
 * holder's other fields are confined to its thread.
 *
 * <h2>Costs</h2>
 * An uncontended acquisition walks the list twice from the head (insertion, confirming scan);
 * a contended one walks twice more per round of waiting (check, confirm). Each walk is
 * O(number of ranges that start before the end of yours), not O(log n), and reads every node
 * ahead of it, so the ranges near the head are read by everyone. Neighbouring requests contend
 * on the same links. Release is one CAS and one swap. Arrival stamps cost a clock read per
 * acquisition, and the epoch announcement a fenced write. A trial grant that must be given back
 * briefly makes other waiters wait for it.
 */
public final class RangeList implements RangeLocking {

    // ---------------------------------------------------------------- epochs (JVM-wide)

    /** {@link Holder#active} when the thread is walking no list. Epochs start at 1. */
    private static final long IDLE = 0L;
    /** The global epoch: read by every walk, advanced by reclaimers. */
    private static final AtomicLong EPOCH = new AtomicLong(1L);
    /** Guards rewriting {@link #registry}. */
    private static final Object REGISTRY_LOCK = new Object();
    /** Every live thread's holder; copy-on-write. */
    private static volatile Holder[] registry = new Holder[0];

    /** Deleted nodes a thread keeps before it tries to reclaim a batch. */
    private static final int LIMBO_BATCH = 64;
    /** Spins on a blocker's state word before sleeping. */
    private static final int SPINS = 64;

    private static final VarHandle ACTIVE;
    private static final VarHandle NEXT = ListNode.NEXT;
    private static final VarHandle STATE = ListNode.STATE;
    private static final ListNode MARKED = ListNode.MARKED;

    static {
        try {
            ACTIVE = MethodHandles.lookup().findVarHandle(Holder.class, "active", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Per-thread node pool, held stack and deleted nodes awaiting reuse; confined to its thread
     * except {@link #active}, which reclaimers read.
     */
    static final class Holder {
        final Thread thread = Thread.currentThread();
        /** The epoch announced for the walk in progress, or {@link #IDLE}. Read by reclaimers. */
        volatile long active;
        /** Granted nodes this thread holds, in acquisition order (any list). */
        ListNode[] held = new ListNode[8];
        int depth;
        /** Reusable nodes, linked through {@link ListNode#nextFree}. */
        ListNode free;
        /** Deleted nodes waiting for unlinking and a grace period, in no particular order. */
        ListNode[] limbo = new ListNode[2 * LIMBO_BATCH];
        int limboCount;
        /** Reclaim when the pool is empty and the limbo has at least this many nodes. */
        int reclaimAt = LIMBO_BATCH;
        /** The state word (without WAITERS) of the blocker the last scan returned. */
        long blockerWord;

        ListNode take() {
            ListNode n = free;
            if (n == null && limboCount >= reclaimAt) {
                reclaim(this);
                n = free;
                // Try again only after another batch of deletions, so that the limbo scan is
                // paid once per batch and a stalled epoch costs one registry read per batch.
                reclaimAt = limboCount + LIMBO_BATCH;
            }
            if (n == null) {
                return new ListNode(); // warm-up, or reclamation lagging behind
            }
            free = n.nextFree;
            n.nextFree = null;
            return n;
        }

        /** A node that was never published goes straight back to the pool. */
        void recycleUnpublished(ListNode n) {
            n.list = null;
            n.nextFree = free;
            free = n;
        }

        void toLimbo(ListNode n) {
            if (limboCount == limbo.length) {
                limbo = Arrays.copyOf(limbo, limboCount * 2);
            }
            limbo[limboCount++] = n;
        }

        /** Moves every limbo node reusable at {@code epoch} to the pool; returns how many. */
        int moveReusable(long epoch) {
            int kept = 0;
            int moved = 0;
            for (int i = 0; i < limboCount; i++) {
                ListNode n = limbo[i];
                if (reusable(n, epoch)) {
                    n.list = null;
                    n.nextFree = free;
                    free = n;
                    moved++;
                } else {
                    limbo[kept++] = n;
                }
            }
            Arrays.fill(limbo, kept, limboCount, null);
            limboCount = kept;
            return moved;
        }

        /**
         * Unlinks this thread's deleted nodes that no walk has passed yet: one walk of the list
         * of the first such node, far enough for all of that list's.
         */
        void helpUnlink() {
            RangeList list = null;
            long upTo = -1;
            for (int i = 0; i < limboCount; i++) {
                ListNode n = limbo[i];
                if (!n.unlinked && (list == null || n.list == list)) {
                    list = n.list;
                    upTo = Math.max(upTo, n.first);
                }
            }
            if (list != null) {
                list.unlinkDeletedUpTo(this, upTo);
            }
        }

        void push(ListNode n) {
            if (depth == held.length) {
                held = Arrays.copyOf(held, depth * 2);
            }
            held[depth++] = n;
        }

        /** Pops the most recent held node matching the arguments, or returns null. */
        ListNode pop(RangeList list, long first, long last, boolean exclusive) {
            for (int i = depth - 1; i >= 0; i--) {
                ListNode n = held[i];
                if (n.list == list && n.first == first && n.last == last && n.exclusive == exclusive) {
                    System.arraycopy(held, i + 1, held, i, depth - i - 1);
                    held[--depth] = null;
                    return n;
                }
            }
            return null;
        }
    }

    private static final ThreadLocal<Holder> HOLDER = ThreadLocal.withInitial(RangeList::newHolder);

    private static Holder newHolder() {
        Holder h = new Holder();
        synchronized (REGISTRY_LOCK) {
            Holder[] old = registry;
            Holder[] next = new Holder[old.length + 1];
            int n = 0;
            for (Holder o : old) {
                if (o.thread.isAlive()) { // a thread that ended is idle: its walks all finished
                    next[n++] = o;
                }
            }
            next[n++] = h;
            registry = Arrays.copyOf(next, n);
        }
        return h;
    }

    /** Announces a walk: a volatile write, ordered before the walk's reads. */
    private static void enter(Holder me) {
        me.active = EPOCH.get();
    }

    /** Ends a walk: a release write, ordered after the walk's reads. */
    private static void exit(Holder me) {
        ACTIVE.setRelease(me, IDLE);
    }

    /** Called by the thread whose CAS took {@code n} out of its list. */
    private static void retire(ListNode n) {
        n.retiredEpoch = EPOCH.get();
        n.unlinked = true;
    }

    private static boolean reusable(ListNode n, long epoch) {
        return n.unlinked && epoch - n.retiredEpoch >= 2;
    }

    /**
     * Moves the reusable deleted nodes to the pool. Only when that yields less than half a batch
     * does the thread help unlink its own nodes and try to advance the epoch: an advance serves
     * every thread, so the epoch changes about twice per batch of the busiest thread rather than
     * once per batch of each, and the walks' read of it stays a cache hit.
     */
    private static void reclaim(Holder me) {
        if (me.moveReusable(EPOCH.get()) >= LIMBO_BATCH / 2) {
            return;
        }
        me.helpUnlink();
        long epoch = EPOCH.get();
        tryAdvance(epoch);
        me.moveReusable(EPOCH.get());
    }

    /** Advances the epoch from {@code epoch} if every registered thread is idle or announced it. */
    private static void tryAdvance(long epoch) {
        Holder[] all = registry; // read after the epoch: see the class comment
        for (Holder h : all) {
            long a = h.active;
            // A thread that ended reads nothing any more, even if an error cut a walk short.
            if (a != IDLE && a != epoch && h.thread.isAlive()) {
                return;
            }
        }
        EPOCH.compareAndSet(epoch, epoch + 1);
    }

    // ---------------------------------------------------------------- the list

    /** Sentinel head; never deleted, its key never read. */
    private final ListNode head = new ListNode();
    /** False only in the deliberately broken variant the tests run to show they can fail. */
    private final boolean scanPredecessors;

    public RangeList() {
        this(true);
    }

    private RangeList(boolean scanPredecessors) {
        this.scanPredecessors = scanPredecessors;
    }

    /**
     * A deliberately broken list, for tests only: after insertion a node checks only the nodes
     * after it, the classic mistake (a reader inserted before a writer's position after the
     * writer looked there is never seen). The overlap fuzz must catch it.
     */
    static RangeList brokenSuccessorsOnlyForTests() {
        return new RangeList(false);
    }

    /**
     * Locks {@code [first, last]} with {@code intent}, waiting at most {@code timeoutNanos}
     * ({@link Timeouts} semantics: {@link Timeouts#TRY} never waits, {@link Timeouts#FOREVER}
     * has no deadline).
     *
     * @return true when held; false when it could not be had in time, with nothing held and the
     *     list as if the request had never been made
     * @throws InterruptedException if interrupted while waiting; nothing is held and the
     *     interrupt status is cleared
     */
    @Override
    public boolean lock(long first, long last, Intent intent, long timeoutNanos) throws InterruptedException {
        checkArgs(first, last, intent);
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout: " + timeoutNanos);
        }
        boolean tryOnly = timeoutNanos == Timeouts.TRY;
        long deadline = tryOnly ? Timeouts.NO_DEADLINE : Timeouts.deadline(timeoutNanos);
        Holder me = HOLDER.get();
        ListNode n = me.take(); // allocates while the pool warms up or reclamation lags
        n.prepare(this, first, last, intent == Intent.EXCLUSIVE, System.nanoTime());
        boolean inserted = false;
        boolean held = false;
        long waitStart = 0;
        boolean waited = false;
        try {
            enter(me);
            if (tryOnly && scan(me, n, head, true) != null) {
                return false; // nothing written
            }
            insert(n, tryOnly);
            inserted = true;
            ListNode start = scanPredecessors ? head : n;
            while (true) {
                if ((n.state & ListNode.GRANTED) == 0) {
                    ListNode b = scan(me, n, start, false);
                    if (b != null) {
                        if (tryOnly) {
                            return false;
                        }
                        if (!waited) {
                            waited = true;
                            waitStart = LockStat.waitStart();
                        }
                        if (!await(me, b, deadline)) {
                            return false;
                        }
                        continue;
                    }
                    setState(n, n.word(ListNode.GRANTED));
                }
                // Confirm: this scan comes after the GRANTED write (the Dekker argument).
                ListNode b = scan(me, n, start, false);
                if (b == null) {
                    held = true;
                    me.push(n);
                    return true;
                }
                setState(n, n.word(0)); // give the trial grant back before waiting on anyone
                if (tryOnly) {
                    return false;
                }
                if (!waited) {
                    waited = true;
                    waitStart = LockStat.waitStart();
                }
                if (!await(me, b, deadline)) {
                    return false;
                }
            }
        } finally {
            exit(me);
            if (!held) {
                if (inserted) {
                    delete(me, n); // withdraw: wakes whoever waited on it
                } else {
                    me.recycleUnpublished(n);
                }
            }
            if (waited) {
                LockStat.waitEnd(waitStart);
            }
        }
    }

    /**
     * Unlocks the range this thread holds with exactly these arguments (the most recent such
     * one, if it holds several).
     *
     * @throws IllegalStateException if this thread holds no such range on this list
     */
    @Override
    public void unlock(long first, long last, Intent intent) {
        checkArgs(first, last, intent);
        Holder me = HOLDER.get();
        ListNode n = me.pop(this, first, last, intent == Intent.EXCLUSIVE);
        if (n == null) {
            throw new IllegalStateException(
                    Thread.currentThread().getName() + " holds no " + intent + " [" + first + ", " + last + "]");
        }
        delete(me, n);
    }

    /** Marks the node's link, sets DELETED (waking sleepers), and parks it for reuse. */
    private static void delete(Holder me, ListNode n) {
        while (true) {
            ListNode succ = n.next;
            n.frozenNext = succ; // published by the CAS below
            if (NEXT.compareAndSet(n, succ, MARKED)) {
                break;
            }
        }
        setState(n, n.word(ListNode.DELETED));
        me.toLimbo(n);
    }

    /** The owner's state change: an atomic swap that clears WAITERS, then the wake-up it owes. */
    private static void setState(ListNode n, long word) {
        long old = (long) STATE.getAndSet(n, word);
        if ((old & ListNode.WAITERS) != 0) {
            WaitQueues.wakeAll(WaitQueues.GLOBAL.bucket(n.id));
        }
    }

    /**
     * Inserts {@code n} after every node whose {@code first} is at most its own, GRANTED when
     * {@code grant} or when the walk met no unmarked conflicting node, waiting otherwise.
     */
    private void insert(ListNode n, boolean grant) {
        while (true) {
            ListNode prev = head;
            boolean seen = false;
            while (true) {
                ListNode cur = prev.next;
                if (cur == MARKED) {
                    break; // prev was deleted under us: walk again from the head
                }
                if (cur != null) {
                    ListNode succ = cur.next;
                    if (succ == MARKED) {
                        if (NEXT.compareAndSet(prev, cur, cur.frozenNext)) {
                            retire(cur);
                        }
                        continue; // re-read prev's link
                    }
                    if (cur.first <= n.first) {
                        if (!seen && cur.conflictsWith(n) && (cur.state & ListNode.DELETED) == 0) {
                            seen = true;
                        }
                        prev = cur;
                        continue;
                    }
                }
                STATE.setRelease(n, n.word(grant || !seen ? ListNode.GRANTED : 0));
                NEXT.set(n, cur);
                if (NEXT.compareAndSet(prev, cur, n)) {
                    return; // the CAS publishes the key, the link and the state
                }
            }
        }
    }

    /**
     * Walks from {@code start} while {@code cur.first <= n.last} and returns the first blocker of
     * {@code n} (see the class comment), recording its state word in {@code me.blockerWord}; with
     * {@code strict}, any unmarked conflicting node that is not DELETED counts. Unlinks marked
     * nodes it passes when it can.
     */
    private static ListNode scan(Holder me, ListNode n, ListNode start, boolean strict) {
        ListNode prev = start;
        ListNode cur = start.next; // start is the head or n itself, neither of them deleted
        while (cur != null) {
            ListNode succ = cur.next;
            if (succ == MARKED) {
                ListNode after = cur.frozenNext;
                if (NEXT.compareAndSet(prev, cur, after)) {
                    retire(cur);
                }
                cur = after; // a failed CAS still leaves the frozen link a valid step
                continue;
            }
            if (cur.first > n.last) {
                return null;
            }
            if (cur != n && cur.conflictsWith(n)) {
                long s = cur.state;
                if ((s & ListNode.DELETED) == 0
                        && (strict || (s & ListNode.GRANTED) != 0 || cur.precedes(n))) {
                    me.blockerWord = s & ~ListNode.WAITERS;
                    return cur;
                }
            }
            prev = cur;
            cur = succ;
        }
        return null;
    }

    /**
     * Waits, idle (no walk announced), until the blocker's state word differs from the one the
     * scan saw. Returns false if the deadline passed first.
     */
    private static boolean await(Holder me, ListNode b, long deadline) throws InterruptedException {
        long seen = me.blockerWord;
        exit(me);
        if (!awaitChange(b, seen, deadline)) {
            return false;
        }
        enter(me);
        return true;
    }

    private static boolean awaitChange(ListNode b, long seen, long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted waiting for a range");
        }
        for (int i = 0; i < SPINS; i++) {
            if ((b.state & ~ListNode.WAITERS) != seen) {
                return true;
            }
            Thread.onSpinWait();
        }
        Object bucket = WaitQueues.GLOBAL.bucket(b.id);
        synchronized (bucket) {
            while (true) {
                long s = b.state;
                if ((s & ~ListNode.WAITERS) != seen) {
                    return true;
                }
                if ((s & ListNode.WAITERS) == 0 && !STATE.compareAndSet(b, s, s | ListNode.WAITERS)) {
                    continue;
                }
                if (!Timeouts.waitOn(bucket, deadline)) {
                    return false;
                }
            }
        }
    }

    /** Unlinks the deleted nodes from the head up to those starting at {@code key}. */
    private void unlinkDeletedUpTo(Holder me, long key) {
        enter(me);
        try {
            for (int attempt = 0; attempt < 4; attempt++) {
                ListNode prev = head;
                while (true) {
                    ListNode cur = prev.next;
                    if (cur == MARKED) {
                        break; // prev deleted under us: walk again
                    }
                    if (cur == null || cur.first > key) {
                        return;
                    }
                    if (cur.next == MARKED) {
                        if (NEXT.compareAndSet(prev, cur, cur.frozenNext)) {
                            retire(cur);
                        }
                        continue;
                    }
                    prev = cur;
                }
            }
        } finally {
            exit(me);
        }
    }

    private static void checkArgs(long first, long last, Intent intent) {
        Objects.requireNonNull(intent, "intent");
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("bad range [" + first + ", " + last + "]");
        }
    }

    // ---------------------------------------------------------------- introspection

    /** Ranges in the list that are not deleted, granted and waiting. */
    @Override
    public int size() {
        return count(false);
    }

    /** Ranges in the list still waiting (not granted, not deleted). */
    @Override
    public int waiting() {
        return count(true);
    }

    private int count(boolean waitingOnly) {
        Holder me = HOLDER.get();
        enter(me);
        try {
            int c = 0;
            for (ListNode cur = head.next; cur != null; cur = step(cur)) {
                long s = cur.state;
                if (cur.next != MARKED && (s & ListNode.DELETED) == 0
                        && (!waitingOnly || (s & ListNode.GRANTED) == 0)) {
                    c++;
                }
            }
            return c;
        } finally {
            exit(me);
        }
    }

    /** The next node of a walk that does not unlink. */
    private static ListNode step(ListNode cur) {
        ListNode succ = cur.next;
        return succ == MARKED ? cur.frozenNext : succ;
    }

    /** Ranges this thread holds on this list. */
    @Override
    public int heldByCurrentThread() {
        Holder me = HOLDER.get();
        int c = 0;
        for (int i = 0; i < me.depth; i++) {
            if (me.held[i].list == this) {
                c++;
            }
        }
        return c;
    }

    /**
     * Checks that the linked nodes are sorted by {@code first}, for tests; meaningful only while
     * no other thread changes the list.
     */
    void checkInvariants() {
        Holder me = HOLDER.get();
        enter(me);
        try {
            long prevFirst = Long.MIN_VALUE;
            for (ListNode cur = head.next; cur != null; cur = step(cur)) {
                if (cur.first < prevFirst) {
                    throw new IllegalStateException("list out of order at " + cur + ": " + this);
                }
                prevFirst = cur.first;
            }
        } finally {
            exit(me);
        }
    }

    /** The ranges in list order (deleted ones left out); waiting ones are flagged. */
    @Override
    public String toString() {
        Holder me = HOLDER.get();
        enter(me);
        try {
            StringBuilder sb = new StringBuilder("RangeList[");
            boolean firstOne = true;
            for (ListNode cur = head.next; cur != null; cur = step(cur)) {
                if (cur.next == MARKED || (cur.state & ListNode.DELETED) != 0) {
                    continue;
                }
                if (!firstOne) {
                    sb.append(", ");
                }
                firstOne = false;
                sb.append(cur);
            }
            return sb.append(']').toString();
        } finally {
            exit(me);
        }
    }
}
