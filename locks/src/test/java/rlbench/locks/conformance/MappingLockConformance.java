package rlbench.locks.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rlbench.locks.Design;
import rlbench.locks.MappingLock;
import rlbench.locks.MappingLock.Instantiation;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/**
 * The behaviour every safe design owes the filesystem, whatever it locks. Each safe design has one
 * subclass that names it; nothing here knows a design by name.
 *
 * <p>Thread counts are above this project's 2-core CI machine on purpose: preemption inside a
 * critical section is what exposes a missing exclusion or a lost wake-up.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class MappingLockConformance {

    private static final long MS = 1_000_000L;

    protected MappingLock lock;

    /** The design under test. */
    protected abstract Design design();

    /**
     * Whether the design makes instantiate(p) exclusive for one p, so that the fuzz also checks
     * that two instantiations of the same page never hold at once (page-lock's index lock).
     */
    protected boolean instantiateExclusivePerPage() {
        return false;
    }

    /**
     * Whether two invalidations of overlapping ranges exclude each other. Not in two-state, where
     * "block" holders share (the filesystem's inode lock keeps punches of one file apart).
     */
    protected boolean invalidationsExcludeEachOther() {
        return true;
    }

    /**
     * Whether an invalidation waits for instantiations it overlaps. Not in an optimistic design
     * (seq-retry): there the invalidation runs at once, and the instantiation it overlapped fails
     * its validation instead, which the overlap detector checks.
     */
    protected boolean invalidationWaitsForInstantiations() {
        return true;
    }

    /**
     * Whether a waiting invalidation gets in while instantiations keep arriving. Not in two-state,
     * which, like bcachefs's lock, has no queue and no handoff: there the invalidation is only
     * promised to get in once the stream of instantiations pauses (no lost wake-up).
     */
    protected boolean invalidationStarvationFree() {
        return true;
    }

    @BeforeEach
    void newLock() {
        assertTrue(design().safe(), "conformance is for safe designs");
        lock = design().create(new PageIndex());
        if (lock.invalidationTakesMmapLocks()) {
            // Its exclusion lives in the filesystem's mmap_lock and inode lock: check that protocol.
            lock = new MmapLockProtocol(lock);
        }
    }

    @Test
    void conflictingHoldersNeverOverlap() throws Exception {
        ConflictWorkload w = new ConflictWorkload(lock, 256, 64, instantiateExclusivePerPage(),
                invalidationsExcludeEachOther());
        w.run(8, Long.MAX_VALUE, 3_000, 60, 1);
        assertEquals(0, w.detector.violations(), () -> "first: " + w.detector.firstViolation());
        assertTrue(w.ops.get() > 1_000, "too little progress to mean anything: " + w.ops.get());
        assertTrue(w.invalidations.get() > 50, "too few invalidations: " + w.invalidations.get());
    }

    @Test
    void instantiationsOfDistinctPagesCoexist() throws Exception {
        int threads = 6;
        CyclicBarrier allInside = new CyclicBarrier(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long p = t * 7L;
            results.add(CompletableFuture.supplyAsync(() -> holdAt(allInside, () -> {
                TestPage page = TestPage.newLocked();
                assertEquals(Instantiation.INSERTED, lock.lockInstantiate(p, page, 5_000 * MS));
                return () -> {
                    lock.index().delete(p, page);
                    page.unlock();
                    lock.unlockInstantiate(p);
                };
            }), newThreadEach()));
        }
        for (Future<Boolean> r : results) {
            assertTrue(r.get(30, TimeUnit.SECONDS), "a holder could not meet the others inside");
        }
    }

    @Test
    void readaheadBatchesAndMkwritesOfOverlappingRangesCoexist() throws Exception {
        int threads = 4;
        CyclicBarrier allInside = new CyclicBarrier(threads);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long first = t * 3L;
            boolean batch = t % 2 == 0;
            results.add(CompletableFuture.supplyAsync(() -> holdAt(allInside, () -> {
                if (batch) {
                    assertTrue(lock.lockReadahead(first, first + 100, 5_000 * MS));
                    return () -> lock.unlockReadahead(first, first + 100);
                }
                assertTrue(lock.lockMkwrite(first + 7, 5_000 * MS));
                return () -> lock.unlockMkwrite(first + 7);
            }), newThreadEach()));
        }
        for (Future<Boolean> r : results) {
            assertTrue(r.get(30, TimeUnit.SECONDS), "shared lock points of overlapping ranges must coexist");
        }
    }

    @Test
    void readaheadSkipsWhatAnInvalidationHolds() throws Exception {
        assertTrue(lock.lockInvalidate(10, 20, Timeouts.TRY));
        try {
            // A batch that overlaps the invalidation either waits for it (a whole-file or range
            // lock) or gets no page inside it.
            boolean batch = lock.lockReadahead(0, 31, 50 * MS);
            if (batch) {
                try {
                    for (long p = 10; p <= 20; p++) {
                        assertTrue(lock.instantiateInBatch(p, TestPage.newLocked()) != Instantiation.INSERTED,
                                "readahead instantiated page " + p + " inside a held invalidation");
                    }
                } finally {
                    lock.unlockReadahead(0, 31);
                }
            }
        } finally {
            lock.unlockInvalidate(10, 20);
        }
        // Afterwards the same batch succeeds at once.
        assertTrue(lock.lockReadahead(0, 31, 1_000 * MS));
        TestPage page = TestPage.newLocked();
        assertEquals(Instantiation.INSERTED, lock.instantiateInBatch(15, page));
        lock.index().delete(15, page);
        page.unlock();
        lock.endInstantiateInBatch(15);
        lock.unlockReadahead(0, 31);
    }

    @Test
    void waitingInvalidateIsNotStarvedByArrivingInstantiations() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean pause = new AtomicBoolean();
        AtomicInteger instantiated = new AtomicInteger();
        List<Thread> faulters = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int seed = t;
            Thread f = new Thread(() -> {
                long p = seed;
                while (!stop.get()) {
                    if (pause.get()) {
                        LockSupport.parkNanos(100_000);
                        continue;
                    }
                    p = (p * 13 + 7) & 31;
                    TestPage page = TestPage.newLocked();
                    if (lock.lockInstantiate(p, page) == Instantiation.INSERTED) {
                        LockSupport.parkNanos(20_000);
                        // Counted while still held: a count that moves under the invalidation is an
                        // overlap (where the invalidation waits for instantiations at all).
                        instantiated.incrementAndGet();
                        lock.instantiationStillValid(p, page);
                        lock.index().delete(p, page);
                        page.unlock();
                        lock.unlockInstantiate(p);
                    }
                }
            }, "faulter-" + t);
            f.setDaemon(true);
            faulters.add(f);
            f.start();
        }
        try {
            while (instantiated.get() < 200) {
                Thread.sleep(1);
            }
            for (int round = 0; round < 5; round++) {
                if (!invalidationStarvationFree()) {
                    // No promise while the stream lasts: try briefly, then pause the stream.
                    if (!lock.lockInvalidate(0, 31, 20 * MS)) {
                        pause.set(true);
                        assertTrue(lock.lockInvalidate(0, 31, 10_000 * MS),
                                "invalidate not let in within 10 s of the instantiations pausing (round " + round + ")");
                    }
                } else {
                    assertTrue(lock.lockInvalidate(0, 31, 10_000 * MS),
                            "invalidate starved for 10 s by a stream of instantiations (round " + round + ")");
                }
                int before = instantiated.get();
                LockSupport.parkNanos(2 * MS);
                if (invalidationWaitsForInstantiations()) {
                    assertEquals(before, instantiated.get(), "an instantiation completed inside the invalidated range");
                }
                lock.unlockInvalidate(0, 31);
                pause.set(false);
                Thread.sleep(5);
            }
        } finally {
            stop.set(true);
            for (Thread f : faulters) {
                f.join(10_000);
                assertFalse(f.isAlive(), f.getName() + " did not finish: lost wake-up?");
            }
        }
    }

    @Test
    void waiterThatTimesOutOrIsInterruptedLeavesTheLockUsable() throws Exception {
        assertTrue(lock.lockInvalidate(0, 15, Timeouts.TRY));

        // Instantiation behind the invalidation: try, timeout, interrupt.
        assertEquals(Instantiation.BUSY, lock.lockInstantiate(5, TestPage.newLocked(), Timeouts.TRY));
        assertEquals(Instantiation.BUSY, lock.lockInstantiate(5, TestPage.newLocked(), 30 * MS));
        assertInterruptedWhileWaiting(() -> lock.lockInstantiate(5, TestPage.newLocked(), Timeouts.FOREVER));
        if (invalidationsExcludeEachOther()) {
            // Invalidation behind the invalidation: timeout, interrupt.
            assertFalse(lock.lockInvalidate(8, 20, 30 * MS));
            assertInterruptedWhileWaiting(() -> lock.lockInvalidate(8, 20, Timeouts.FOREVER));
        } else {
            assertTrue(lock.lockInvalidate(8, 20, Timeouts.TRY), "invalidations of this design share");
            lock.unlockInvalidate(8, 20);
        }
        lock.unlockInvalidate(0, 15);

        // Nothing of the failed waiters remains.
        TestPage page = TestPage.newLocked();
        assertEquals(Instantiation.INSERTED, lock.lockInstantiate(5, page, 1_000 * MS));
        if (invalidationWaitsForInstantiations()) {
            // An invalidation behind that instantiation times out and is interrupted in turn...
            assertFalse(lock.lockInvalidate(0, 31, 30 * MS));
            assertInterruptedWhileWaiting(() -> lock.lockInvalidate(2, 9, Timeouts.FOREVER));
        } else {
            // ...or runs at once, and the instantiation it overlapped fails its validation.
            assertTrue(lock.lockInvalidate(0, 31, Timeouts.TRY), "an optimistic design's invalidation never waits");
            lock.unlockInvalidate(0, 31);
            assertFalse(lock.instantiationStillValid(5, page), "an instantiation overlapping an invalidation validated");
        }
        // ...and left no trace: other pages can still be instantiated at once.
        TestPage other = TestPage.newLocked();
        assertEquals(Instantiation.INSERTED, lock.lockInstantiate(9, other, Timeouts.TRY));
        release(9, other);
        release(5, page);
        assertTrue(lock.lockInvalidate(0, 31, Timeouts.TRY), "lock not usable after failed waiters");
        lock.unlockInvalidate(0, 31);
        TestPage again = TestPage.newLocked();
        assertEquals(Instantiation.INSERTED, lock.lockInstantiate(5, again, Timeouts.TRY));
        release(5, again);
    }

    @Test
    void noLostWakeUps() throws Exception {
        // Eight pages, wide punches: nearly every operation sleeps behind another and must be woken.
        ConflictWorkload w = new ConflictWorkload(lock, 8, 8, instantiateExclusivePerPage(),
                invalidationsExcludeEachOther());
        w.run(12, 3_000, TimeUnit.HOURS.toMillis(1), 90, 2);
        assertEquals(12 * 3_000, w.ops.get(), "every thread finishes all its operations");
        assertEquals(0, w.detector.violations(), () -> "first: " + w.detector.firstViolation());
    }

    @Test
    void disjointSinglePagesProgressInParallel() throws Exception {
        int threads = 8;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            long p = 1000 + t * 64L;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 300; i++) {
                    TestPage page = TestPage.newLocked();
                    lock.lockInstantiate(p, page);
                    maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    LockSupport.parkNanos(100_000);
                    inside.decrementAndGet();
                    release(p, page);
                }
                done.countDown();
            });
            th.setDaemon(true);
            th.start();
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "threads on disjoint pages did not all finish");
        assertTrue(maxInside.get() >= threads / 2,
                "holders of disjoint pages were serialised: at most " + maxInside.get() + " inside at once");
    }

    private void release(long p, TestPage page) {
        lock.index().delete(p, page);
        page.unlock();
        lock.unlockInstantiate(p);
    }

    /** A held lock point and how to release it. */
    private interface Hold {
        Runnable acquire() throws Exception;
    }

    /** Acquires, meets the other holders at the barrier while holding, releases. */
    private static boolean holdAt(CyclicBarrier barrier, Hold hold) {
        Runnable release = null;
        try {
            release = hold.acquire();
            barrier.await(10, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            barrier.reset();
            return false;
        } finally {
            if (release != null) {
                release.run();
            }
        }
    }

    private static java.util.concurrent.Executor newThreadEach() {
        return r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            t.start();
        };
    }

    private interface Blocking {
        Object call() throws InterruptedException;
    }

    /** Starts {@code call} on a thread, lets it block, interrupts it, expects InterruptedException. */
    private static void assertInterruptedWhileWaiting(Blocking call) throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                outcome.complete(call.call());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        });
        waiter.start();
        // Wait until it is really asleep, not merely not yet started.
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (waiter.getState() == Thread.State.NEW || waiter.getState() == Thread.State.RUNNABLE) {
            if (System.nanoTime() > giveUp) {
                break;
            }
            Thread.sleep(1);
        }
        assertFalse(outcome.isDone(), () -> "the waiter did not wait: " + outcome.join());
        waiter.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> outcome.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof InterruptedException, "expected InterruptedException, got " + e.getCause());
    }
}
