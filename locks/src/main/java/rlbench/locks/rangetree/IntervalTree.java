package rlbench.locks.rangetree;

/**
 * An intrusive interval tree of {@link RangeNode}s: an AVL tree keyed by range start (ties broken
 * by arrival sequence, so keys are unique and equal starts keep arrival order), each node
 * augmented with the largest range end in its subtree, and, because a range lock mostly asks
 * "which <em>exclusive</em> ranges overlap this one?", with the largest end of an exclusive range
 * in its subtree as well.
 *
 * <h2>Why AVL</h2>
 * The kernel's interval trees are augmented red-black trees; a treap or an AVL tree would do as
 * well asymptotically. AVL was chosen because:
 * <ul>
 *   <li>its height bound is deterministic and tight (below 1.44 log2(n+2)), which is what the
 *       fault path pays for on every lookup, and lookups (conflict counts) outnumber structural
 *       changes; a red-black tree allows up to 2 log2(n+1), a treap only bounds the expectation;</li>
 *   <li>a treap needs a random priority per node, i.e. a random number generator on the fault
 *       path (or per-node state that defeats reuse of pooled nodes);</li>
 *   <li>written recursively, insert and delete recompute height and both augmentations on the way
 *       back up, so the augmentation cannot be forgotten on some rotation case; red-black delete
 *       with parent pointers has many more cases to get wrong and the saving (at most three
 *       rotations instead of O(log n)) is small next to the recomputation we do anyway.</li>
 * </ul>
 * Recursion depth is the height, a few dozen frames for any tree that fits in memory.
 *
 * <h2>Costs</h2>
 * Insert and remove are O(log n). {@link #forEachOverlap} prunes a subtree whose maximum end lies
 * before the query and stops at the first start past the query, so it costs O(log n) when nothing
 * overlaps and O(log n + k) when the k overlapping ranges are consecutive in start order (the
 * common case: single pages, disjoint punches). As for any start-keyed tree with max-end
 * augmentation, the worst case when overlapping ranges are scattered among non-overlapping ones
 * (long ranges nesting many short ones) is O(min(n, k log n)) (CLRS exercise 14.3-4); reaching
 * O(log n + k) in every case needs a different structure (a segment or priority search tree).
 * The exclusive-only queries prune on {@code maxExclusiveLast}, so a shared request among many
 * shared holders costs O(log n) however many of them overlap it.
 *
 * <p>Not thread-safe: {@link RangeLock} calls it only under its mutex. Every field of the tree and
 * every tree field of its nodes is therefore plain.
 */
final class IntervalTree {

    /** What {@link #forEachOverlap} calls for each overlapping node; must not change the tree. */
    interface OverlapVisitor {
        void visit(RangeNode node);
    }

    private RangeNode root;
    private int size;
    /** Scratch result of {@link #removeMin}: the node it detached. */
    private RangeNode detached;

    /** Nodes in the tree. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return root == null;
    }

    /** The tree's height (0 when empty). */
    int height() {
        return h(root);
    }

    /** Inserts {@code node}, which must be in no tree and have a key no node in this one has. */
    void insert(RangeNode node) {
        node.left = null;
        node.right = null;
        node.height = 1;
        node.maxLast = node.last;
        node.maxExclusiveLast = node.exclusive ? node.last : Long.MIN_VALUE;
        root = insert(root, node);
        size++;
    }

    /**
     * Removes {@code node}, found by its key.
     *
     * @throws IllegalStateException if it is not in this tree
     */
    void remove(RangeNode node) {
        root = remove(root, node);
        node.left = null;
        node.right = null;
        size--;
    }

    /**
     * Calls {@code visitor} for every node overlapping {@code [first, last]} (only the exclusive
     * ones when {@code exclusiveOnly}), in start order.
     */
    void forEachOverlap(long first, long last, boolean exclusiveOnly, OverlapVisitor visitor) {
        visit(root, first, last, exclusiveOnly, visitor);
    }

