package rlbench.locks.stat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rlbench.locks.DesignRegistry;
import rlbench.locks.MappingLock;
import rlbench.locks.index.PageIndex;

/**
 * The lock statistics count what happened: acquisitions, contended ones, their waits, and nothing
 * while off. The statistics are per JVM, so each test starts from {@link LockStat#reset} and
 * compares what it did with what was counted; surefire runs test classes one at a time.
 */
class LockStatTest {

    @BeforeEach
    void fresh() {
        LockStat.setEnabled(true);
        LockStat.reset();
    }

    @AfterEach
    void on() {
        LockStat.setEnabled(true);
    }

    private static LockStat.Snapshot of(LockPoint p) {
        return LockStat.snapshot().stream().filter(s -> s.point() == p).findFirst().orElseThrow();
    }

    /** Waits, without a clock, until {@code t} sleeps (parked or in Object.wait): it is waiting for the lock. */
    private static void awaitBlocked(Thread t) throws InterruptedException {
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (!t.isAlive()) {
                throw new AssertionError("the waiter ended without waiting");
            }
            Thread.sleep(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwsem", "range-tree", "page-lock", "lock-entries"})
    void oneHolderAndOneWaiterAreTwoAcquisitionsOneContendedWithItsWaitRecorded(String design) throws Exception {
        MappingLock lock = DesignRegistry.get(design).create(new PageIndex());
        lock.lockInvalidate(0, 15); // the holder: this thread, uncontended
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong waited = new AtomicLong(-1);
        Thread waiter = new Thread(() -> {
            LockStat.Recorder me = LockStat.thread();
            long mark = me.waitMark();
            started.countDown();
            lock.lockInvalidate(8, 23); // overlaps: must wait for the holder
            waited.set(me.waitMark() - mark);
            lock.unlockInvalidate(8, 23);
        }, "waiter");
        waiter.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        awaitBlocked(waiter);
        lock.unlockInvalidate(0, 15);
        waiter.join(10_000);
        assertTrue(!waiter.isAlive(), "the waiter got the lock once the holder let go");

        LockStat.Snapshot s = of(LockPoint.INVALIDATE);
        assertEquals(2, s.acquisitions(), "holder and waiter");
        assertEquals(1, s.contended(), "only the waiter waited");
        assertEquals(1, s.waitNs().getTotalCount(), "one wait recorded");
        assertTrue(s.waitNs().getMaxValue() > 0, "the wait took time");
        assertTrue(waited.get() > 0, "the waiter's own wait total grew");
        assertTrue(s.holdNs().getTotalCount() >= 1, "the first acquisition of each thread has its hold sampled");
    }

    @Test
    void oneThreadAloneNeverContends() {
        MappingLock lock = DesignRegistry.get("rwsem").create(new PageIndex());
        long mark = LockStat.thread().waitMark();
        for (int i = 0; i < 1000; i++) {
            lock.lockMkwrite(i);
            lock.unlockMkwrite(i);
            lock.lockInvalidate(i, i + 3);
            lock.unlockInvalidate(i, i + 3);
        }
        assertEquals(1000, of(LockPoint.MKWRITE).acquisitions());
        assertEquals(1000, of(LockPoint.INVALIDATE).acquisitions());
        assertEquals(0, of(LockPoint.MKWRITE).contended());
        assertEquals(0, of(LockPoint.INVALIDATE).contended());
        assertEquals(0, of(LockPoint.MKWRITE).waitNs().getTotalCount());
        assertEquals(mark, LockStat.thread().waitMark(), "no wait at all");
        // Holds are sampled: the 1st, 65th, ... acquisition, 16 of 1000.
        assertEquals((1000 + LockStat.HOLD_SAMPLE_EVERY - 1) / LockStat.HOLD_SAMPLE_EVERY,
                of(LockPoint.MKWRITE).holdNs().getTotalCount());
    }

    @Test
    void anOperationsWaitIsTheSumOfItsWaits() throws Exception {
        LockPoint first = LockPoint.define("test.first", false);
        LockPoint second = LockPoint.define("test.second", false);
        LockStat.reset();
        LockStat.Recorder me = LockStat.thread();
        long op = me.waitMark();
        for (LockPoint p : new LockPoint[] {first, second}) {
            LockStat.Recorder r = LockStat.begin();
            long mark = r.waitMark();
            long t = LockStat.waitStart(); // a slow path that sleeps, as a lock's would
            Thread.sleep(2);
            LockStat.waitEnd(t);
            LockStat.end(r, p, mark, true);
            LockStat.released(p);
        }
        long sum = me.waitMark() - op;
        long a = of(first).waitNs().getMaxValue();
        long b = of(second).waitNs().getMaxValue();
        assertEquals(1, of(first).contended());
        assertEquals(1, of(second).contended());
        assertTrue(a >= 2_000_000 && b >= 2_000_000, "each wait slept 2 ms: " + a + ", " + b);
        // The histograms keep two significant digits: each value is within 1% of what was added.
        assertEquals(a + b, sum, (a + b) * 0.02, "the op's wait is the sum of its two waits");
    }

    @Test
    void threadsThatEndedAreFoldedTogetherWithNothingLost() throws Exception {
        MappingLock lock = DesignRegistry.get("rwsem").create(new PageIndex());
        LockStat.thread();
        int before = LockStat.recorders();
        for (int i = 0; i < 200; i++) {
            int page = i;
            Thread t = new Thread(() -> {
                lock.lockMkwrite(page);
                lock.unlockMkwrite(page);
            });
            t.start();
            t.join();
        }
        assertEquals(200, of(LockPoint.MKWRITE).acquisitions(), "every ended thread's count kept");
        assertEquals(200, of(LockPoint.MKWRITE).holdNs().getTotalCount(), "and its sampled hold (each thread's first)");
        assertTrue(LockStat.recorders() <= before + 1, "ended threads' recorders are folded, not kept: " + LockStat.recorders());
    }

    @Test
    void offRecordsNothing() throws Exception {
        LockStat.setEnabled(false);
        MappingLock lock = DesignRegistry.get("range-tree").create(new PageIndex());
        long mark = LockStat.thread().waitMark();
        lock.lockInvalidate(0, 7);
        Thread waiter = new Thread(() -> {
            lock.lockInvalidate(0, 7);
            lock.unlockInvalidate(0, 7);
        });
        waiter.start();
        awaitBlocked(waiter);
        lock.unlockInvalidate(0, 7);
        waiter.join(10_000);
        for (LockStat.Snapshot s : LockStat.snapshot()) {
            assertEquals(0, s.acquisitions(), s.point() + " counted while off");
            assertEquals(0, s.contended(), s.point() + " counted while off");
            assertEquals(0, s.waitNs().getTotalCount() + s.holdNs().getTotalCount(), s.point() + " timed while off");
        }
        assertEquals(mark, LockStat.thread().waitMark());
    }
}
