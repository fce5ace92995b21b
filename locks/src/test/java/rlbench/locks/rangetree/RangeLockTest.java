package rlbench.locks.rangetree;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rlbench.locks.Intent;
import rlbench.locks.wait.Timeouts;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class RangeLockTest {

    private static final Intent S = Intent.SHARED;
    private static final Intent X = Intent.EXCLUSIVE;
    private static final long MS = 1_000_000L;

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "range-lock-test");
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
    private boolean otherThreadCanTake(RangeLock lock, long first, long last, Intent intent) throws Exception {
        return pool.submit(() -> {
            if (lock.lock(first, last, intent, Timeouts.TRY)) {
                lock.unlock(first, last, intent);
                return true;
            }
            return false;
        }).get(5, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ exclusion and sharing

    @Test
    void conflictingHoldersNeverOverlap() throws Exception {
        RangeLock lock = new RangeLock();
        int pages = 64;
        int threads = 8;
        int iterations = 4000;
        AtomicIntegerArray shared = new AtomicIntegerArray(pages);
        AtomicIntegerArray exclusive = new AtomicIntegerArray(pages);
        AtomicInteger violations = new AtomicInteger();
        AtomicLong acquired = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(spawn(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                start.await(5, TimeUnit.SECONDS);
                for (int i = 0; i < iterations; i++) {
                    int first = rnd.nextInt(pages);
                    int last = Math.min(pages - 1, first + rnd.nextInt(8));
                    Intent intent = rnd.nextInt(10) < 6 ? X : S;
                    int mode = rnd.nextInt(4);
                    long timeout = mode == 0 ? Timeouts.TRY : mode == 1 ? 20_000L : Timeouts.FOREVER;
                    if (!lock.lock(first, last, intent, timeout)) {
                        refused.incrementAndGet();
                        continue;
                    }
                    acquired.incrementAndGet();
                    for (int p = first; p <= last; p++) {
                        if (intent == X) {
                            if (exclusive.incrementAndGet(p) != 1 || shared.get(p) != 0) {
                                violations.incrementAndGet();
                            }
                        } else if (shared.incrementAndGet(p) < 1 || exclusive.get(p) != 0) {
                            violations.incrementAndGet();
                        }
                    }
                    for (int spin = rnd.nextInt(50); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                    for (int p = first; p <= last; p++) {
                        if (intent == X) {
                            if (exclusive.decrementAndGet(p) != 0 || shared.get(p) != 0) {
                                violations.incrementAndGet();
                            }
                        } else if (shared.decrementAndGet(p) < 0 || exclusive.get(p) != 0) {
                            violations.incrementAndGet();
                        }
                    }
                    lock.unlock(first, last, intent);
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get(15, TimeUnit.SECONDS);
        }
        assertEquals(0, violations.get(), "conflicting ranges held at the same time");
        assertTrue(refused.get() > 0, "the test never saw a conflict, so it proved nothing");
        assertEquals((long) threads * iterations, acquired.get() + refused.get());
        assertEquals(0, lock.size(), "ranges left in the tree: " + lock);
        assertEquals(0, lock.waiting());
        lock.checkInvariants();
    }

    @Test
    void sharedHoldersOfOverlappingRangesCoexist() throws Exception {
        RangeLock lock = new RangeLock();
        int threads = 6;
        // Every thread plus this one meets inside the critical section: impossible unless all six
        // shared ranges (all covering pages 5..10) are held at once.
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
        assertTrue(otherThreadCanTake(lock, 7, 7, S), "shared refused among shared holders");
        assertTrue(otherThreadCanTake(lock, 100, 200, X), "disjoint exclusive refused");
        leave.await(5, TimeUnit.SECONDS);
        for (Future<?> w : workers) {
            w.get(5, TimeUnit.SECONDS);
        }
        assertEquals(0, lock.size());
        assertTrue(otherThreadCanTake(lock, 0, 1000, X));
    }

    // ------------------------------------------------------------------ FIFO

    @Test
    void sharedRequestBehindAWaitingExclusiveWaitsForIt() throws Exception {
        RangeLock lock = new RangeLock();
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        assertTrue(lock.lock(0, 10, S, Timeouts.TRY));

        CountDownLatch writerIn = new CountDownLatch(1);
        CountDownLatch writerGo = new CountDownLatch(1);
        Future<?> writer = spawn(() -> {
            assertTrue(lock.lock(5, 15, X, Timeouts.FOREVER));
            order.add("writer");
            writerIn.countDown();
            writerGo.await();
            lock.unlock(5, 15, X);
            return null;
        });
        awaitTrue(() -> lock.waiting() == 1, "writer waiting");

        // Compatible with the granted shared range, but behind the waiting writer: refused.
        String before = lock.toString();
        assertFalse(lock.lock(8, 8, S, Timeouts.TRY), "shared request overtook a waiting writer");
        assertFalse(otherThreadCanTake(lock, 15, 15, S));
        assertEquals(before, lock.toString());
        // A range not overlapping the writer is not held up by it.
        assertTrue(otherThreadCanTake(lock, 0, 4, S));
        assertTrue(otherThreadCanTake(lock, 16, 16, X));

        CountDownLatch readerIn = new CountDownLatch(1);
        Future<?> reader = spawn(() -> {
            assertTrue(lock.lock(8, 8, S, Timeouts.FOREVER));
            order.add("reader");
            readerIn.countDown();
            lock.unlock(8, 8, S);
            return null;
        });
        awaitTrue(() -> lock.waiting() == 2, "reader waiting behind writer");

        lock.unlock(0, 10, S);
        await(writerIn, "writer granted once the shared holder left");
        assertEquals(1, readerIn.getCount(), "reader granted while the writer holds");
        assertEquals(1, lock.waiting());
        writerGo.countDown();
        await(readerIn, "reader granted once the writer left");
        writer.get(5, TimeUnit.SECONDS);
        reader.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("writer", "reader"), new ArrayList<>(order));
        assertEquals(0, lock.size());
    }

    @Test
    void overlappingWaitersAreGrantedInArrivalOrder() throws Exception {
        RangeLock lock = new RangeLock();
        ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        assertTrue(lock.lock(0, 0, X, Timeouts.TRY));
        int waiters = 6;
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < waiters; i++) {
            int id = i;
            // Alternate exclusive and shared, with ranges that all contain page 0.
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

    // ------------------------------------------------------------------ TRY, timeout, interrupt

    @Test
    void failedTryLeavesNoTrace() throws Exception {
        RangeLock lock = new RangeLock();
        assertTrue(lock.lock(10, 20, X, Timeouts.TRY));
        assertTrue(lock.lock(30, 40, S, Timeouts.TRY));
        String before = lock.toString(); // nodes with sequence numbers, next sequence number
        for (long[] r : new long[][] {{15, 15}, {0, 10}, {20, 30}, {0, 100}}) {
            assertFalse(otherThreadCanTake(lock, r[0], r[1], S), "shared " + r[0] + ".." + r[1]);
            assertFalse(otherThreadCanTake(lock, r[0], r[1], X), "exclusive " + r[0] + ".." + r[1]);
            assertEquals(before, lock.toString(), "a failed try changed the lock");
            assertEquals(2, lock.size());
            assertEquals(0, lock.waiting());
        }
        assertTrue(otherThreadCanTake(lock, 35, 35, S));
        assertTrue(otherThreadCanTake(lock, 21, 29, X));
        lock.unlock(10, 20, X);
        lock.unlock(30, 40, S);
        assertEquals(0, lock.size());
        lock.checkInvariants();
    }

    @Test
    void timedOutWaiterLeavesAndLaterWaitersGetIn() throws Exception {
        RangeLock lock = new RangeLock();
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
        RangeLock lock = new RangeLock();
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
        RangeLock lock = new RangeLock();
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
    }

    @Test
    void timedOutExclusiveInAChainUnblocksTheNextExclusive() throws Exception {
        // holder X -> waiter A (X, times out) -> waiter B (X, disjoint from the holder, overlaps A)
        RangeLock lock = new RangeLock();
        assertTrue(lock.lock(0, 4, X, Timeouts.TRY));
        Future<Boolean> a = pool.submit(() -> lock.lock(4, 8, X, 200 * MS));
        awaitTrue(() -> lock.waiting() == 1, "A waiting");
        Future<Boolean> b = pool.submit(() -> {
            boolean got = lock.lock(6, 9, X, 5_000 * MS);
            if (got) {
                lock.unlock(6, 9, X);
            }
            return got;
        });
        awaitTrue(() -> lock.waiting() == 2, "B waiting");
        assertFalse(a.get(5, TimeUnit.SECONDS));
        assertTrue(b.get(5, TimeUnit.SECONDS), "B stayed blocked by a waiter that had left");
        assertEquals(1, lock.size());
        lock.unlock(0, 4, X);
        assertEquals(0, lock.size());
    }

    // ------------------------------------------------------------------ several ranges per thread

    @Test
    void oneThreadHoldsSeveralRangesAndUnlocksThemInAnyOrder() throws Exception {
        RangeLock lock = new RangeLock();
        RangeLock other = new RangeLock();
        Random rnd = new Random(3);
        record R(long first, long last, Intent intent) {
        }
        List<R> ranges = List.of(new R(0, 0, S), new R(10, 20, X), new R(5, 5, S), new R(0, 0, S),
                new R(30, 30, X), new R(0, 3, S));
        for (int round = 0; round < 12; round++) {
            for (R r : ranges) {
                assertTrue(lock.lock(r.first, r.last, r.intent, Timeouts.TRY), "could not take " + r);
            }
            assertTrue(other.lock(10, 20, X, Timeouts.TRY), "a range on another lock");
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
                // Whatever is still held is still held; what was released and overlaps nothing
                // still held is free.
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
        RangeLock lock = new RangeLock();
        assertThrows(IllegalMonitorStateException.class, () -> lock.unlock(1, 1, S));
        assertTrue(lock.lock(1, 2, S, Timeouts.TRY));
        assertThrows(IllegalMonitorStateException.class, () -> lock.unlock(1, 2, X), "wrong intent");
        assertThrows(IllegalMonitorStateException.class, () -> lock.unlock(1, 1, S), "wrong range");
        assertThrows(IllegalMonitorStateException.class, () -> new RangeLock().unlock(1, 2, S), "wrong lock");
        Future<?> f = spawn(() -> {
            lock.unlock(1, 2, S);
            return null;
        });
        try {
            f.get(5, TimeUnit.SECONDS);
            fail("another thread released our range");
        } catch (java.util.concurrent.ExecutionException e) {
            assertTrue(e.getCause() instanceof IllegalMonitorStateException, e.getCause().toString());
        }
        assertEquals(1, lock.size());
        lock.unlock(1, 2, S);
        assertEquals(0, lock.size());
        assertThrows(IllegalMonitorStateException.class, () -> lock.unlock(1, 2, S), "double unlock");
    }

    @Test
    void badArgumentsAreRejected() {
        RangeLock lock = new RangeLock();
        assertThrows(IllegalArgumentException.class, () -> lock.lock(5, 4, S, Timeouts.TRY));
        assertThrows(IllegalArgumentException.class, () -> lock.lock(1, 1, S, -1));
        assertThrows(NullPointerException.class, () -> lock.lock(1, 1, null, Timeouts.TRY));
        assertEquals(0, lock.size());
    }

    // ------------------------------------------------------------------ liveness, allocation

    @Test
    void noLostWakeupsUnderHeavyContention() throws Exception {
        RangeLock lock = new RangeLock();
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
            w.get(15, TimeUnit.SECONDS);
        }
        assertEquals((long) threads * iterations, done.get());
        assertEquals(0, lock.size());
        assertEquals(0, lock.waiting());
    }

    @Test
    void uncontendedLockAndUnlockDoNotAllocate() throws Exception {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) {
            org.junit.jupiter.api.Assumptions.abort("no per-thread allocation counter in this JVM");
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        RangeLock lock = new RangeLock();
        // Some other holders, so the tree has depth and the unlock has something to visit.
        assertTrue(lock.lock(100, 200, S, Timeouts.TRY));
        assertTrue(lock.lock(300, 300, X, Timeouts.TRY));
        int n = 200_000;
        for (int round = 0; round < 3; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                long p = i & 1023;
                if (p == 300) {
                    continue;
                }
                lock.lock(p, p, S, Timeouts.TRY);
                lock.unlock(p, p, S);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                // One 32-byte node per call would be 6.4 MB; allow the counter's own noise.
                assertTrue(allocated < 4096, "allocated " + allocated + " bytes over " + n + " lock/unlock pairs");
            }
        }
        lock.unlock(100, 200, S);
        lock.unlock(300, 300, X);
        assertEquals(0, lock.size());
    }
}