    /** How many nodes overlap {@code [first, last]} (only exclusive ones when {@code exclusiveOnly}). */
    int countOverlaps(long first, long last, boolean exclusiveOnly) {
        return count(root, first, last, exclusiveOnly);
    }

    // ---------------------------------------------------------------- queries

    private static void visit(RangeNode n, long first, long last, boolean exclusiveOnly, OverlapVisitor v) {
        while (n != null) {
            if ((exclusiveOnly ? n.maxExclusiveLast : n.maxLast) < first) {
                return; // nothing in this subtree reaches the query
            }
            if (n.left != null) {
                visit(n.left, first, last, exclusiveOnly, v);
            }
            if (n.first > last) {
                return; // this node and its whole right subtree start after the query
            }
            if (n.last >= first && (n.exclusive || !exclusiveOnly)) {
                v.visit(n);
            }
            n = n.right;
        }
    }

    private static int count(RangeNode n, long first, long last, boolean exclusiveOnly) {
        int c = 0;
        while (n != null) {
            if ((exclusiveOnly ? n.maxExclusiveLast : n.maxLast) < first) {
                return c;
            }
            if (n.left != null) {
                c += count(n.left, first, last, exclusiveOnly);
            }
            if (n.first > last) {
                return c;
            }
            if (n.last >= first && (n.exclusive || !exclusiveOnly)) {
                c++;
            }
            n = n.right;
        }
        return c;
    }

    // ---------------------------------------------------------------- updates

    private static int compare(RangeNode a, RangeNode b) {
        int c = Long.compare(a.first, b.first);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    }

    private static RangeNode insert(RangeNode n, RangeNode node) {
        if (n == null) {
            return node;
        }
        int c = compare(node, n);
        if (c < 0) {
            n.left = insert(n.left, node);
        } else if (c > 0) {
            n.right = insert(n.right, node);
        } else {
            throw new IllegalStateException("duplicate key " + node + " vs " + n);
        }
        return balance(n);
    }

    private RangeNode remove(RangeNode n, RangeNode node) {
        if (n == null) {
            throw new IllegalStateException("not in the tree: " + node);
        }
        int c = compare(node, n);
        if (c < 0) {
            n.left = remove(n.left, node);
        } else if (c > 0) {
            n.right = remove(n.right, node);
        } else {
            if (n != node) {
                throw new IllegalStateException("another node has the key of " + node);
            }
            if (n.left == null) {
                return n.right;
            }
            if (n.right == null) {
                return n.left;
            }
            // Two children: the successor (leftmost of the right subtree) takes n's place. Nodes
            // are threads' handles, so links move, never keys.
            RangeNode right = removeMin(n.right);
            RangeNode successor = detached;
            detached = null;
            successor.left = n.left;
            successor.right = right;
            return balance(successor);
        }
        return balance(n);
    }

    private RangeNode removeMin(RangeNode n) {
        if (n.left == null) {
            detached = n;
            return n.right;
        }
        n.left = removeMin(n.left);
        return balance(n);
    }

    private static int h(RangeNode n) {
        return n == null ? 0 : n.height;
    }

    /** Recomputes height and both augmentations of {@code n} from its children. */
    private static void update(RangeNode n) {
        RangeNode l = n.left;
        RangeNode r = n.right;
        int height = 0;
        long maxLast = n.last;
        long maxExcl = n.exclusive ? n.last : Long.MIN_VALUE;
        if (l != null) {
            height = l.height;
            maxLast = Math.max(maxLast, l.maxLast);
            maxExcl = Math.max(maxExcl, l.maxExclusiveLast);
        }
        if (r != null) {
            height = Math.max(height, r.height);
            maxLast = Math.max(maxLast, r.maxLast);
            maxExcl = Math.max(maxExcl, r.maxExclusiveLast);
        }
        n.height = height + 1;
        n.maxLast = maxLast;
        n.maxExclusiveLast = maxExcl;
    }

