package rlbench.fs.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rlbench.fs.check.LockClass.INODE;
import static rlbench.fs.check.LockClass.INVALIDATION;
import static rlbench.fs.check.LockClass.MMAP;
import static rlbench.fs.check.LockClass.PAGE;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

class LockOrderCheckerTest {

    /** Runs {@code body} on a fresh thread, waits for it, and rethrows anything it threw. */
    private static void onThread(String name, Runnable body) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, name);
        t.start();
        t.join();
        if (failure[0] != null) {
            throw new AssertionError("thread " + name + " failed", failure[0]);
        }
    }

    /** Acquires the classes in the given order, then releases them in reverse. */
    private static void nest(LockOrderChecker k, LockClass... order) {
        for (LockClass c : order) {
            k.acquired(c);
        }
        for (int i = order.length - 1; i >= 0; i--) {
            k.released(order[i]);
        }
    }

    private static String edge(LockClass a, LockClass b) {
        return a.label() + " -> " + b.label();
    }

    @Test
    void classesAreInLinuxOrderWithLabels() {
        assertEquals(List.of(INODE, MMAP, INVALIDATION, PAGE), List.of(LockClass.values()));
        assertEquals("inode lock (i_rwsem)", INODE.label());
        assertEquals("mmap_lock", MMAP.label());
        assertEquals("invalidation lock or range", INVALIDATION.label());
        assertEquals("page lock", PAGE.label());
    }

    @Test
    void globalFollowsTheSystemProperty() {
        assertEquals(Boolean.getBoolean("rlbench.lockdep"), LockOrderChecker.ENABLED);
        assertEquals(LockOrderChecker.ENABLED, LockOrderChecker.GLOBAL.isEnabled());
    }

    @Test
    void consistentOrderOnSeveralThreadsIsClean() throws Exception {
        LockOrderChecker k = new LockOrderChecker(true);
        onThread("punch", () -> nest(k, INODE, INVALIDATION, PAGE));
        onThread("fault", () -> nest(k, MMAP, INVALIDATION, PAGE));
        onThread("write", () -> {
            nest(k, MMAP); // fault in the source buffer first
            nest(k, INODE, PAGE); // then lock and copy page by page
        });
        onThread("everything", () -> nest(k, INODE, MMAP, INVALIDATION, PAGE));
        nest(k, MMAP, PAGE);

        assertEquals(0, k.violations());
        assertTrue(k.reports().isEmpty());
        Set<String> expected = Set.of(
                edge(INODE, MMAP), edge(INODE, INVALIDATION), edge(INODE, PAGE),
                edge(MMAP, INVALIDATION), edge(MMAP, PAGE), edge(INVALIDATION, PAGE));
        assertEquals(expected, k.edges());
        assertTrue(k.hasEdge(MMAP, PAGE));
        assertFalse(k.hasEdge(PAGE, MMAP));
    }

    @Test
    void inversionAcrossTwoThreadsIsReportedWithBothOrders() throws Exception {
        LockOrderChecker k = new LockOrderChecker(true);
        onThread("fault-A", () -> nest(k, MMAP, INVALIDATION));
        assertEquals(0, k.violations());
        // Thread B runs after A finished: no real deadlock can happen, but lockdep-style it is one.
        onThread("write-B", () -> nest(k, INVALIDATION, MMAP));

        assertEquals(1, k.violations());
        List<String> reports = k.reports();
        assertEquals(1, reports.size());
        String r = reports.get(0);
        assertTrue(r.startsWith("lock order inversion: "), r);
        assertTrue(r.contains("mmap_lock -> invalidation lock or range first seen at"), r);
        assertTrue(r.contains("now invalidation lock or range -> mmap_lock at"), r);
        // Both threads and the call site (this test, not the checker) appear.
        assertTrue(r.contains("[fault-A]"), r);
        assertTrue(r.contains("[write-B]"), r);
        assertTrue(r.contains("LockOrderCheckerTest"), r);
        assertFalse(r.contains("LockOrderChecker.acquired"), r);
    }

    @Test
    void transitiveCycleOverThreeThreadsIsDetected() throws Exception {
        LockOrderChecker k = new LockOrderChecker(true);
        onThread("t1", () -> nest(k, INODE, MMAP));
        onThread("t2", () -> nest(k, MMAP, PAGE));
        assertEquals(0, k.violations());
        onThread("t3", () -> nest(k, PAGE, INODE));

        assertEquals(1, k.violations());
        String r = k.reports().get(0);
        assertTrue(r.contains("inode lock (i_rwsem) -> mmap_lock -> page lock first seen at"), r);
        assertTrue(r.contains("now page lock -> inode lock (i_rwsem) at"), r);
        assertTrue(r.contains("[t1]") && r.contains("[t2]") && r.contains("[t3]"), r);
    }

    @Test
    void repeatedInversionCountsOnce() throws Exception {
        LockOrderChecker k = new LockOrderChecker(true);
        for (int i = 0; i < 1000; i++) {
            nest(k, MMAP, INVALIDATION);
            nest(k, INVALIDATION, MMAP);
        }
        onThread("again", () -> {
            for (int i = 0; i < 1000; i++) {
                nest(k, INVALIDATION, MMAP);
                nest(k, MMAP, INVALIDATION);
            }
        });
        assertEquals(1, k.violations());
        assertEquals(1, k.reports().size());
        // A second, different inversion is counted separately.
        nest(k, PAGE, INODE);
        nest(k, INODE, PAGE);
        assertEquals(2, k.violations());
        assertEquals(2, k.reports().size());
    }

    @Test
    void nestedLocksOfOneClassAreNotAViolation() {
        LockOrderChecker k = new LockOrderChecker(true);
        k.acquired(MMAP);
        k.acquired(PAGE);
        k.acquired(PAGE);
        k.acquired(PAGE);
        assertEquals(List.of(MMAP, PAGE, PAGE, PAGE), k.heldByCurrentThread());
        k.released(PAGE);
        k.released(PAGE);
        k.released(PAGE);
        k.released(MMAP);
        assertEquals(0, k.violations());
        assertEquals(Set.of(edge(MMAP, PAGE)), k.edges());
        assertTrue(k.heldByCurrentThread().isEmpty());
    }

    @Test
    void outOfOrderReleaseWorksAndReleasingWhatIsNotHeldThrows() {
        LockOrderChecker k = new LockOrderChecker(true);
        k.acquired(INODE);
        k.acquired(INVALIDATION);
        k.acquired(PAGE);
        k.released(INVALIDATION); // not the top of the stack
        assertEquals(List.of(INODE, PAGE), k.heldByCurrentThread());
        k.released(INODE);
        assertEquals(List.of(PAGE), k.heldByCurrentThread());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> k.released(MMAP));
        assertTrue(e.getMessage().contains("mmap_lock"), e.getMessage());
        k.released(PAGE);
        assertThrows(IllegalStateException.class, () -> k.released(PAGE));
        assertTrue(k.heldByCurrentThread().isEmpty());
        assertEquals(0, k.violations());
    }

    @Test
    void releaseRemovesTheMostRecentOccurrence() {
        LockOrderChecker k = new LockOrderChecker(true);
        k.acquired(PAGE);
        k.acquired(INVALIDATION); // an inversion, but we test the stack here
        k.acquired(PAGE);
        k.released(PAGE);
        assertEquals(List.of(PAGE, INVALIDATION), k.heldByCurrentThread());
        k.released(INVALIDATION);
        k.released(PAGE);
        assertTrue(k.heldByCurrentThread().isEmpty());
    }

    @Test
    void heldStacksArePerThread() throws Exception {
        LockOrderChecker k = new LockOrderChecker(true);
        k.acquired(MMAP);
        onThread("other", () -> {
            assertTrue(k.heldByCurrentThread().isEmpty());
            assertThrows(IllegalStateException.class, () -> k.released(MMAP));
            nest(k, PAGE, INVALIDATION); // records no edge from this thread's absent MMAP
        });
        assertEquals(Set.of(edge(PAGE, INVALIDATION)), k.edges());
        k.released(MMAP);
    }

    @Test
    void disabledInstanceRecordsNothing() throws Exception {
        LockOrderChecker k = new LockOrderChecker(false);
        assertFalse(k.isEnabled());
        onThread("a", () -> nest(k, MMAP, INVALIDATION));
        onThread("b", () -> nest(k, INVALIDATION, MMAP));
        k.released(PAGE); // not held, but a disabled checker checks nothing
        assertEquals(0, k.violations());
        assertTrue(k.reports().isEmpty());
        assertTrue(k.edges().isEmpty());
        assertTrue(k.heldByCurrentThread().isEmpty());
    }

    @Test
    void resetForgetsGraphReportsAndCount() {
        LockOrderChecker k = new LockOrderChecker(true);
        nest(k, MMAP, INVALIDATION);
        nest(k, INVALIDATION, MMAP);
        assertEquals(1, k.violations());
        k.acquired(PAGE);
        k.reset();
        assertEquals(0, k.violations());
        assertTrue(k.reports().isEmpty());
        assertTrue(k.edges().isEmpty());
        assertTrue(k.heldByCurrentThread().isEmpty());
        // The same inversion is found (and counted) again after a reset.
        nest(k, INVALIDATION, MMAP);
        assertEquals(0, k.violations());
        nest(k, MMAP, INVALIDATION);
        assertEquals(1, k.violations());
    }

    @Test
    void concurrentConsistentOrderStress() throws Exception {
        LockOrderChecker k = new LockOrderChecker(true);
        int threads = 8;
        int iterations = 100_000;
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < iterations; i++) {
                        switch ((i + id) % 4) {
                            case 0 -> nest(k, INODE, MMAP, INVALIDATION, PAGE);
                            case 1 -> nest(k, MMAP, INVALIDATION, PAGE, PAGE);
                            case 2 -> {
                                k.acquired(INODE);
                                k.acquired(INVALIDATION);
                                k.acquired(PAGE);
                                k.released(INVALIDATION); // out of order
                                k.released(INODE);
                                k.released(PAGE);
                            }
                            default -> nest(k, INODE, PAGE);
                        }
                    }
                    if (!k.heldByCurrentThread().isEmpty()) {
                        throw new AssertionError("left held: " + k.heldByCurrentThread());
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "stress-" + t);
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join();
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertEquals(0, k.violations(), () -> "reports: " + k.reports());
        assertEquals(Set.of(
                edge(INODE, MMAP), edge(INODE, INVALIDATION), edge(INODE, PAGE),
                edge(MMAP, INVALIDATION), edge(MMAP, PAGE), edge(INVALIDATION, PAGE)), k.edges());
    }

    @Test
    void concurrentInversionsAreCountedOnce() throws Exception {
        LockOrderChecker k = new LockOrderChecker(true);
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final boolean forward = t % 2 == 0;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 10_000; i++) {
                        if (forward) {
                            nest(k, MMAP, INVALIDATION);
                        } else {
                            nest(k, INVALIDATION, MMAP);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            all.add(th);
            th.start();
        }
        for (Thread th : all) {
            th.join();
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertEquals(1, k.violations());
        assertEquals(1, k.reports().size());
    }
}
