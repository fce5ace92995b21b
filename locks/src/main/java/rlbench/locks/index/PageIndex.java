package rlbench.locks.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The page index of one mapping: Linux's {@code i_pages} XArray, simplified. The filesystem's page
 * cache is this index, and the lock-entries design keeps its lock entries in it, next to the pages.
 *
 * <h2>Shape</h2>
 * A radix tree of 64-slot nodes (6 bits of the index per level, at most 6 levels for
 * {@link #MAX_INDEX}). A node at level {@code L} (leaves are level 0) covers an aligned block of
 * {@code 64^(L+1)} indices, and each of its slots covers {@code 64^L} of them. A slot holds one of:
 * <ul>
 *   <li>nothing ({@code null});</li>
 *   <li>a child node (interior slots only);</li>
 *   <li>a page: any {@link IndexEntry} that is not a {@link LockEntry} (leaf slots only);</li>
 *   <li>a {@link LockEntry}: in a leaf slot it covers one index, in an interior slot it covers the
 *       slot's whole aligned block (XArray's multi-index entries), so locking a huge empty range
 *       writes a few slots per level instead of one per index.</li>
 * </ul>
 * The tree starts as one leaf covering indices 0..63 and grows a level on top whenever an index
 * beyond its reach is stored. A node left empty by a removal is unlinked at once, so a punched
 * range leaves no empty subtree behind for scans to walk. When the root is left with only its first
 * slot in use and that slot is a node, the tree also gets shorter again (XArray's shrink).
 *
 * <h2>Concurrency</h2>
 * {@link #load}, {@link #nextPage}, {@link #pages}, {@link #lockEntrySlots} and {@link #height} take
 * no lock, like RCU readers of an XArray. Every other method takes the index lock ({@code xa_lock}),
 * one {@link ReentrantLock} per index. Writers follow three rules that make lock-free reading safe:
 * <ol>
 *   <li>a node or entry is fully set up before a release store makes it reachable, so a reader that
 *       reaches it with an acquire load sees it complete (entries included: {@code owner} is set
 *       before the entry is stored);</li>
 *   <li>a node left empty is unlinked and kept on a per-level free list (the kernel takes its
 *       {@code xa_node}s from a slab cache), and the next insertion that needs a node of that level
 *       takes it from there. Reuse bumps the node's sequence count to odd, sets the block it now
 *       serves ({@code base}), and bumps it back to even, all under the lock;</li>
 *   <li>a lock-free reader may therefore find itself inside a node that has since moved to another
 *       block. It validates where its walk ended: it reads the node's sequence count before and
 *       after the slot, and the node's block; if the count moved or the block is not the one it
 *       was looking in, it starts again from the root (a seqlock read, as
 *       {@code SLAB_TYPESAFE_BY_RCU} readers re-check the identity of what they found).</li>
 * </ol>
 * A single {@link #load} is therefore linearizable; a {@link #nextPage} scan is not a snapshot (it
 * may miss a page stored, or report one deleted, while it runs), as in Linux, but every index it
 * returns held a page during the call.
 *
 * <p>{@link #load}, {@link #gather} and, once the free lists have warmed up, {@link #insertIfEmpty}
 * and {@link #delete} allocate nothing, so the fault and eviction hot paths produce no garbage.
 */
public final class PageIndex {

    /** The largest page index any slot may have (2^36 - 1: 256 TiB of 4 KiB pages). */
    public static final long MAX_INDEX = (1L << 36) - 1;

    /** Index bits consumed per level. */
    private static final int BITS = 6;
    private static final int FANOUT = 1 << BITS;
    private static final int MASK = FANOUT - 1;
    /** Levels needed for MAX_INDEX; a root at level TOP_LEVEL covers every valid index. */
    private static final int TOP_LEVEL = 5;
    /** Emptied nodes kept per level for reuse; beyond this they go to the garbage collector. */
    private static final int FREE_NODES_PER_LEVEL = 256;

    /** Element access to {@link Node#slots}: acquire loads for readers, release stores for writers. */
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle PAGES;
    private static final VarHandle LOCK_SLOTS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PAGES = lookup.findVarHandle(PageIndex.class, "pages", long.class);
            LOCK_SLOTS = lookup.findVarHandle(PageIndex.class, "lockSlots", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The index lock ({@code xa_lock}). Every structural change and every access to a node's
     * {@code count}/{@code parent} or an entry's {@code shadow} happens while holding it; its
     * unlock/lock pair orders one writer's plain writes before the next writer's reads.
     */
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * The top node. Volatile: written under the lock when the tree grows or shrinks, and the
     * volatile write is the release that publishes a freshly built root; readers start every walk
     * with one volatile (acquire) read of it and then keep that node for the whole walk.
     */
    private volatile Node root = new Node(0, null, 0, 0);

    /**
     * Number of pages stored. Written only under the lock, with opaque stores so the 64-bit value
     * can never be seen torn; read without the lock with an opaque load. It is a statistic: no
     * ordering with the tree's contents is promised or needed, so no fence is paid on writes.
     */
    private long pages;

    /** Number of slots holding a {@link LockEntry} (single or multi-index). Same rules as pages. */
    private long lockSlots;

    /** Emptied nodes per level, for reuse (a slab cache per node size). Guarded by the lock. */
    private final Node[][] freeNodes = new Node[TOP_LEVEL + 1][FREE_NODES_PER_LEVEL];
    private final int[] freeCount = new int[TOP_LEVEL + 1];

    /** Creates an empty index: one empty leaf covering indices 0..63. */
    public PageIndex() {
    }

    /**
     * Looks up the entry whose slot covers {@code index}, without taking the lock.
     *
     * <p>The answer is a page stored at {@code index}, a {@link LockEntry} covering it (stored at
     * exactly this index or over an aligned block that contains it), or null when nothing covers
     * it. A page found this way may be deleted at any moment; callers that need it to stay lock the
     * page and then check that {@link IndexEntry#owner()} is still this index.
     *
     * @param index the page index to look up
     * @return the covering entry, or null if nothing covers {@code index}
     * @throws IllegalArgumentException if {@code index} is outside 0..{@link #MAX_INDEX}
     */
    public IndexEntry load(long index) {
        checkIndex(index);
        restart:
        while (true) {
            Node node = root;
            if (index > lastIndexUnder(node)) {
                return null;
            }
            while (true) {
                int seq = node.seq;
                Object slot = SLOTS.getAcquire(node.slots, node.offsetOf(index));
                if (!(slot instanceof Node)) {
                    if (!node.stillServes(seq, index)) {
                        continue restart; // the node was reused for another block meanwhile
                    }
                    return (IndexEntry) slot;
                }
                node = (Node) slot;
            }
        }
    }

    /**
     * Stores {@code entry} at {@code index} if nothing covers that index yet.
     *
     * <p>On success the entry sits in the leaf slot of {@code index} (nodes and levels are added as
     * needed), its {@link IndexEntry#owner() owner} is this index and its shadow is cleared; both
     * are set before the entry becomes visible to lock-free readers. If a page or a lock entry
     * (single or multi-index) already covers {@code index}, nothing changes and that occupant is
     * returned, so the caller can wait on it or use it.
     *
     * @param index where to store the entry
     * @param entry a page or lock entry that is in no index now
     * @return null if {@code entry} was stored, otherwise the entry already covering {@code index}
     * @throws IllegalArgumentException if {@code index} is outside 0..{@link #MAX_INDEX}
     * @throws IllegalStateException if {@code entry} is already in an index
     */
    public IndexEntry insertIfEmpty(long index, IndexEntry entry) {
        checkIndex(index);
        if (entry == null) {
            throw new NullPointerException("entry");
        }
        lock.lock();
        try {
            if (entry.owner != null) {
                throw new IllegalStateException("entry already in an index: " + entry);
            }
            growToReach(index);
            Node node = root;
            while (true) {
                int offset = node.offsetOf(index);
                Object slot = node.slots[offset];
                if (slot instanceof Node) {
                    node = (Node) slot;
                    continue;
                }
                if (slot != null) {
                    return (IndexEntry) slot;
                }
                entry.shadow = null;
                entry.owner = this;
                // Leaf reached: store in place. Otherwise build the missing path off-line and
                // publish its top node with a single release store.
                Object top = node.level == 0 ? entry : newPath(node, offset, index, entry);
                SLOTS.setRelease(node.slots, offset, top);
                node.count++;
                countAdded(entry);
                return null;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes {@code expected} from the leaf slot of {@code index}, if it is exactly what is there.
     *
     * <p>The slot is left holding the entry's shadow (normally null; the lock-entries design sets
     * a {@link LockEntry} as the shadow so the slot of an evicted page stays locked). The entry's
     * owner and shadow are cleared after the slot changes, and nodes left empty are unlinked. A
     * multi-index entry covering {@code index} is not in a leaf slot and is never removed here.
     *
     * @param index the index whose leaf slot to empty
     * @param expected the entry that must be there (compared by identity)
     * @return true if {@code expected} was removed, false if the slot held something else
     * @throws IllegalArgumentException if {@code index} is outside 0..{@link #MAX_INDEX}
     */
    public boolean delete(long index, IndexEntry expected) {
        checkIndex(index);
        if (expected == null) {
            return false;
        }
        lock.lock();
        try {
            Node leaf = leafHolding(index, expected);
            if (leaf == null) {
                return false;
            }
            IndexEntry shadow = expected.shadow;
            SLOTS.setRelease(leaf.slots, leaf.offsetOf(index), shadow);
            countRemoved(expected);
            if (shadow == null) {
                leaf.count--;
                pruneFrom(leaf);
            } else {
                countAdded(shadow);
            }
            expected.shadow = null;
            expected.owner = null;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Finds the first page in {@code [from, last]} without taking the lock.
     *
     * <p>Empty subtrees and lock entries (including whole multi-index blocks) are skipped without
     * looking inside, so the cost grows with the number of nodes visited, not with the length of
     * the range. {@code last} beyond {@link #MAX_INDEX} is treated as {@link #MAX_INDEX}, so
     * {@code Long.MAX_VALUE} means "to the end". Pages stored or deleted while the scan runs may or
     * may not be seen. It is a {@link #gather} of one page (and allocates that one-page batch);
     * walks over many pages use {@link #gather} itself.
     *
     * @param from the first index to look at
     * @param last the last index to look at, inclusive
     * @return the smallest index in the range whose slot holds a page, or -1 if there is none
     * @throws IllegalArgumentException if {@code from} is negative
     */
    public long nextPage(long from, long last) {
        if (from < 0) {
            throw new IllegalArgumentException("negative index " + from);
        }
        long[] at = new long[1];
        return gather(from, last, new IndexEntry[1], at) == 1 ? at[0] : -1;
    }

    /**
     * Collects, in one lock-free walk, up to {@code entries.length} pages of {@code [from, last]}
     * in ascending order (Linux's {@code find_get_entries} into a folio batch): the pages into
     * {@code entries}, their indices into {@code indices}. Lock entries are skipped. Like
     * {@link #nextPage} it is not a snapshot; a caller that acts on a page locks it and checks
     * that its owner and index are still what it expects. Allocates nothing.
     *
     * @return how many pages were collected; fewer than {@code entries.length} means the range was
     *     scanned to its end, otherwise continue from {@code indices[n - 1] + 1}
     */
    public int gather(long from, long last, IndexEntry[] entries, long[] indices) {
        if (from < 0) {
            throw new IllegalArgumentException("negative index " + from);
        }
        if (indices.length < entries.length) {
            throw new IllegalArgumentException("indices shorter than entries");
        }
        int n = 0;
        while (n < entries.length) {
            Node top = root;
            long end = Math.min(last, lastIndexUnder(top));
            if (from > end) {
                break;
            }
            int r = gatherUnder(top, 0, from, end, entries, indices, n);
            if (r >= 0) {
                return r;
            }
            // A node was reused under the walk: keep what was validated, go on after it.
            n = -r - 1;
            if (n > 0) {
                from = indices[n - 1] + 1;
            }
        }
        return n;
    }

    /**
     * Covers every empty slot of {@code [first, last]} with {@code entry}, in ascending order.
     *
     * <p>Each maximal run of empty indices is covered by the largest aligned blocks that fit inside
     * the range, so an empty aligned range of 2^18 pages takes a handful of slots, not 2^18. Pages
     * met on the way get {@code entry} as their shadow if they have none, so their slots stay
     * locked if they are evicted. Slots already holding {@code entry}, and pages already shadowed by
     * it, are left as they are, which makes the call safe to repeat.
     *
     * <p>The walk stops at the first index whose occupant is another lock entry, or a page shadowed
     * by another lock entry, and returns it: everything before it is then covered by {@code entry}.
     * Once the blocker is gone, calling again with {@code first} set to the returned index finishes
     * the job. The lock entry's owner is not set: one lock entry covers many slots.
     * An empty range ({@code first > last}) does nothing.
     *
     * @param first the first index to cover
     * @param last the last index to cover, inclusive
     * @param entry the lock entry of one invalidation
     * @return -1 once the whole range is covered, otherwise the first blocked index
     * @throws IllegalArgumentException if {@code first} or {@code last} is outside
     *     0..{@link #MAX_INDEX}
     */
    public long fillEmpty(long first, long last, LockEntry entry) {
        checkIndex(first);
        checkIndex(last);
        if (entry == null) {
            throw new NullPointerException("entry");
        }
        if (first > last) {
            return -1;
        }
        lock.lock();
        try {
            growToReach(last);
            return fillUnder(root, 0, first, last, entry);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The lock entry covering {@code index}: the occupant of its slot if that is a
     * {@link LockEntry}, else the shadow of the page there if that is one, else null. Takes the
     * lock because shadows are guarded by it.
     *
     * @param index the index to look at
     * @return the lock entry covering {@code index}, or null if none does
     * @throws IllegalArgumentException if {@code index} is outside 0..{@link #MAX_INDEX}
     */
    public LockEntry lockEntryAt(long index) {
        checkIndex(index);
        lock.lock();
        try {
            IndexEntry occupant = load(index);
            if (occupant instanceof LockEntry) {
                return (LockEntry) occupant;
            }
            if (occupant != null && occupant.shadow instanceof LockEntry) {
                return (LockEntry) occupant.shadow;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes {@code entry} from every slot in {@code [first, last]} that holds it, single or
     * multi-index, and drops it as the shadow of pages in the range; nodes left empty are unlinked.
     * A multi-index slot of {@code entry} is removed whole: it was placed by {@link #fillEmpty} on
     * a range that contained it, which the caller is expected to clear in full.
     * An empty range ({@code first > last}) does nothing.
     *
     * @param first the first index of the range that was filled
     * @param last the last index of that range, inclusive
     * @param entry the lock entry to remove
     * @return the number of slots that held {@code entry} and are now empty
     * @throws IllegalArgumentException if {@code first} or {@code last} is outside
     *     0..{@link #MAX_INDEX}
     */
    public long clear(long first, long last, LockEntry entry) {
        checkIndex(first);
        checkIndex(last);
        if (entry == null || first > last) {
            return 0;
        }
        lock.lock();
        try {
            Node top = root;
            long end = Math.min(last, lastIndexUnder(top));
            if (first > end) {
                return 0;
            }
            long cleared = clearUnder(top, 0, first, end, entry);
            shrink();
            return cleared;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of pages stored, read without the lock (an opaque read of a counter kept under
     * it), so it may lag a concurrent insertion or deletion.
     *
     * @return the number of pages in the index
     */
    public long pages() {
        return (long) PAGES.getOpaque(this);
    }

    /**
     * The number of slots holding a {@link LockEntry}, counting a multi-index slot once (opaque
     * read of a counter kept under the lock). Shows how many writes a fill really cost.
     *
     * @return the number of slots holding a lock entry
     */
    public long lockEntrySlots() {
        return (long) LOCK_SLOTS.getOpaque(this);
    }

    /**
     * The number of levels in the tree now, read without the lock.
     *
     * @return 1 for a lone leaf (indices 0..63), at most 6
     */
    public int height() {
        return root.level + 1;
    }

    /** Test hook: the number of nodes reachable from the root now (walks the tree, under the lock). */
    int nodeCount() {
        lock.lock();
        try {
            return nodesUnder(root);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PageIndex[height=" + height() + ", pages=" + pages() + ", lockEntrySlots="
                + lockEntrySlots() + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // Tree walking helpers. Those called only under the lock read slots plainly: every write to a
    // slot is made under the same lock, so the lock already orders them.

    private static void checkIndex(long index) {
        if (index < 0 || index > MAX_INDEX) {
            throw new IllegalArgumentException("index " + index + " outside 0.." + MAX_INDEX);
        }
    }

    /** The last index a tree rooted at {@code node} can reach. */
    private static long lastIndexUnder(Node node) {
        return (1L << (node.shift + BITS)) - 1;
    }

    /** The level whose node would be the lowest root able to reach {@code index}. */
    private static int levelToReach(long index) {
        int level = 0;
        while (level < TOP_LEVEL && index >>> ((level + 1) * BITS) != 0) {
            level++;
        }
        return level;
    }

    /** Under the lock: adds levels on top until the root reaches {@code index}. */
    private void growToReach(long index) {
        Node top = root;
        int wanted = levelToReach(index);
        if (top.level >= wanted) {
            return;
        }
        if (top.count == 0) {
            // Nothing to keep: replace the empty root outright rather than stack empty nodes.
            root = new Node(wanted, null, 0, 0);
            return;
        }
        while (top.level < wanted) {
            Node up = new Node(top.level + 1, null, 0, 0);
            // Plain stores suffice: up is unreachable until the volatile write of root below.
            up.slots[0] = top;
            up.count = 1;
            top.parent = up;
            top.offset = 0;
            top = up;
        }
        root = top;
    }

    /**
     * Under the lock: while the root's only occupied slot is its first and that slot holds a node,
     * makes that node the root. Readers still holding the old root reach the same live node
     * through its slot 0 and see null elsewhere, which was true when the old root was dropped.
     */
    private void shrink() {
        Node top = root;
        while (top.level > 0 && top.count == 1 && top.slots[0] instanceof Node) {
            Node child = (Node) top.slots[0];
            child.parent = null;
            top = child;
        }
        if (top != root) {
            root = top;
        }
    }

    /**
     * Builds, unpublished, the chain of nodes from the child of {@code parent} at {@code offset}
     * down to the leaf of {@code index}, with {@code entry} in that leaf; returns its top node.
     */
    private Node newPath(Node parent, int offset, long index, IndexEntry entry) {
        Node top = obtain(parent.level - 1, parent, offset, index);
        Node node = top;
        while (node.level > 0) {
            int off = node.offsetOf(index);
            Node child = obtain(node.level - 1, node, off, index);
            node.slots[off] = child;
            node.count = 1;
            node = child;
        }
        node.slots[node.offsetOf(index)] = entry;
        node.count = 1;
        return top;
    }

    /** Under the lock: the leaf whose slot for {@code index} holds exactly {@code entry}, or null. */
    private Node leafHolding(long index, IndexEntry entry) {
        Node node = root;
        if (index > lastIndexUnder(node)) {
            return null;
        }
        while (true) {
            Object slot = node.slots[node.offsetOf(index)];
            if (slot instanceof Node) {
                node = (Node) slot;
            } else {
                return slot == entry && node.level == 0 ? node : null;
            }
        }
    }

    /**
     * Under the lock: unlinks {@code node} if it is empty, then its parent if that is left empty,
     * and so on up to (not including) the root; then lets the tree shrink. Unlinked nodes are
     * never written again.
     */
    private void pruneFrom(Node node) {
        while (node.count == 0 && node.parent != null) {
            Node parent = node.parent;
            SLOTS.setRelease(parent.slots, node.offset, null);
            parent.count--;
            node.parent = null;
            recycle(node);
            node = parent;
        }
        shrink();
    }

    /**
     * Lock-free: {@link #gather} below {@code node}; returns the new count, or {@code -(count) - 1}
     * when a leaf turned out to have been reused under the walk.
     */
    private static int gatherUnder(Node node, long base, long from, long last, IndexEntry[] out, long[] idx,
                                   int n) {
        int shift = node.shift;
        long span = 1L << shift;
        int seq = node.seq;
        for (int off = node.offsetOf(from), end = node.offsetOf(last); off <= end; off++) {
            Object slot = SLOTS.getAcquire(node.slots, off);
            if (slot == null || slot instanceof LockEntry) {
                continue;
            }
            long start = base + ((long) off << shift);
            if (slot instanceof Node) {
                n = gatherUnder((Node) slot, start, Math.max(from, start), Math.min(last, start + span - 1),
                        out, idx, n);
                if (n < 0) {
                    return n;
                }
            } else {
                if (!node.stillServes(seq, start)) {
                    return -n - 1;
                }
                out[n] = (IndexEntry) slot;
                idx[n] = start;
                n++;
            }
            if (n == out.length) {
                return n;
            }
        }
        return n;
    }

    /**
     * Under the lock: fills {@code [first, last]}, inside the block of {@code node} (which starts at
     * {@code base}), as {@link #fillEmpty} describes; returns the first blocked index or -1.
     */
    private long fillUnder(Node node, long base, long first, long last, LockEntry entry) {
        int shift = node.shift;
        long span = 1L << shift;
        for (int off = node.offsetOf(first), end = node.offsetOf(last); off <= end; off++) {
            long start = base + ((long) off << shift);
            long from = Math.max(first, start);
            long to = Math.min(last, start + span - 1);
            Object slot = node.slots[off];
            if (slot == null) {
                Object fill = entry;
                if (from != start || to != start + span - 1) {
                    // The range covers part of this block: fill a new child off-line, then
                    // publish it whole. A fresh node holds nothing, so it cannot block.
                    Node child = obtain(node.level - 1, node, off, start);
                    fillUnder(child, start, from, to, entry);
                    fill = child;
                } else {
                    LOCK_SLOTS.setOpaque(this, lockSlots + 1);
                }
                SLOTS.setRelease(node.slots, off, fill);
                node.count++;
            } else if (slot instanceof Node) {
                long blocked = fillUnder((Node) slot, start, from, to, entry);
                if (blocked >= 0) {
                    return blocked;
                }
            } else if (slot instanceof LockEntry) {
                if (slot != entry) {
                    return from;
                }
            } else {
                IndexEntry page = (IndexEntry) slot;
                if (page.shadow == null) {
                    page.shadow = entry;
                } else if (page.shadow instanceof LockEntry && page.shadow != entry) {
                    return from;
                }
            }
        }
        return -1;
    }

    /**
     * Under the lock: clears {@code entry} from {@code [first, last]}, inside the block of
     * {@code node} (which starts at {@code base}), unlinking children left empty; returns the
     * number of slots cleared. The caller deals with {@code node} itself being left empty.
     */
    private long clearUnder(Node node, long base, long first, long last, LockEntry entry) {
        int shift = node.shift;
        long span = 1L << shift;
        long cleared = 0;
        for (int off = node.offsetOf(first), end = node.offsetOf(last); off <= end; off++) {
            Object slot = node.slots[off];
            if (slot == entry) {
                SLOTS.setRelease(node.slots, off, null);
                node.count--;
                LOCK_SLOTS.setOpaque(this, lockSlots - 1);
                cleared++;
            } else if (slot instanceof Node) {
                Node child = (Node) slot;
                long start = base + ((long) off << shift);
                cleared += clearUnder(child, start,
                        Math.max(first, start), Math.min(last, start + span - 1), entry);
                if (child.count == 0) {
                    SLOTS.setRelease(node.slots, off, null);
                    node.count--;
                    child.parent = null;
                    recycle(child);
                }
            } else if (slot != null && ((IndexEntry) slot).shadow == entry) {
                ((IndexEntry) slot).shadow = null;
            }
        }
        return cleared;
    }

    /**
     * Under the lock: a node of {@code level} for the block containing {@code index}, linked under
     * {@code parent} at {@code offset} once the caller publishes it: a reused one when the free
     * list has one, else a new one. A reader may still be inside a reused node; the odd sequence
     * count while its block changes, and the block itself, let that reader notice.
     */
    private Node obtain(int level, Node parent, int offset, long index) {
        long base = index & ~((1L << ((level + 1) * BITS)) - 1);
        int n = freeCount[level];
        if (n == 0) {
            return new Node(level, parent, offset, base);
        }
        Node node = freeNodes[level][--n];
        freeNodes[level][n] = null;
        freeCount[level] = n;
        node.seq++; // odd: the node is changing blocks
        node.base = base;
        node.parent = parent;
        node.offset = offset;
        node.seq++; // even again; slots are all null, as they were when it was emptied
        return node;
    }

    /** Under the lock: keeps an emptied, unlinked node for reuse, if the free list has room. */
    private void recycle(Node node) {
        int n = freeCount[node.level];
        if (n < FREE_NODES_PER_LEVEL) {
            freeNodes[node.level][n] = node;
            freeCount[node.level] = n + 1;
        }
    }

    private static int nodesUnder(Node node) {
        int n = 1;
        for (Object slot : node.slots) {
            if (slot instanceof Node) {
                n += nodesUnder((Node) slot);
            }
        }
        return n;
    }

    /** Under the lock: counts {@code e} as newly stored in one slot. */
    private void countAdded(IndexEntry e) {
        if (e instanceof LockEntry) {
            LOCK_SLOTS.setOpaque(this, lockSlots + 1);
        } else {
            PAGES.setOpaque(this, pages + 1);
        }
    }

    /** Under the lock: counts {@code e} as removed from one slot. */
    private void countRemoved(IndexEntry e) {
        if (e instanceof LockEntry) {
            LOCK_SLOTS.setOpaque(this, lockSlots - 1);
        } else {
            PAGES.setOpaque(this, pages - 1);
        }
    }

    /** One tree node: 64 slots covering an aligned block of 64^(level+1) indices. */
    private static final class Node {

        /** 0 for a leaf. Final, so safely visible to any thread that reaches the node. */
        final int level;

        /** {@code level * BITS}: how far to shift an index to get this node's slot for it. */
        final int shift;

        /**
         * Null, a child Node, a page or a LockEntry per slot. Published nodes are read by
         * lock-free readers with {@link PageIndex#SLOTS} acquire loads and written under the lock with
         * release stores, so whatever a reader finds in a slot is completely built. Nodes not yet
         * published are written plainly; their publication is the release.
         */
        final Object[] slots = new Object[FANOUT];

        /** Occupied slots. Guarded by the index lock; readers never look at it. */
        int count;

        /**
         * Sequence count, odd while the node changes blocks on reuse. Written under the index lock
         * (volatile stores, so the odd store comes before the new {@link #base} and the even one
         * after it); lock-free readers read it before and after a slot to validate it.
         */
        volatile int seq;

        /** The first index of the block this node serves now. Written under the lock, in an odd window. */
        volatile long base;

        /**
         * The node whose slot points here, or null for the root and for unlinked nodes, and that
         * slot's offset. Guarded by the index lock; used to unlink empty nodes bottom-up.
         */
        Node parent;
        int offset;

        Node(int level, Node parent, int offset, long base) {
            this.level = level;
            this.shift = level * BITS;
            this.parent = parent;
            this.offset = offset;
            this.base = base;
        }

        /**
         * After an acquire load of one of this node's slots: whether the node served the block of
         * {@code index} throughout, given the sequence count {@code seenSeq} read before the slot.
         */
        boolean stillServes(int seenSeq, long index) {
            return (seenSeq & 1) == 0 && seq == seenSeq
                    && base == (index & ~((1L << (shift + BITS)) - 1));
        }

        int offsetOf(long index) {
            return (int) (index >>> shift) & MASK;
        }
    }
}
