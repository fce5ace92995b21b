package rlbench.locks.rangelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rlbench.locks.Intent;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RangeListTest {

    private static final Intent S = Intent.SHARED;
    private static final Intent X = Intent.EXCLUSIVE;
    private static final long MS = 1_000_000L;

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "range-list-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private Future<?> spawn(Callable<?> body) {
        return pool.submit(body);
    }

    /** Waits (polling, no fixed sleep) for a condition; fails after 5 s. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 5_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(5, TimeUnit.SECONDS), "timed out waiting for: " + what);
    }

    /** Whether another thread could take {@code [first,last]} with {@code intent} right now. */
    private boolean otherThreadCanTake(RangeList lock, long first, long last, Intent intent) throws Exception {
        return pool.submit(() -> {
            if (lock.lock(first, last, intent, Timeouts.TRY)) {
                lock.unlock(first, last, intent);
                return true;
            }
            return false;
        }).get(5, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ the overlap fuzz

    /** What a fuzz run saw. */
    private record Fuzz(long violations, long acquired, long exclusiveGrants, long refused, long ms) {
    }

    /**
     * {@code threads} threads take random overlapping ranges of a 64-page universe in both modes,
     * with TRY, short timeouts and no deadline, for {@code millis}, and report every moment two
     * conflicting holders were inside at once. Each holder marks its pages first (a volatile
     * increment) and then reads the other kind's marks, so of two overlapping holders at least
     * one sees the other. With {@code stopAtViolation} the run ends at the first violation.
     */
    private Fuzz fuzz(RangeList lock, int threads, long millis, boolean stopAtViolation) throws Exception {
        int pages = 64;
        AtomicIntegerArray shared = new AtomicIntegerArray(pages);
        AtomicIntegerArray exclusive = new AtomicIntegerArray(pages);
        AtomicLong violations = new AtomicLong();
        AtomicLong acquired = new AtomicLong();
        AtomicLong exclusiveGrants = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(spawn(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                start.await(5, TimeUnit.SECONDS);
                while (!stop.get()) {
                    int first = rnd.nextInt(pages);
                    int last = Math.min(pages - 1, first + rnd.nextInt(rnd.nextInt(4) == 0 ? 16 : 4));
                    Intent intent = rnd.nextInt(10) < 4 ? X : S;
                    int mode = rnd.nextInt(5);
                    long timeout = mode == 0 ? Timeouts.TRY : mode == 1 ? 50_000L : Timeouts.FOREVER;
                    if (!lock.lock(first, last, intent, timeout)) {
                        refused.incrementAndGet();
                        continue;
                    }
                    acquired.incrementAndGet();
                    if (intent == X) {
                        exclusiveGrants.incrementAndGet();
                    }
                    AtomicIntegerArray mine = intent == X ? exclusive : shared;
                    for (int p = first; p <= last; p++) {
                        mine.incrementAndGet(p);
                    }
                    for (int p = first; p <= last; p++) {
                        if (exclusive.get(p) > (intent == X ? 1 : 0) || (intent == X && shared.get(p) != 0)) {
                            violations.incrementAndGet();
                        }
                    }
                    int dwell = rnd.nextInt(64);
                    if (dwell == 0) {
                        Thread.yield(); // be preempted inside, now and then
                    } else {
                        for (int spin = dwell; spin > 0; spin--) {
                            Thread.onSpinWait();
                        }
                    }
                    for (int p = first; p <= last; p++) {
                        mine.decrementAndGet(p);
                    }
                    lock.unlock(first, last, intent);
                    if (stopAtViolation && violations.get() != 0) {
                        stop.set(true);
                    }
                }
                return null;
            }));
        }
        start.await(5, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        long end = t0 + millis * MS;
        while (System.nanoTime() - end < 0 && !stop.get()) {
            Thread.sleep(10);
        }
        stop.set(true);
        for (Future<?> w : workers) {
            w.get(20, TimeUnit.SECONDS);
        }
        return new Fuzz(violations.get(), acquired.get(), exclusiveGrants.get(), refused.get(),
                (System.nanoTime() - t0) / MS);
    }

    @Test
    void conflictingHoldersNeverOverlapUnderAFuzz() throws Exception {
        RangeList lock = new RangeList();
        Fuzz f = fuzz(lock, 10, 4_000, false);
        System.out.println("list-range fuzz: " + f);
        assertEquals(0, f.violations(), "conflicting ranges held at the same time: " + f);
        assertTrue(f.acquired() > 20_000, "too few grants to mean anything: " + f);
        assertTrue(f.exclusiveGrants() > 5_000, "too few exclusive grants to mean anything: " + f);
        assertTrue(f.refused() > 0, "no try or timeout ever failed, so there was no contention: " + f);
        assertEquals(0, lock.size(), "ranges left in the list: " + lock);
        assertEquals(0, lock.waiting());
        lock.checkInvariants();
    }

    @Test
    void theFuzzCatchesAListThatValidatesOnlySuccessors() throws Exception {
        // The known mistake: a node that checks only the nodes after it misses a conflicting one
        // inserted before it. If this stopped failing, the fuzz above would prove nothing.
        RangeList broken = RangeList.brokenSuccessorsOnlyForTests();
        Fuzz f = fuzz(broken, 10, 10_000, true);
        System.out.println("broken variant: " + f);
        assertTrue(f.violations() > 0, "the fuzz did not catch the broken variant: " + f);
    }

    // ------------------------------------------------------------------ exclusion and sharing

    @Test
    void sharedHoldersOfOverlappingRangesCoexist() throws Exception {
        RangeList lock = new RangeList();
        int threads = 6;
        // Every thread plus this one meets inside: impossible unless all six shared ranges (all
        // covering pages 5..10) are held at once.
        CyclicBarrier inside = new CyclicBarrier(threads + 1);
        CyclicBarrier leave = new CyclicBarrier(threads + 1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long first = t;
            long last = 10 + 3L * t;
            workers.add(spawn(() -> {
                assertTrue(lock.lock(first, last, S, 5_000 * MS), "shared lock refused");
                try {
                    inside.await(5, TimeUnit.SECONDS);
                    leave.await(5, TimeUnit.SECONDS);
                } finally {
                    lock.unlock(first, last, S);
                }
                return null;
            }));
        }
        inside.await(5, TimeUnit.SECONDS);
        assertEquals(threads, lock.size());
        assertEquals(0, lock.waiting());
        assertFalse(otherThreadCanTake(lock, 7, 7, X), "exclusive granted inside shared holders");
        assertFalse(otherThreadCanTake(lock, 0, 100, X), "exclusive granted over shared holders");
        assertTrue(otherThreadCanTake(lock, 7, 7, S), "shared refused among shared holders");
        assertTrue(otherThreadCanTake(lock, 100, 200, X), "disjoint exclusive refused");
        leave.await(5, TimeUnit.SECONDS);
        for (Future<?> w : workers) {
            w.get(5, TimeUnit.SECONDS);
        }
        assertEquals(0, lock.size());
        assertTrue(otherThreadCanTake(lock, 0, 1000, X));
    }

    @Test
    void exclusiveExcludesEveryOverlapAndDisjointExclusivesCoexist() throws Exception {
        RangeList lock = new RangeList();
        assertTrue(lock.lock(10, 20, X, Timeouts.TRY));
        for (long[] r : new long[][] {{10, 10}, {20, 20}, {0, 10}, {20, 30}, {15, 15}, {0, 100}, {12, 18}}) {
            assertFalse(otherThreadCanTake(lock, r[0], r[1], X), "exclusive " + r[0] + ".." + r[1]);
            assertFalse(otherThreadCanTake(lock, r[0], r[1], S), "shared " + r[0] + ".." + r[1]);
        }
        // Disjoint exclusive ranges on both sides, held at once by different threads.
        CyclicBarrier inside = new CyclicBarrier(3);
        CyclicBarrier leave = new CyclicBarrier(3);
        List<Future<?>> others = new ArrayList<>();
        for (long[] r : new long[][] {{0, 9}, {21, 40}}) {
            others.add(spawn(() -> {
                assertTrue(lock.lock(r[0], r[1], X, 5_000 * MS), "disjoint exclusive refused");
                inside.await(5, TimeUnit.SECONDS);
                leave.await(5, TimeUnit.SECONDS);
                lock.unlock(r[0], r[1], X);
                return null;
            }));
        }
        inside.await(5, TimeUnit.SECONDS);
        assertEquals(3, lock.size());
        leave.await(5, TimeUnit.SECONDS);
        for (Future<?> f : others) {
            f.get(5, TimeUnit.SECONDS);
        }
        lock.unlock(10, 20, X);
        assertEquals(0, lock.size());
        assertTrue(otherThreadCanTake(lock, 0, 100, X));
        lock.checkInvariants();
    }

    // ------------------------------------------------------------------ order among waiters

    @Test
    void requestsArrivingBehindAWaitingWriterWaitForIt() throws Exception {
        // The writer [10,20] waits for a shared holder of [15,15]. Later readers overlapping the
        // writer queue behind it, including one that starts before it (and so sits before it in
        // the list): the case where checking only successors, or only predecessors, goes wrong.
        RangeList lock = new RangeList();
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        assertTrue(lock.lock(15, 15, S, Timeouts.TRY));
        CountDownLatch writerIn = new CountDownLatch(1);
        CountDownLatch writerGo = new CountDownLatch(1);
        Future<?> writer = spawn(() -> {
            assertTrue(lock.lock(10, 20, X, Timeouts.FOREVER));
            order.add("writer");
            writerIn.countDown();
            writerGo.await();
            lock.unlock(10, 20, X);
            return null;
        });
        awaitTrue(() -> lock.waiting() == 1, "writer waiting");

        String before = lock.toString();
        assertFalse(lock.lock(12, 12, S, Timeouts.TRY), "shared request overtook a waiting writer");
        assertFalse(otherThreadCanTake(lock, 5, 12, S), "reader starting before the writer overtook it");
        assertFalse(otherThreadCanTake(lock, 18, 30, S));
        assertEquals(before, lock.toString(), "a failed try changed the list");
        assertTrue(otherThreadCanTake(lock, 0, 9, X), "a range disjoint from the writer was held up");
        assertTrue(otherThreadCanTake(lock, 21, 21, S));

        CountDownLatch readersIn = new CountDownLatch(2);
        List<Future<?>> readers = new ArrayList<>();
        for (long[] r : new long[][] {{5, 12}, {18, 30}}) {
            readers.add(spawn(() -> {
                assertTrue(lock.lock(r[0], r[1], S, Timeouts.FOREVER));
                order.add("reader");
                readersIn.countDown();
                lock.unlock(r[0], r[1], S);
                return null;
            }));
        }
        awaitTrue(() -> lock.waiting() == 3, "readers queued behind the writer");
        lock.unlock(15, 15, S);
        await(writerIn, "writer granted once the shared holder left");
        assertEquals(2, readersIn.getCount(), "a reader got in while the writer held");
        writerGo.countDown();
        await(readersIn, "readers granted once the writer left");
        writer.get(5, TimeUnit.SECONDS);
        for (Future<?> r : readers) {
            r.get(5, TimeUnit.SECONDS);
        }
        assertEquals(List.of("writer", "reader", "reader"), new ArrayList<>(order));
        assertEquals(0, lock.size());
    }

    @Test
    void overlappingWaitersAreGrantedInArrivalOrder() throws Exception {
        RangeList lock = new RangeList();
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        assertTrue(lock.lock(0, 0, X, Timeouts.TRY));
        int waiters = 6;
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            int id = i;
            Intent intent = i % 2 == 0 ? X : S;
            long last = i;
            futures.add(spawn(() -> {
                assertTrue(lock.lock(0, last, intent, Timeouts.FOREVER));
                order.add(id);
                lock.unlock(0, last, intent);
                return null;
            }));
            int expected = i + 1;
            awaitTrue(() -> lock.waiting() == expected, "waiter " + id + " queued");
        }
        lock.unlock(0, 0, X);
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.SECONDS);
        }
        // Each exclusive waiter excludes its neighbours, so arrival order is the only legal order
        // for 0,1,2 and 2,3,4 and 4,5; shared 1 and 3 cannot pass the exclusive ahead of them.
        assertEquals(List.of(0, 1, 2, 3, 4, 5), new ArrayList<>(order));
        assertEquals(0, lock.size());
    }

    @Test
    void aWaitingWriterIsNotStarvedByAStreamOfReaders() throws Exception {
        // Readers keep the writer's range busy without pause, some starting before it; without
        // queueing behind a waiting writer (the paper's rule: writers wait before inserting) the
        // writer would practically never see the range empty.
        RangeList lock = new RangeList();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicIntegerArray readersAt = new AtomicIntegerArray(48);
        AtomicLong reads = new AtomicLong();
        List<Future<?>> readers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            readers.add(spawn(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (!stop.get()) {
                    int first = rnd.nextInt(40);
                    int last = first + rnd.nextInt(6);
                    assertTrue(lock.lock(first, last, S, 20_000 * MS), "reader starved");
                    for (int p = first; p <= last; p++) {
                        readersAt.incrementAndGet(p);
                    }
                    LockSupport.parkNanos(20_000);
                    for (int p = first; p <= last; p++) {
                        readersAt.decrementAndGet(p);
                    }
                    lock.unlock(first, last, S);
                    reads.incrementAndGet();
                }
                return null;
            }));
        }
        try {
            awaitTrue(() -> reads.get() > 200, "readers running");
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                assertTrue(lock.lock(10, 30, X, 10_000 * MS), "writer starved for 10 s (round " + round + ")");
                long waited = System.nanoTime() - t0;
                for (int p = 10; p <= 30; p++) {
                    assertEquals(0, readersAt.get(p), "a reader inside the writer's range at page " + p);
                }
                LockSupport.parkNanos(MS);
                for (int p = 10; p <= 30; p++) {
                    assertEquals(0, readersAt.get(p), "a reader got into the writer's range at page " + p);
                }
                lock.unlock(10, 30, X);
                assertTrue(waited < 5_000 * MS, "writer waited " + waited / MS + " ms");
                Thread.sleep(2);
            }
        } finally {
            stop.set(true);
            for (Future<?> r : readers) {
                r.get(30, TimeUnit.SECONDS);
            }
        }
        assertEquals(0, lock.size());
    }

    // ------------------------------------------------------------------ TRY, timeout, interrupt

    @Test
    void failedTryLeavesNoTrace() throws Exception {
        RangeList lock = new RangeList();
        assertTrue(lock.lock(10, 20, X, Timeouts.TRY));
        assertTrue(lock.lock(30, 40, S, Timeouts.TRY));
        String before = lock.toString();
        for (long[] r : new long[][] {{15, 15}, {0, 10}, {20, 30}, {0, 100}}) {
            assertFalse(otherThreadCanTake(lock, r[0], r[1], S), "shared " + r[0] + ".." + r[1]);
            assertFalse(otherThreadCanTake(lock, r[0], r[1], X), "exclusive " + r[0] + ".." + r[1]);
            assertEquals(before, lock.toString(), "a failed try changed the list");
            assertEquals(2, lock.size());
            assertEquals(0, lock.waiting());
        }
        assertFalse(otherThreadCanTake(lock, 35, 35, X));
        assertTrue(otherThreadCanTake(lock, 35, 35, S));
        assertTrue(otherThreadCanTake(lock, 21, 29, X));
        lock.unlock(10, 20, X);
        lock.unlock(30, 40, S);
        assertEquals(0, lock.size());
        lock.checkInvariants();
    }

    @Test
    void timedOutWaiterLeavesAndLaterWaitersGetIn() throws Exception {
        RangeList lock = new RangeList();
        assertTrue(lock.lock(0, 10, S, Timeouts.TRY));
        long timeout = 300 * MS;
        AtomicLong waited = new AtomicLong();
        Future<Boolean> writer = pool.submit(() -> {
            long t0 = System.nanoTime();
            boolean got = lock.lock(0, 10, X, timeout);
            waited.set(System.nanoTime() - t0);
            return got;
        });
        awaitTrue(() -> lock.waiting() == 1, "writer waiting");
        CountDownLatch readerIn = new CountDownLatch(1);
        CountDownLatch readerGo = new CountDownLatch(1);
        Future<?> reader = spawn(() -> {
            assertTrue(lock.lock(3, 3, S, Timeouts.FOREVER));
            readerIn.countDown();
            readerGo.await();
            lock.unlock(3, 3, S);
            return null;
        });
        awaitTrue(() -> lock.waiting() == 2, "reader queued behind the writer");

        assertFalse(writer.get(5, TimeUnit.SECONDS), "writer got in while a shared holder held");
        assertTrue(waited.get() >= timeout, "gave up after only " + waited.get() + " ns");
        // The writer is gone, so the reader, which waited only for it, gets in although the
        // first shared holder still holds.
        await(readerIn, "reader after the writer timed out");
        assertEquals(2, lock.size());
        assertEquals(0, lock.waiting());
        readerGo.countDown();
        reader.get(5, TimeUnit.SECONDS);
        lock.unlock(0, 10, S);
        assertEquals(0, lock.size());
        assertTrue(otherThreadCanTake(lock, 0, 10, X));
    }

    @Test
    void tinyTimeoutFailsAndLeavesNothing() throws Exception {
        RangeList lock = new RangeList();
        assertTrue(lock.lock(5, 5, X, Timeouts.TRY));
        Future<Boolean> f = pool.submit(() -> lock.lock(5, 5, S, 1L));
        assertFalse(f.get(5, TimeUnit.SECONDS));
        assertEquals(1, lock.size());
        assertEquals(0, lock.waiting());
        lock.unlock(5, 5, X);
        assertTrue(otherThreadCanTake(lock, 5, 5, X));
    }

    @Test
    void interruptedWaiterLeavesAndLaterWaitersGetIn() throws Exception {
        RangeList lock = new RangeList();
        assertTrue(lock.lock(0, 10, S, Timeouts.TRY));
        AtomicReference<Thread> writerThread = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Future<Throwable> writer = pool.submit(() -> {
            writerThread.set(Thread.currentThread());
            try {
                lock.lock(2, 8, X, Timeouts.FOREVER);
                return null;
            } catch (InterruptedException e) {
                flagAfter.set(Thread.currentThread().isInterrupted());
                return e;
            }
        });
        awaitTrue(() -> lock.waiting() == 1, "writer waiting");
        CountDownLatch readerIn = new CountDownLatch(1);
        Future<?> reader = spawn(() -> {
            assertTrue(lock.lock(5, 20, S, Timeouts.FOREVER));
            readerIn.countDown();
            lock.unlock(5, 20, S);
            return null;
        });
        awaitTrue(() -> lock.waiting() == 2, "reader queued behind the writer");
        writerThread.get().interrupt();
        assertTrue(writer.get(5, TimeUnit.SECONDS) instanceof InterruptedException, "writer not interrupted");
        assertEquals(Boolean.FALSE, flagAfter.get(), "interrupt status left set after the exception");
        await(readerIn, "reader after the writer was interrupted");
        reader.get(5, TimeUnit.SECONDS);
        assertEquals(1, lock.size());
        assertEquals(0, lock.waiting());
        lock.unlock(0, 10, S);
        assertEquals(0, lock.size());
        assertTrue(otherThreadCanTake(lock, 0, 10, X), "lock not usable after the interrupted waiter");
    }

    @Test
    void aWaitIsCountedInLockStatistics() throws Exception {
        RangeList lock = new RangeList();
        assertTrue(lock.lock(0, 0, X, Timeouts.TRY));
        Future<Long> waiter = pool.submit(() -> {
            LockStat.Recorder r = LockStat.thread();
            long before = r.waitMark();
            assertTrue(lock.lock(0, 0, S, Timeouts.FOREVER));
            long waited = r.waitMark() - before;
            lock.unlock(0, 0, S);
            return waited;
        });
        awaitTrue(() -> lock.waiting() == 1, "waiter queued");
        Thread.sleep(20);
        lock.unlock(0, 0, X);
        long waited = waiter.get(5, TimeUnit.SECONDS);
        if (LockStat.on()) {
            assertTrue(waited >= 10 * MS, "a wait of about 20 ms was recorded as " + waited + " ns");
        }
    }

    // ------------------------------------------------------------------ several ranges per thread

    @Test
    void oneThreadHoldsSeveralRangesAndUnlocksThemInAnyOrder() throws Exception {
        RangeList lock = new RangeList();
        RangeList other = new RangeList();
        Random rnd = new Random(3);
        record R(long first, long last, Intent intent) {
        }
        List<R> ranges = List.of(new R(0, 0, S), new R(10, 20, X), new R(5, 5, S), new R(0, 0, S),
                new R(30, 30, X), new R(0, 3, S));
        for (int round = 0; round < 12; round++) {
            for (R r : ranges) {
                assertTrue(lock.lock(r.first, r.last, r.intent, Timeouts.TRY), "could not take " + r);
            }
            assertTrue(other.lock(10, 20, X, Timeouts.TRY), "a range on another list");
            assertEquals(ranges.size(), lock.heldByCurrentThread());
            assertEquals(1, other.heldByCurrentThread());
            List<R> held = new ArrayList<>(ranges);
            Collections.shuffle(held, rnd);
            while (!held.isEmpty()) {
                R r = held.remove(held.size() - 1);
                lock.unlock(r.first, r.last, r.intent);
                assertEquals(held.size(), lock.size());
                assertEquals(held.size(), lock.heldByCurrentThread());
                lock.checkInvariants();
                for (R h : held) {
                    assertFalse(otherThreadCanTake(lock, h.first, h.last, X), "lost " + h + " after releasing " + r);
                }
                boolean coveredByRest = held.stream().anyMatch(h -> h.first <= r.last && r.first <= h.last);
                assertEquals(!coveredByRest, otherThreadCanTake(lock, r.first, r.last, X), "released " + r);
            }
            assertEquals(1, other.size());
            other.unlock(10, 20, X);
            assertEquals(0, other.size());
        }
    }

    @Test
    void unlockingWhatIsNotHeldFails() throws Exception {
        RangeList lock = new RangeList();
        assertThrows(IllegalStateException.class, () -> lock.unlock(1, 1, S));
        assertTrue(lock.lock(1, 2, S, Timeouts.TRY));
        assertThrows(IllegalStateException.class, () -> lock.unlock(1, 2, X), "wrong intent");
        assertThrows(IllegalStateException.class, () -> lock.unlock(1, 1, S), "wrong range");
        assertThrows(IllegalStateException.class, () -> new RangeList().unlock(1, 2, S), "wrong list");
        Future<?> f = spawn(() -> {
            lock.unlock(1, 2, S);
            return null;
        });
        try {
            f.get(5, TimeUnit.SECONDS);
            fail("another thread released our range");
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof IllegalStateException, e.getCause().toString());
        }
        assertEquals(1, lock.size());
        lock.unlock(1, 2, S);
        assertEquals(0, lock.size());
        assertThrows(IllegalStateException.class, () -> lock.unlock(1, 2, S), "double unlock");
    }

    @Test
    void badArgumentsAreRejected() {
        RangeList lock = new RangeList();
        assertThrows(IllegalArgumentException.class, () -> lock.lock(5, 4, S, Timeouts.TRY));
        assertThrows(IllegalArgumentException.class, () -> lock.lock(-1, 4, S, Timeouts.TRY));
        assertThrows(IllegalArgumentException.class, () -> lock.lock(1, 1, S, -1));
        assertThrows(NullPointerException.class, () -> lock.lock(1, 1, null, Timeouts.TRY));
        assertEquals(0, lock.size());
    }

    // ------------------------------------------------------------------ liveness, allocation

    @Test
    void noLostWakeupsUnderHeavyContention() throws Exception {
        RangeList lock = new RangeList();
        int threads = 12;
        int iterations = 3000;
        AtomicLong done = new AtomicLong();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(spawn(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                for (int i = 0; i < iterations; i++) {
                    long first = rnd.nextInt(4);
                    long last = first + rnd.nextInt(3);
                    Intent intent = rnd.nextInt(3) == 0 ? X : S;
                    // Generous deadline: a lost wake-up shows up as a false here instead of a hang.
                    if (!lock.lock(first, last, intent, 4_000 * MS)) {
                        throw new AssertionError("waited 4 s for [" + first + "," + last + "] " + intent + ": " + lock);
                    }
                    lock.unlock(first, last, intent);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(40, TimeUnit.SECONDS);
        }
        assertEquals((long) threads * iterations, done.get());
        assertEquals(0, lock.size());
        assertEquals(0, lock.waiting());
    }

    @Test
    void lockAndUnlockDoNotAllocateAfterWarmUp() throws Exception {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) {
            org.junit.jupiter.api.Assumptions.abort("no per-thread allocation counter in this JVM");
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        RangeList lock = new RangeList();
        // Other holders, so walks have something to pass, and both modes.
        assertTrue(lock.lock(100, 200, S, Timeouts.TRY));
        assertTrue(lock.lock(300, 300, X, Timeouts.TRY));
        int n = 200_000;
        long allocated = -1;
        long seed = 42;
        for (int round = 0; round < 6; round++) {
            // Rounds alternate ascending single pages and random short ranges: deleted nodes are
            // then unlinked (and become reusable) in an order other than their deletion order.
            boolean random = (round & 1) == 1;
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                seed = seed * 6364136223846793005L + 1442695040888963407L; // no Random: no allocation
                long p = random ? (seed >>> 33) & 1023 : i & 1023;
                long q = random ? Math.min(1023, p + ((seed >>> 20) & 3)) : p;
                if (p <= 300 && 300 <= q) {
                    continue;
                }
                Intent intent = (i & 7) == 0 && (q < 100 || p > 200) ? X : S;
                assertTrue(lock.lock(p, q, intent, Timeouts.FOREVER));
                lock.unlock(p, q, intent);
            }
            allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round >= 4) {
                // A node per call would be about 19 MB; allow the counter's own noise.
                assertTrue(allocated < 4096, "allocated " + allocated + " bytes over " + n
                        + (random ? " random" : " ascending") + " lock/unlock pairs");
            }
        }
        lock.unlock(100, 200, S);
        lock.unlock(300, 300, X);
        assertEquals(0, lock.size());
    }
}
