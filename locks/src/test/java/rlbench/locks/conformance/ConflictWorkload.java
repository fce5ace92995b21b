package rlbench.locks.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import rlbench.locks.MappingLock;
import rlbench.locks.MappingLock.Instantiation;
import rlbench.locks.wait.Timeouts;

/**
 * Threads that hammer one mapping lock the way the filesystem does, over a small universe of
 * pages so that conflicts are frequent: faults (blocking instantiate), try-only instantiations,
 * readahead batches (the batch lock point, then per-page instantiation without waiting), mkwrite
 * and punches (invalidate of random ranges). Every critical section reports itself to an {@link OverlapDetector}.
 */
final class ConflictWorkload {

    final OverlapDetector detector;
    final AtomicLong ops = new AtomicLong();
    final AtomicLong invalidations = new AtomicLong();
    private final MappingLock lock;
    private final int pages;
    private final int maxPunch;
    private final boolean exclusivePerPage;

    ConflictWorkload(MappingLock lock, int pages, int maxPunch, boolean exclusivePerPage) {
        this(lock, pages, maxPunch, exclusivePerPage, true);
    }

    ConflictWorkload(MappingLock lock, int pages, int maxPunch, boolean exclusivePerPage,
                     boolean invalidationsExclusive) {
        this.lock = lock;
        this.pages = pages;
        this.maxPunch = maxPunch;
        this.exclusivePerPage = exclusivePerPage;
        this.detector = new OverlapDetector(pages, exclusivePerPage, invalidationsExclusive);
    }

    /**
     * Runs {@code threads} threads until each has done {@code opsPerThread} operations or
     * {@code millis} have passed, whichever comes first; fails the test if any thread is still
     * running {@code timeoutSeconds} after the start (a hang or a lost wake-up) or threw.
     */
    void run(int threads, long opsPerThread, long millis, long timeoutSeconds, long seed) throws InterruptedException {
        long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom rnd = new SplittableRandom(seed * 31 + t);
            Thread w = new Thread(() -> {
                try {
                    for (long i = 0; i < opsPerThread && System.nanoTime() < stopAt; i++) {
                        oneOp(rnd);
                        ops.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "conflict-worker-" + t);
            w.setDaemon(true);
            workers.add(w);
            w.start();
        }
        if (!done.await(timeoutSeconds, TimeUnit.SECONDS)) {
            StringBuilder stacks = new StringBuilder("workers still running after " + timeoutSeconds + "s:\n");
            for (Thread w : workers) {
                if (w.isAlive()) {
                    stacks.append(w.getName()).append('\n');
                    for (StackTraceElement e : w.getStackTrace()) {
                        stacks.append("    at ").append(e).append('\n');
                    }
                    w.interrupt();
                }
            }
            fail(stacks.toString());
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
    }

    private void oneOp(SplittableRandom rnd) throws InterruptedException {
        int dice = rnd.nextInt(100);
        if (dice < 55) {
            instantiate(rnd.nextInt(pages), Timeouts.FOREVER);
        } else if (dice < 65) {
            instantiate(rnd.nextInt(pages), Timeouts.TRY);
        } else if (dice < 78) {
            readahead(rnd.nextInt(pages - 4));
        } else if (dice < 88) {
            // mkwrite has no holder to check against here (lock entries take nothing at it, and
            // rely on the page lock); it is hammered for hangs and lost wake-ups.
            long p = rnd.nextInt(pages);
            lock.lockMkwrite(p);
            Thread.onSpinWait();
            lock.unlockMkwrite(p);
        } else {
            int first = rnd.nextInt(pages);
            int last = Math.min(pages - 1, first + rnd.nextInt(maxPunch));
            lock.lockInvalidate(first, last);
            detector.enterInvalidate(first, last);
            LockSupport.parkNanos(rnd.nextInt(20_000));
            detector.exitInvalidate(first, last);
            lock.unlockInvalidate(first, last);
            invalidations.incrementAndGet();
        }
    }

    /** A readahead batch of four pages: the batch lock once, each page without waiting. */
    private void readahead(int first) throws InterruptedException {
        int last = first + 3;
        if (!lock.lockReadahead(first, last, Timeouts.FOREVER)) {
            throw new AssertionError("readahead without a deadline gave up");
        }
        try {
            for (int p = first; p <= last; p++) {
                TestPage page = TestPage.newLocked();
                if (lock.instantiateInBatch(p, page) != Instantiation.INSERTED) {
                    continue;
                }
                long token = detector.enterInstantiate(p);
                Thread.onSpinWait();
                boolean overlapped = detector.exitInstantiate(p, token);
                detector.judge(p, overlapped, lock.instantiationStillValid(p, page));
                lock.index().delete(p, page);
                page.unlock();
                lock.endInstantiateInBatch(p);
            }
        } finally {
            lock.unlockReadahead(first, last);
        }
    }

    private void instantiate(long p, long timeoutNanos) throws InterruptedException {
        TestPage page = TestPage.newLocked();
        Instantiation r = lock.lockInstantiate(p, page, timeoutNanos);
        if (r != Instantiation.INSERTED) {
            return;
        }
        long token = detector.enterInstantiate(p);
        Thread.onSpinWait();
        boolean overlapped;
        // The page leaves the cache again so that the next instantiation of p finds a hole. For a
        // design that makes same-page instantiations exclusive (page-lock), the holder still
        // counts after the page left, until it ends instantiate(p): a second instantiation of p
        // getting in then is caught. (The filesystem never deletes a page its instantiation still
        // holds, so other designs, lock entries above all, are checked in that order only.)
        if (exclusivePerPage) {
            lock.index().delete(p, page);
            Thread.onSpinWait();
            overlapped = detector.exitInstantiate(p, token);
        } else {
            overlapped = detector.exitInstantiate(p, token);
        }
        // The filesystem validates after reading the block, with the page still in the index.
        detector.judge(p, overlapped, lock.instantiationStillValid(p, page));
        lock.index().delete(p, page);
        page.unlock();
        lock.unlockInstantiate(p);
    }
}
