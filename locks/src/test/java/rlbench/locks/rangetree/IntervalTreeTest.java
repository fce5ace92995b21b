package rlbench.locks.rangetree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IntervalTreeTest {

    private long seq;

    private RangeNode node(long first, long last, boolean exclusive) {
        return new RangeNode(Thread.currentThread()).set(first, last, exclusive, seq++);
    }

    private static final Comparator<RangeNode> KEY_ORDER =
            Comparator.<RangeNode>comparingLong(n -> n.first).thenComparingLong(n -> n.seq);

    private static List<RangeNode> naiveOverlaps(List<RangeNode> all, long first, long last, boolean exclusiveOnly) {
        return all.stream()
                .filter(n -> n.overlaps(first, last) && (n.exclusive || !exclusiveOnly))
                .sorted(KEY_ORDER)
                .collect(Collectors.toList());
    }

    private static List<RangeNode> treeOverlaps(IntervalTree tree, long first, long last, boolean exclusiveOnly) {
        List<RangeNode> out = new ArrayList<>();
        tree.forEachOverlap(first, last, exclusiveOnly, out::add);
        return out;
    }

    private static double avlBound(int n) {
        return 1.4405 * (Math.log(n + 2) / Math.log(2)) - 0.3277;
    }

    private void checkQueries(IntervalTree tree, List<RangeNode> all, Random rnd, int queries) {
        for (int q = 0; q < queries; q++) {
            long first = rnd.nextInt(1100) - 50;
            long last = first + (rnd.nextInt(10) == 0 ? rnd.nextInt(400) : rnd.nextInt(8));
            for (boolean exclusiveOnly : new boolean[] {false, true}) {
                List<RangeNode> expected = naiveOverlaps(all, first, last, exclusiveOnly);
                // Identity lists in key order: same nodes, same order, no duplicates.
                assertEquals(expected, treeOverlaps(tree, first, last, exclusiveOnly),
                        "overlaps of [" + first + "," + last + "] exclusiveOnly=" + exclusiveOnly);
                assertEquals(expected.size(), tree.countOverlaps(first, last, exclusiveOnly),
                        "count of [" + first + "," + last + "] exclusiveOnly=" + exclusiveOnly);
            }
        }
    }

    @Test
    void randomInsertRemoveMatchesNaiveList() {
        Random rnd = new Random(42);
        IntervalTree tree = new IntervalTree();
        List<RangeNode> all = new ArrayList<>();
        for (int op = 0; op < 6000; op++) {
            boolean insert = all.isEmpty() || rnd.nextInt(100) < (op < 3000 ? 65 : 35);
            if (insert) {
                long first = rnd.nextInt(1000);
                long last = first + (rnd.nextInt(20) == 0 ? rnd.nextInt(300) : rnd.nextInt(6));
                if (rnd.nextInt(8) == 0 && !all.isEmpty()) {
                    first = all.get(rnd.nextInt(all.size())).first; // equal starts
                    last = Math.max(last, first);
                }
                RangeNode n = node(first, last, rnd.nextBoolean());
                tree.insert(n);
                all.add(n);
            } else {
                RangeNode n = all.remove(rnd.nextInt(all.size()));
                tree.remove(n);
                assertEquals(null, n.left);
                assertEquals(null, n.right);
            }
            tree.checkInvariants();
            assertEquals(all.size(), tree.size());
            assertTrue(tree.height() <= avlBound(tree.size()), "height " + tree.height() + " n " + tree.size());
            if (op % 25 == 0) {
                checkQueries(tree, all, rnd, 20);
            }
        }
        while (!all.isEmpty()) {
            tree.remove(all.remove(all.size() - 1));
            tree.checkInvariants();
        }
        assertTrue(tree.isEmpty());
        assertEquals(0, tree.height());
    }

    @Test
    void sortedInsertionsStayWithinTheAvlHeightBound() {
        IntervalTree tree = new IntervalTree();
        List<RangeNode> nodes = new ArrayList<>();
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            RangeNode node = node(i, i, i % 7 == 0);
            tree.insert(node);
            nodes.add(node);
        }
        tree.checkInvariants();
        // A plain BST would be a 100000-deep list here; AVL stays under 1.44 log2(n+2).
        assertTrue(tree.height() <= avlBound(n), "height " + tree.height());
        assertTrue(tree.height() >= 17, "a tree of 100000 nodes cannot be shallower than 17: " + tree.height());
        // Remove every other node from the left end, the worst case for rebalancing on delete.
        for (int i = 0; i < n; i += 2) {
            tree.remove(nodes.get(i));
        }
        tree.checkInvariants();
        assertEquals(n / 2, tree.size());
        assertTrue(tree.height() <= avlBound(n / 2), "height " + tree.height());
        assertEquals(1, tree.countOverlaps(99_999, 99_999, false));
        assertEquals(0, tree.countOverlaps(99_998, 99_998, false));
        assertEquals(n / 2, tree.countOverlaps(0, n, false));
    }

    @Test
    void equalStartsAreKeptInArrivalOrder() {
        IntervalTree tree = new IntervalTree();
        List<RangeNode> nodes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RangeNode n = node(5, 5 + (i % 3), i % 2 == 0);
            tree.insert(n);
            nodes.add(n);
        }
        tree.checkInvariants();
        assertEquals(nodes, treeOverlaps(tree, 5, 5, false));
        assertEquals(nodes.stream().filter(n -> n.exclusive).collect(Collectors.toList()),
                treeOverlaps(tree, 0, 100, true));
        assertEquals(nodes.stream().filter(n -> n.last >= 7).collect(Collectors.toList()),
                treeOverlaps(tree, 7, 7, false));
        Random rnd = new Random(7);
        List<RangeNode> left = new ArrayList<>(nodes);
        while (!left.isEmpty()) {
            tree.remove(left.remove(rnd.nextInt(left.size())));
            tree.checkInvariants();
            assertEquals(left, treeOverlaps(tree, 4, 6, false));
        }
    }

    @Test
    void extremeValuesDoNotOverflow() {
        IntervalTree tree = new IntervalTree();
        RangeNode all = node(0, Long.MAX_VALUE, true);
        RangeNode low = node(Long.MIN_VALUE, Long.MIN_VALUE, false);
        RangeNode high = node(Long.MAX_VALUE, Long.MAX_VALUE, false);
        tree.insert(all);
        tree.insert(low);
        tree.insert(high);
        tree.checkInvariants();
        assertEquals(List.of(all, high), treeOverlaps(tree, Long.MAX_VALUE, Long.MAX_VALUE, false));
        assertEquals(List.of(low), treeOverlaps(tree, Long.MIN_VALUE, -1, false));
        assertEquals(List.of(all), treeOverlaps(tree, Long.MIN_VALUE, Long.MAX_VALUE, true));
        assertEquals(3, tree.countOverlaps(Long.MIN_VALUE, Long.MAX_VALUE, false));
    }

    @Test
    void invariantCheckerCatchesBrokenAugmentationAndHeights() {
        IntervalTree tree = new IntervalTree();
        for (int i = 0; i < 15; i++) {
            tree.insert(node(i * 10, i * 10 + 3, i == 4));
        }
        tree.checkInvariants();
        RangeNode root = tree.root();

        long saved = root.maxLast;
        root.maxLast = saved + 1;
        assertThrows(IllegalStateException.class, tree::checkInvariants);
        root.maxLast = saved;

        long savedExcl = root.maxExclusiveLast;
        root.maxExclusiveLast = Long.MIN_VALUE;
        assertThrows(IllegalStateException.class, tree::checkInvariants);
        root.maxExclusiveLast = savedExcl;

        int savedHeight = root.height;
        root.height = savedHeight + 1;
        assertThrows(IllegalStateException.class, tree::checkInvariants);
        root.height = savedHeight;

        RangeNode savedLeft = root.left;
        root.left = null; // unbalances and loses nodes
        assertThrows(IllegalStateException.class, tree::checkInvariants);
        root.left = savedLeft;

        tree.checkInvariants();
    }

    @Test
    void removingAnAbsentNodeFails() {
        IntervalTree tree = new IntervalTree();
        tree.insert(node(1, 2, false));
        assertThrows(IllegalStateException.class, () -> tree.remove(node(1, 2, false)));
        assertThrows(IllegalStateException.class, () -> new IntervalTree().remove(node(1, 2, false)));
    }
}
