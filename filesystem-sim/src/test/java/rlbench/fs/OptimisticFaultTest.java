package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import rlbench.locks.designs.SeqRetryLock;

/**
 * seq-retry's claim, replayed step by step: a fault that read the sequence before a punch began,
 * and inserted its page after the punch's eviction walk had passed, reads a block the punch is
 * about to free; its validation must fail and the fault must start again. With the validation
 * skipped (a test seam) the same timeline maps the freed block, which another file has taken, and
 * the oracle says so: the validation, not luck, is what makes the design safe.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OptimisticFaultTest {

    private static final int PAGES = 16;
    private static final long PAGE = 3;

    @Test
    void aFaultThatOverlapsAPunchFailsValidationAndRetries() throws Exception {
        Replay r = replay(false);
        assertEquals(0, r.fs.oracle().total(), r.fs.oracle().messages().toString());
        assertEquals(0, r.faultResult, "the fault started again after the punch and read the hole");
        assertTrue(r.fs.instantiationRetries() >= 1, "the fault was not backed out");
    }

    @Test
    void withoutValidationTheFaultMapsTheFreedBlock() throws Exception {
        Replay r = replay(true);
        assertTrue(r.fs.oracle().total() > 0, "a fault mapping a freed block went unseen");
        assertEquals(0, r.fs.instantiationRetries());
    }

    private record Replay(FileSystem fs, long faultResult) {
    }

    private static Replay replay(boolean skipValidation) throws Exception {
        FileSystem fs = Designs.newFs(SeqRetryLock.DESIGN, 4 * PAGES);
        fs.skipValidation = skipValidation;
        Inode f = fs.createFile(PAGES);
        Inode other = fs.createFile(PAGES);
        fs.writeBuffered(f, 0, PAGES, null, 0);
        fs.writeback(f, 0, PAGES - 1);
        fs.dropCache(f, 0, PAGES - 1); // the fault below is a miss of a page with a block
        Mapping m = fs.newProcess().map(f, 0, PAGES);
        SeqRetryLock lock = (SeqRetryLock) f.lock;

        CountDownLatch begun = new CountDownLatch(1);
        CountDownLatch insert = new CountDownLatch(1);
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch validate = new CountDownLatch(1);
        CountDownLatch evicted = new CountDownLatch(1);
        CountDownLatch free = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        Thread faulter = Thread.currentThread();
        // 1. The fault reads an even sequence, then waits before inserting its page.
        lock.onBegun(() -> {
            if (Thread.currentThread() != faulter && first.compareAndSet(true, false)) {
                begun.countDown();
                await(insert);
            }
        });
        // 3. The fault has inserted its page and read the block: the punch may now free it.
        fs.instantiationValidated((file, index) -> {
            if (file == f && index == PAGE && read.getCount() > 0) {
                read.countDown();
                await(validate);
            }
        });
        // 2. The punch has made the sequence odd and evicted (nothing there yet); it waits to free.
        fs.onInvalidationWindow((file, a, b) -> {
            if (file == f) {
                evicted.countDown();
                await(free);
            }
        });
        AtomicLong result = new AtomicLong(-100);
        Thread fault = new Thread(() -> result.set(fs.readMapped(m, PAGE)), "fault");
        fault.start();
        assertTrue(begun.await(10, TimeUnit.SECONDS));
        Thread punch = new Thread(() -> fs.punch(f, PAGE, PAGE), "punch");
        punch.start();
        assertTrue(evicted.await(10, TimeUnit.SECONDS));
        insert.countDown();
        assertTrue(read.await(10, TimeUnit.SECONDS));
        free.countDown();
        punch.join(10_000);
        fs.onInvalidationWindow(null);
        // The freed block goes to the other file, which writes it.
        fs.writeBuffered(other, 0, 1, null, 0);
        fs.writeback(other, 0, 0);
        validate.countDown();
        fault.join(10_000);
        lock.onBegun(null);
        fs.instantiationValidated(null);
        // A later read of the page through the mapping sees what the fault mapped.
        long again = fs.readMapped(m, PAGE);
        if (!skipValidation) {
            assertEquals(0, again, "the punched page reads as a hole");
        }
        return new Replay(fs, result.get());
    }

    private static void await(CountDownLatch l) {
        try {
            assertTrue(l.await(10, TimeUnit.SECONDS), "the replay lost its step");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
