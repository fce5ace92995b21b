package rlbench.locks.rwsem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rlbench.locks.Intent;
import rlbench.locks.wait.Timeouts;

/**
 * Order, sharing, handoff and cancellation shown by behaviour: threads are queued one by one
 * (waiting on {@link RwSemaphore#queuedThreads()}), and the handoff timeout is 0 or
 * {@link Long#MAX_VALUE}, so no assertion depends on how long anything took.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RwSemaphoreTest {

    private static final Intent S = Intent.SHARED;
    private static final Intent X = Intent.EXCLUSIVE;
    private static final long MS = 1_000_000L;
    private static final long NEVER = Long.MAX_VALUE;

    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "rwsem-test");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private <T> Future<T> spawn(Callable<T> body) {
        return pool.submit(body);
    }

    /** Polls (no fixed sleep) until the condition holds; fails after 10 s. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 10_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out waiting for: " + what);
    }

    private void awaitQueued(RwSemaphore sem, int n, String who) {
        awaitTrue(() -> sem.queuedThreads() == n, who + " queued (" + n + " waiting)");
    }

    /** Whether another thread could take {@code intent} right now (it gives it back at once). */
    private boolean otherThreadCanTake(RwSemaphore sem, Intent intent) throws Exception {
        return spawn(() -> {
            if (sem.tryLock(intent)) {
                sem.release(intent);
                return true;
            }
            return false;
        }).get(10, TimeUnit.SECONDS);
    }

    private static void assertIdle(RwSemaphore sem) {
        assertEquals(0, sem.queuedThreads(), "waiters left: " + sem);
        assertFalse(sem.handoffPending(), "handoff flag left: " + sem);
        assertEquals("RwSemaphore[readers=0, queued=0]", sem.toString());
        assertTrue(sem.tryLock(X), "free semaphore refused a writer: " + sem);
        sem.release(X);
    }

    // ------------------------------------------------------------------ exclusion and sharing

    /** Shared state of the stress test; {@code plain} is deliberately not atomic. */
    private static final class Room {
        final AtomicInteger writers = new AtomicInteger();
        final AtomicInteger readers = new AtomicInteger();
        final AtomicInteger maxReaders = new AtomicInteger();
        final AtomicInteger violations = new AtomicInteger();
        long plain;
    }

    @ParameterizedTest(name = "handoffNanos={0}")
    @ValueSource(longs = {0L, RwSemaphore.DEFAULT_HANDOFF_NANOS, NEVER})
    void stressMoreThreadsThanCores(long handoffNanos) throws Exception {
        RwSemaphore sem = new RwSemaphore(handoffNanos);
        Room room = new Room();
        int threads = 8; // this machine has 2 cores
        long end = System.nanoTime() + 2_000 * MS;
        AtomicLong exclusiveGrants = new AtomicLong();
        AtomicLong sharedGrants = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong interrupted = new AtomicLong();
        AtomicReferenceArray<Thread> workers = new AtomicReferenceArray<>(threads);
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            futures.add(spawn(() -> {
                workers.set(id, Thread.currentThread());
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                start.await(10, TimeUnit.SECONDS);
                while (System.nanoTime() - end < 0) {
                    Thread.interrupted(); // forget the interrupter's pokes between rounds
                    Intent intent = rnd.nextInt(10) < 6 ? S : X;
                    boolean got;
                    try {
                        switch (rnd.nextInt(5)) {
                            case 0 -> got = sem.tryLock(intent);
                            case 1 -> got = sem.acquire(intent, Timeouts.TRY);
                            case 2 -> got = sem.acquire(intent, 1 + rnd.nextInt(200_000));
                            case 3 -> got = sem.acquire(intent, Timeouts.FOREVER);
                            default -> {
                                sem.lock(intent);
                                got = true;
                            }
                        }
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        continue;
                    }
                    if (!got) {
                        refused.incrementAndGet();
                        continue;
                    }
                    if (intent == X) {
                        exclusiveGrants.incrementAndGet();
                        if (room.writers.incrementAndGet() != 1 || room.readers.get() != 0) {
                            room.violations.incrementAndGet();
                        }
                        room.plain++;
                    } else {
                        sharedGrants.incrementAndGet();
                        int r = room.readers.incrementAndGet();
                        room.maxReaders.accumulateAndGet(r, Math::max);
                        if (room.writers.get() != 0) {
                            room.violations.incrementAndGet();
                        }
                    }
                    for (int spin = rnd.nextInt(200); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                    if (intent == X) {
                        if (room.writers.decrementAndGet() != 0 || room.readers.get() != 0) {
                            room.violations.incrementAndGet();
                        }
                    } else if (room.readers.decrementAndGet() < 0 || room.writers.get() != 0) {
                        room.violations.incrementAndGet();
                    }
                    sem.release(intent);
                }
                return null;
            }));
        }
        // Interrupts land anywhere: in waits (timed, untimed, deaf), in critical sections, idle.
        Future<?> interrupter = spawn(() -> {
            start.await(10, TimeUnit.SECONDS);
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (System.nanoTime() - end < 0) {
                LockSupport.parkNanos(50_000 + rnd.nextInt(200_000));
                workers.get(rnd.nextInt(threads)).interrupt();
            }
            return null;
        });
        interrupter.get(30, TimeUnit.SECONDS);
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS); // a lost wake-up hangs a waiter and fails here
        }
        assertEquals(0, room.violations.get(), "a writer overlapped another holder");
        assertEquals(exclusiveGrants.get(), room.plain, "a writer's update was lost");
        assertTrue(room.maxReaders.get() >= 2, "readers never shared the lock");
        assertTrue(refused.get() > 0, "nothing was ever refused: no contention, nothing proved");
        assertTrue(exclusiveGrants.get() > 0 && sharedGrants.get() > 0);
        assertIdle(sem);
    }

    @Test
    void readersHoldTogether() throws Exception {
        RwSemaphore sem = new RwSemaphore();
        int readers = 5;
        CyclicBarrier inside = new CyclicBarrier(readers + 1);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            int mode = i % 3;
            futures.add(spawn(() -> {
                if (mode == 0) {
                    sem.lock(S);
                } else {
                    assertTrue(mode == 1 ? sem.tryLock(S) : sem.acquire(S, Timeouts.FOREVER));
                }
                inside.await(10, TimeUnit.SECONDS); // only if all readers are in at once
                inside.await(10, TimeUnit.SECONDS);
                sem.release(S);
                return null;
            }));
        }
        inside.await(10, TimeUnit.SECONDS);
        assertEquals("RwSemaphore[readers=" + readers + ", queued=0]", sem.toString());
        assertFalse(otherThreadCanTake(sem, X), "writer admitted among readers");
        assertTrue(otherThreadCanTake(sem, S));
        inside.await(10, TimeUnit.SECONDS);
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertIdle(sem);
    }

    @Test
    void writerExcludesEveryone() throws Exception {
        RwSemaphore sem = new RwSemaphore();
        sem.lock(X);
        assertFalse(otherThreadCanTake(sem, X));
        assertFalse(otherThreadCanTake(sem, S));
        assertFalse(spawn(() -> sem.acquire(S, 1L)).get(10, TimeUnit.SECONDS));
        assertFalse(spawn(() -> sem.acquire(X, 1L)).get(10, TimeUnit.SECONDS));
        sem.release(X);
        assertIdle(sem);
    }

    // ------------------------------------------------------------------ FIFO

    @Test
    void waitersAreGrantedInArrivalOrder() throws Exception {
        RwSemaphore sem = new RwSemaphore(NEVER);
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        sem.lock(X);
        List<Future<?>> futures = new ArrayList<>();
        String[] names = {"W1", "R1", "W2"};
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            Intent intent = name.charAt(0) == 'W' ? X : S;
            futures.add(spawn(() -> {
                sem.lock(intent);
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                order.add(name);
                for (int spin = 0; spin < 10_000; spin++) {
                    Thread.onSpinWait();
                }
                inside.decrementAndGet();
                sem.release(intent);
                return null;
            }));
            awaitQueued(sem, i + 1, name);
        }
        sem.release(X);
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of("W1", "R1", "W2"), new ArrayList<>(order));
        assertEquals(0, overlaps.get());
        assertIdle(sem);
    }

    @Test
    void newReaderDoesNotPassAQueuedWriter() throws Exception {
        RwSemaphore sem = new RwSemaphore(NEVER);
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        sem.lock(S); // readers own the lock, so a reader would be compatible with it
        Future<?> writer = spawn(() -> {
            sem.lock(X);
            order.add("W");
            sem.release(X);
            return null;
        });
        awaitQueued(sem, 1, "writer");
        String before = sem.toString();
        assertFalse(otherThreadCanTake(sem, S), "tryLock(SHARED) passed a queued writer");
        assertFalse(spawn(() -> sem.acquire(S, Timeouts.TRY)).get(10, TimeUnit.SECONDS));
        assertEquals(before, sem.toString(), "a failed try changed the semaphore");
        Future<?> reader = spawn(() -> {
            assertTrue(sem.acquire(S, Timeouts.FOREVER));
            order.add("R");
            sem.release(S);
            return null;
        });
        awaitQueued(sem, 2, "blocking reader behind the writer");
        assertTrue(order.isEmpty(), "someone got in while the first reader held: " + order);
        sem.release(S);
        writer.get(10, TimeUnit.SECONDS);
        reader.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("W", "R"), new ArrayList<>(order));
        assertIdle(sem);
    }

    // ------------------------------------------------------------------ readers woken together

    @Test
    void queuedReadersAreWokenTogetherEvenBehindAWriter() throws Exception {
        RwSemaphore sem = new RwSemaphore(NEVER);
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        AtomicInteger readersIn = new AtomicInteger();
        AtomicBoolean writerMetReader = new AtomicBoolean();
        CyclicBarrier bothReadersIn = new CyclicBarrier(2);
        CountDownLatch readersGo = new CountDownLatch(1);
        sem.lock(X);
        List<Future<?>> futures = new ArrayList<>();
        // Queue R1, W, R2: the kernel's rwsem_mark_wake grants every queued reader (up to 256)
        // once a reader is first, skipping the writer between them.
        for (String name : List.of("R1", "W", "R2")) {
            boolean reader = name.charAt(0) == 'R';
            futures.add(spawn(() -> {
                if (reader) {
                    sem.lock(S);
                    readersIn.incrementAndGet();
                    order.add(name);
                    bothReadersIn.await(10, TimeUnit.SECONDS); // both hold the lock at once
                    readersGo.await();
                    readersIn.decrementAndGet();
                    sem.release(S);
                } else {
                    sem.lock(X);
                    writerMetReader.set(readersIn.get() != 0);
                    order.add(name);
                    sem.release(X);
                }
                return null;
            }));
            awaitQueued(sem, futures.size(), name);
        }
        sem.release(X);
        awaitTrue(() -> readersIn.get() == 2, "both readers inside");
        assertEquals(1, sem.queuedThreads(), "the writer stays queued: " + sem);
        assertFalse(order.contains("W"));
        readersGo.countDown();
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals("W", new ArrayList<>(order).get(2));
        assertFalse(writerMetReader.get());
        assertIdle(sem);
    }

    @Test
    void oneWakeUpGrantsAtMost256Readers() throws Exception {
        RwSemaphore sem = new RwSemaphore(NEVER);
        int readers = RwSemaphore.MAX_READERS_WAKEUP + 4;
        AtomicInteger inside = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        sem.lock(X);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            futures.add(spawn(() -> {
                sem.lock(S);
                inside.incrementAndGet();
                go.await();
                sem.release(S);
                return null;
            }));
        }
        awaitQueued(sem, readers, "all readers");
        sem.release(X);
        awaitTrue(() -> inside.get() == RwSemaphore.MAX_READERS_WAKEUP, "the first 256 readers inside");
        // Nothing else wakes the rest until the readers inside leave.
        assertEquals(4, sem.queuedThreads(), sem.toString());
        go.countDown();
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals(readers, inside.get());
        assertIdle(sem);
    }

    // ------------------------------------------------------------------ handoff and stealing

    @Test
    void handoffReservesTheLockForTheFirstWaiter() throws Exception {
        RwSemaphore sem = new RwSemaphore(0L); // hand off as soon as the waiter finds it held
        for (int round = 0; round < 20; round++) {
            sem.lock(X);
            CountDownLatch in = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean handoffWhileHeld = new AtomicBoolean(true);
            Future<?> waiter = spawn(() -> {
                sem.lock(X);
                handoffWhileHeld.set(sem.handoffPending());
                in.countDown();
                go.await();
                sem.release(X);
                return null;
            });
            awaitTrue(() -> sem.queuedThreads() == 1 && sem.handoffPending(), "writer queued, handoff set");
            sem.release(X);
            // Free or not, the lock is the waiter's now: neither mode may be had by anyone else.
            assertFalse(sem.tryLock(X), "round " + round + ": a writer stole a handed-off lock");
            assertFalse(sem.tryLock(S), "round " + round + ": a reader stole a handed-off lock");
            await(in, "the waiter gets the lock");
            assertFalse(handoffWhileHeld.get(), "taking the lock leaves the handoff flag set");
            go.countDown();
            waiter.get(10, TimeUnit.SECONDS);
        }
        assertIdle(sem);
    }

    @Test
    void withoutHandoffAWriterMayStealFromAQueuedWaiter() throws Exception {
        RwSemaphore sem = new RwSemaphore(NEVER);
        int steals = 0;
        for (int round = 0; round < 200 && steals == 0; round++) {
            sem.lock(X);
            CountDownLatch in = new CountDownLatch(1);
            CountDownLatch go = new CountDownLatch(1);
            Future<?> waiter = spawn(() -> {
                sem.lock(X);
                in.countDown();
                go.await(); // hold it, so a successful tryLock below cannot be a free lock
                sem.release(X);
                return null;
            });
            awaitQueued(sem, 1, "writer");
            assertFalse(sem.handoffPending());
            sem.release(X);
            if (sem.tryLock(X)) { // free, waiter woken but not yet running: steal it
                steals++;
                assertEquals(1, in.getCount(), "the waiter got in while the thief held the lock");
                assertEquals(1, sem.queuedThreads(), "the robbed waiter left the queue");
                sem.release(X);
            }
            await(in, "the waiter gets the lock after all");
            go.countDown();
            waiter.get(10, TimeUnit.SECONDS);
        }
        assertTrue(steals > 0, "never stole a free lock from a queued waiter");
        assertIdle(sem);
    }

    @Test
    void firstReaderFindingAWriterInTheLockAsksForAHandoff() throws Exception {
        // rwsem_mark_wake, reader first, a writer holding: it asks for the handoff once the reader
        // has waited long enough (here at once). Reached deterministically when the writer ahead
        // of the reader gives up while this thread still holds the lock.
        RwSemaphore sem = new RwSemaphore(0L);
        sem.lock(X);
        AtomicReference<Thread> w = new AtomicReference<>();
        Future<Throwable> writer = spawn(() -> {
            w.set(Thread.currentThread());
            try {
                sem.acquire(X, Timeouts.FOREVER);
                return null;
            } catch (InterruptedException e) {
                return e;
            }
        });
        awaitTrue(() -> sem.queuedThreads() == 1 && sem.handoffPending(), "writer queued, handoff set");
        CountDownLatch readerIn = new CountDownLatch(1);
        Future<?> reader = spawn(() -> {
            sem.lock(S);
            readerIn.countDown();
            sem.release(S);
            return null;
        });
        awaitQueued(sem, 2, "reader behind the writer");
        w.get().interrupt();
        assertTrue(writer.get(10, TimeUnit.SECONDS) instanceof InterruptedException);
        awaitQueued(sem, 1, "the reader alone");
        // The writer's own flag went with it; this one is the reader's, set by the wake-up that
        // found this thread's writer bit.
        assertTrue(sem.handoffPending(), "first reader found a writer and asked for no handoff: " + sem);
        assertFalse(otherThreadCanTake(sem, X));
        assertEquals(1, readerIn.getCount());
        sem.release(X);
        await(readerIn, "the reader, once the writer left");
        reader.get(10, TimeUnit.SECONDS);
        assertIdle(sem);
    }

    // ------------------------------------------------------------------ giving up

    @Test
    void timedOutWriterUnblocksTheReadersQueuedBehindIt() throws Exception {
        RwSemaphore sem = new RwSemaphore(0L);
        sem.lock(S);
        Future<Boolean> writer = spawn(() -> sem.acquire(X, 2_000 * MS));
        awaitTrue(() -> sem.queuedThreads() == 1 && sem.handoffPending(), "writer queued, handoff set");
        CountDownLatch readerIn = new CountDownLatch(1);
        CountDownLatch readerGo = new CountDownLatch(1);
        Future<?> reader = spawn(() -> {
            sem.lock(S);
            readerIn.countDown();
            readerGo.await();
            sem.release(S);
            return null;
        });
        awaitQueued(sem, 2, "reader behind the writer");
        assertFalse(writer.get(10, TimeUnit.SECONDS), "writer got in while a reader held");
        // The reader waited only for the writer: it gets in although the first reader still holds.
        await(readerIn, "reader after the writer timed out");
        assertEquals(0, sem.queuedThreads());
        assertFalse(sem.handoffPending(), "the departed writer's handoff is still set");
        assertEquals("RwSemaphore[readers=2, queued=0]", sem.toString());
        readerGo.countDown();
        reader.get(10, TimeUnit.SECONDS);
        sem.release(S);
        assertIdle(sem);
    }

    @Test
    void interruptedWriterUnblocksTheReadersQueuedBehindIt() throws Exception {
        RwSemaphore sem = new RwSemaphore(NEVER);
        sem.lock(S);
        AtomicReference<Thread> writerThread = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean(true);
        Future<Throwable> writer = spawn(() -> {
            writerThread.set(Thread.currentThread());
            try {
                sem.acquire(X, Timeouts.FOREVER);
                return null;
            } catch (InterruptedException e) {
                flagAfter.set(Thread.currentThread().isInterrupted());
                return e;
            }
        });
        awaitQueued(sem, 1, "writer");
        // R1, then W2, then R2 behind the writer that will give up.
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        CountDownLatch readersGo = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (String name : List.of("R1", "W2", "R2")) {
            Intent intent = name.charAt(0) == 'R' ? S : X;
            futures.add(spawn(() -> {
                sem.lock(intent);
                order.add(name);
                if (intent == S) {
                    readersGo.await();
                }
                sem.release(intent);
                return null;
            }));
            awaitQueued(sem, futures.size() + 1, name);
        }
        writerThread.get().interrupt();
        assertTrue(writer.get(10, TimeUnit.SECONDS) instanceof InterruptedException, "writer not interrupted");
        assertFalse(flagAfter.get(), "interrupt status left set after the exception");
        awaitTrue(() -> order.size() == 2, "both readers in after the writer left");
        assertEquals(1, sem.queuedThreads(), "W2 stays queued: " + sem);
        readersGo.countDown();
        sem.release(S);
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        assertEquals("W2", new ArrayList<>(order).get(2));
        assertIdle(sem);
    }

    @Test
    void waiterThatGivesUpTakesItsHandoffWithIt() throws Exception {
        // The kernel leaves FLAG_HANDOFF to the next first waiter; here it leaves with the waiter
        // that set it. W1 has waited past the handoff timeout, W2 has not (and cannot have by the
        // time it next runs: it is woken once, at W1's departure, and then sleeps).
        long handoff = 2_000 * MS;
        RwSemaphore sem = new RwSemaphore(handoff);
        sem.lock(S);
        AtomicReference<Thread> w1 = new AtomicReference<>();
        Future<Throwable> first = spawn(() -> {
            w1.set(Thread.currentThread());
            try {
                sem.acquire(X, Timeouts.FOREVER);
                return null;
            } catch (InterruptedException e) {
                return e;
            }
        });
        awaitQueued(sem, 1, "W1");
        long w1QueuedBy = System.nanoTime();
        awaitTrue(() -> System.nanoTime() - w1QueuedBy > handoff + 50 * MS, "W1 due for a handoff");
        assertFalse(sem.handoffPending(), "a sleeping waiter set the flag without being woken");
        CountDownLatch w2In = new CountDownLatch(1);
        Future<?> second = spawn(() -> {
            sem.lock(X);
            w2In.countDown();
            sem.release(X);
            return null;
        });
        awaitQueued(sem, 2, "W2");
        // Woken by the interrupt, W1 tries once more (the lock is held: it sets the handoff flag,
        // being due), then leaves.
        w1.get().interrupt();
        assertTrue(first.get(10, TimeUnit.SECONDS) instanceof InterruptedException);
        awaitQueued(sem, 1, "W2 alone");
        assertFalse(sem.handoffPending(), "W1's handoff outlived it: " + sem);
        sem.release(S);
        await(w2In, "W2");
        second.get(10, TimeUnit.SECONDS);
        assertIdle(sem);
    }

    @Test
    void timedOutAndInterruptedReadersLeaveNoTrace() throws Exception {
        RwSemaphore sem = new RwSemaphore(0L);
        sem.lock(X);
        String before = sem.toString();
        assertFalse(spawn(() -> sem.acquire(S, 1L)).get(10, TimeUnit.SECONDS));
        assertFalse(spawn(() -> sem.acquire(S, 50 * MS)).get(10, TimeUnit.SECONDS));
        assertEquals(before, sem.toString());

        AtomicReference<Thread> t = new AtomicReference<>();
        Future<Throwable> reader = spawn(() -> {
            t.set(Thread.currentThread());
            try {
                sem.acquire(S, Timeouts.FOREVER);
                return null;
            } catch (InterruptedException e) {
                return e;
            }
        });
        awaitQueued(sem, 1, "reader");
        CountDownLatch writerIn = new CountDownLatch(1);
        Future<?> writer = spawn(() -> {
            sem.lock(X);
            writerIn.countDown();
            sem.release(X);
            return null;
        });
        awaitQueued(sem, 2, "writer behind the reader");
        t.get().interrupt();
        assertTrue(reader.get(10, TimeUnit.SECONDS) instanceof InterruptedException);
        awaitQueued(sem, 1, "only the writer");
        sem.release(X);
        await(writerIn, "the writer behind the departed reader");
        writer.get(10, TimeUnit.SECONDS);
        assertIdle(sem);
    }

    @Test
    void timedOutWriterAloneLeavesNoTrace() throws Exception {
        RwSemaphore sem = new RwSemaphore(0L);
        sem.lock(S);
        String before = sem.toString();
        assertFalse(spawn(() -> sem.acquire(X, 1L)).get(10, TimeUnit.SECONDS));
        assertFalse(spawn(() -> sem.acquire(X, 50 * MS)).get(10, TimeUnit.SECONDS));
        assertEquals(before, sem.toString());
        assertTrue(otherThreadCanTake(sem, S), "readers refused after the writer left");
        sem.release(S);
        assertIdle(sem);
    }

    @Test
    void lockIsDeafToInterruptsAndReassertsTheFlag() throws Exception {
        RwSemaphore sem = new RwSemaphore();
        for (Intent intent : Intent.values()) {
            sem.lock(X);
            AtomicBoolean released = new AtomicBoolean();
            AtomicReference<Thread> t = new AtomicReference<>();
            Future<Boolean> waiter = spawn(() -> {
                t.set(Thread.currentThread());
                sem.lock(intent);
                boolean ok = released.get();
                boolean flag = Thread.interrupted();
                sem.release(intent); // throws if lock() returned without the lock
                return ok && flag;
            });
            awaitQueued(sem, 1, "waiter");
            t.get().interrupt();
            t.get().interrupt();
            awaitTrue(() -> t.get().getState() == Thread.State.WAITING, "waiter asleep again");
            assertEquals(1, sem.queuedThreads(), "an interrupt made lock() leave the queue");
            released.set(true);
            sem.release(X);
            assertTrue(waiter.get(10, TimeUnit.SECONDS), intent + ": returned early or lost the interrupt");
        }
        assertIdle(sem);
    }

    // ------------------------------------------------------------------ misuse

    @Test
    void releaseInTheWrongModeThrows() throws Exception {
        RwSemaphore sem = new RwSemaphore();
        assertThrows(IllegalMonitorStateException.class, () -> sem.release(S));
        assertThrows(IllegalMonitorStateException.class, () -> sem.release(X));

        sem.lock(S);
        assertThrows(IllegalMonitorStateException.class, () -> sem.release(X));
        assertEquals("RwSemaphore[readers=1, queued=0]", sem.toString());
        sem.release(S);

        sem.lock(X);
        String held = sem.toString();
        assertThrows(IllegalMonitorStateException.class, () -> sem.release(S));
        Future<Throwable> other = spawn(() -> {
            try {
                sem.release(X);
                return null;
            } catch (IllegalMonitorStateException e) {
                return e;
            }
        });
        assertTrue(other.get(10, TimeUnit.SECONDS) instanceof IllegalMonitorStateException,
                "another thread released this thread's write lock");
        assertEquals(held, sem.toString());
        sem.release(X);
        assertThrows(IllegalMonitorStateException.class, () -> sem.release(X));
        assertIdle(sem);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RwSemaphore(-1L));
        RwSemaphore sem = new RwSemaphore();
        assertThrows(IllegalArgumentException.class, () -> sem.acquire(X, -1L));
        assertThrows(NullPointerException.class, () -> sem.lock(null));
        assertIdle(sem);
    }

    // ------------------------------------------------------------------ allocation

    @Test
    void uncontendedPathsAllocateNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean)) {
            org.junit.jupiter.api.Assumptions.abort("no per-thread allocation counter in this JVM");
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        RwSemaphore sem = new RwSemaphore();
        int n = 200_000;
        for (int round = 0; round < 3; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) {
                sem.lock(S);
                sem.release(S);
                sem.lock(X);
                sem.release(X);
                if (sem.tryLock(S)) {
                    sem.release(S);
                }
                if (sem.tryLock(X)) {
                    sem.release(X);
                }
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertTrue(allocated < 4096, "allocated " + allocated + " bytes over " + n + " rounds");
            }
        }
        assertIdle(sem);
    }
}