    private static RangeNode rotateRight(RangeNode y) {
        RangeNode x = y.left;
        y.left = x.right;
        x.right = y;
        update(y);
        update(x);
        return x;
    }

    private static RangeNode rotateLeft(RangeNode x) {
        RangeNode y = x.right;
        x.right = y.left;
        y.left = x;
        update(x);
        update(y);
        return y;
    }

    /** Updates {@code n} and restores the AVL balance at it; returns the subtree's new root. */
    private static RangeNode balance(RangeNode n) {
        update(n);
        int bf = h(n.left) - h(n.right);
        if (bf > 1) {
            if (h(n.left.left) < h(n.left.right)) {
                n.left = rotateLeft(n.left);
            }
            return rotateRight(n);
        }
        if (bf < -1) {
            if (h(n.right.right) < h(n.right.left)) {
                n.right = rotateRight(n.right);
            }
            return rotateLeft(n);
        }
        return n;
    }

    // ---------------------------------------------------------------- for tests

    /**
     * Checks every invariant: strictly increasing keys in order, the stored heights, the AVL
     * balance (|left - right| at most 1), both augmentations, the node count, and the height
     * bound 1.4405 log2(n + 2) - 0.3277 that AVL guarantees.
     *
     * @throws IllegalStateException naming the first broken invariant
     */
    void checkInvariants() {
        int[] count = new int[1];
        RangeNode[] prev = new RangeNode[1];
        int height = check(root, count, prev);
        if (count[0] != size) {
            throw new IllegalStateException("size " + size + " but " + count[0] + " nodes");
        }
        double bound = 1.4405 * (Math.log(size + 2) / Math.log(2)) - 0.3277;
        if (height > bound) {
            throw new IllegalStateException("height " + height + " exceeds the AVL bound " + bound + " for " + size);
        }
    }

    private static int check(RangeNode n, int[] count, RangeNode[] prev) {
        if (n == null) {
            return 0;
        }
        int lh = check(n.left, count, prev);
        if (prev[0] != null && compare(prev[0], n) >= 0) {
            throw new IllegalStateException("keys out of order: " + prev[0] + " before " + n);
        }
        prev[0] = n;
        count[0]++;
        int rh = check(n.right, count, prev);
        int height = Math.max(lh, rh) + 1;
        if (n.height != height) {
            throw new IllegalStateException("stored height " + n.height + " != " + height + " at " + n);
        }
        if (Math.abs(lh - rh) > 1) {
            throw new IllegalStateException("unbalanced (" + lh + " vs " + rh + ") at " + n);
        }
        long maxLast = n.last;
        long maxExcl = n.exclusive ? n.last : Long.MIN_VALUE;
        for (RangeNode c : new RangeNode[] {n.left, n.right}) {
            if (c != null) {
                maxLast = Math.max(maxLast, c.maxLast);
                maxExcl = Math.max(maxExcl, c.maxExclusiveLast);
            }
        }
        if (n.maxLast != maxLast) {
            throw new IllegalStateException("maxLast " + n.maxLast + " != " + maxLast + " at " + n);
        }
        if (n.maxExclusiveLast != maxExcl) {
            throw new IllegalStateException("maxExclusiveLast " + n.maxExclusiveLast + " != " + maxExcl + " at " + n);
        }
        return height;
    }

    /** The nodes in key order, for tests and debugging. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        appendInOrder(root, sb);
        return sb.append('}').toString();
    }

    private static void appendInOrder(RangeNode n, StringBuilder sb) {
        if (n == null) {
            return;
        }
        appendInOrder(n.left, sb);
        if (sb.length() > 1) {
            sb.append(", ");
        }
        sb.append(n);
        appendInOrder(n.right, sb);
    }

    /** The root, for tests that break an invariant on purpose. */
    RangeNode root() {
        return root;
    }
}
