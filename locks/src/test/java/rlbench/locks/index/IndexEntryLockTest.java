package rlbench.locks.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import rlbench.locks.wait.Timeouts;

class IndexEntryLockTest {

    private static final class Page extends IndexEntry {
    }

    @Test
    void tryLockExcludesAndUnlockReleases() {
        Page p = new Page();
        assertTrue(p.tryLock());
        assertTrue(p.isLocked());
        assertFalse(p.tryLock());
        p.unlock();
        assertFalse(p.isLocked());
        assertThrows(IllegalMonitorStateException.class, p::unlock);
    }

    @Test
    void timedLockGivesUpAndLeavesTheLockAsItWas() throws Exception {
        Page p = new Page();
        p.lock();
        long t0 = System.nanoTime();
        assertFalse(p.lock(20_000_000L));
        assertTrue(System.nanoTime() - t0 >= 20_000_000L, "gave up early");
        assertFalse(p.lock(Timeouts.TRY));
        p.unlock();
        assertTrue(p.lock(Timeouts.TRY));
    }

    @Test
    void interruptedWaiterThrowsAndOthersStillGetIn() throws Exception {
        Page p = new Page();
        p.lock();
        Thread waiter = new Thread(() -> assertThrows(InterruptedException.class, () -> p.lock(Timeouts.FOREVER)));
        waiter.start();
        while (waiter.getState() != Thread.State.WAITING) {
            Thread.sleep(1);
        }
        waiter.interrupt();
        waiter.join(5_000);
        assertFalse(waiter.isAlive());
        p.unlock();
        assertTrue(p.tryLock());
    }

    @Test
    void manySleepersOnOneEntryAllGetInNoWakeUpLost() throws Exception {
        Page p = new Page();
        AtomicLong counter = new AtomicLong();
        int threads = 10;
        int rounds = 5_000;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < rounds; i++) {
                    p.lock();
                    long v = counter.get();
                    Thread.onSpinWait();
                    counter.set(v + 1); // lost updates would show a broken mutual exclusion
                    p.unlock();
                }
                done.countDown();
            });
            th.setDaemon(true);
            th.start();
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "a sleeper was never woken");
        assertEquals((long) threads * rounds, counter.get());
    }

    @Test
    void awaitUnlockedWaitsWithoutTaking() throws Exception {
        Page p = new Page();
        p.lock();
        assertFalse(p.awaitUnlocked(10_000_000L));
        Thread unlocker = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
            p.unlock();
        });
        unlocker.start();
        assertTrue(p.awaitUnlocked(Timeouts.FOREVER));
        assertFalse(p.isLocked());
        unlocker.join();
    }
}
