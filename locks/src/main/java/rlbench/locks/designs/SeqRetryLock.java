package rlbench.locks.designs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import rlbench.locks.AbstractMappingLock;
import rlbench.locks.Design;
import rlbench.locks.Intent;
import rlbench.locks.index.PageIndex;
import rlbench.locks.rwsem.RwSemaphore;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;

/**
 * {@code seq-retry}: optimistic faults against a sequence count, in the pattern of
 * {@code mmu_interval_read_begin}/{@code mmu_interval_read_retry} and the seqcount.
 *
 * <table>
 *   <caption>Lock points</caption>
 *   <tr><th>lock point</th><th>does</th></tr>
 *   <tr><td>instantiate(p), a page of readahead</td><td>reads the sequence (waits while it is
 *       odd; readahead skips the page instead), inserts the page; after the block was looked up
 *       and read, {@link #instantiationStillValid} re-reads the sequence: changed, the filesystem
 *       backs the page out and faults again</td></tr>
 *   <tr><td>mkwrite(p)</td><td>nothing: the page lock and the fault's re-check that the page is
 *       still in the file order it against a punch, which evicts the page under that lock before
 *       it frees blocks</td></tr>
 *   <tr><td>invalidate(first,last)</td><td>excludes other invalidations, makes the sequence odd,
 *       (the filesystem evicts and frees), makes it even again</td></tr>
 * </table>
 *
 * <h2>Which side of the argument</h2>
 * None of the seeds': they all lock the fault. This is the path they never tried, the one the
 * kernel took for secondary MMUs: let faults run without locking anything shared, and make the
 * rare invalidation the one that pays, by making every fault that overlapped it start again.
 *
 * <h2>Why a fault that validates cannot map a freed block</h2>
 * The fault reads an even sequence {@code s}, inserts its page into the index, looks up and reads
 * the block, then re-reads the sequence. An invalidation makes the sequence odd, then walks the
 * index to evict, then frees blocks, then makes it even. Between the fault's insertion and its
 * re-read, and between the invalidation's odd store and its walk, there is a full fence, so (the
 * store-buffer pattern) either the fault's re-read sees the odd or later value, and it backs out,
 * or the invalidation's walk sees the page, and waits for its page lock (the fault holds it) to
 * evict it and unmap it before freeing any block. A sequence back to even has moved by two, so
 * an invalidation that started and ended in between is seen too. The stale-data oracle tests this
 * claim in the filesystem's tests and stress runs.
 *
 * <h2>Known costs</h2>
 * <ul>
 *   <li>A fault miss writes no shared cache line: one read of the sequence before, one fence and
 *       read after. The cheapest safe fault path here.</li>
 *   <li>A fault that overlaps a punch does its work twice (or more): counted as lock point
 *       {@code instantiate.retry}, whose count over the instantiations is a run's retries per op.
 *       The sequence is per file, not per range, so a punch anywhere in the file sends back every
 *       fault miss in flight, even far from the punched range.</li>
 *   <li>Faults wait while the sequence is odd (a punch is running), like {@code rwsem}'s
 *       whole-file wait, but never block the punch: a stream of faults cannot starve it.</li>
 * </ul>
 */
public final class SeqRetryLock extends AbstractMappingLock {

    public static final Design DESIGN = new Design("seq-retry", true,
            "optimistic faults: read the sequence, insert, re-validate, retry (mmu_interval_read_begin/retry)",
            SeqRetryLock::new);

    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(SeqRetryLock.class, "seq", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The invalidation sequence: odd while an invalidation runs. Written only by the holder of
     * {@link #invalidations}; read by faults without a lock. Volatile, with full fences where the
     * class comment says.
     */
    @SuppressWarnings("unused")
    private volatile long seq;
    /** Invalidations exclude each other (the notifier's own lock, {@code invalidate_seq}'s writers). */
    private final RwSemaphore invalidations = new RwSemaphore();
    /** Faults that found the sequence odd sleep on this monitor; the even store notifies it. */
    private final Object evenAgain = new Object();
    /** Threads sleeping on {@link #evenAgain}; volatile so the even store can skip an empty queue. */
    private volatile int sleepers;

    public SeqRetryLock(PageIndex index) {
        super(index);
    }

    /**
     * Test seam: run by an instantiation right after it read an even sequence and before it
     * inserts its page, so a test can start a punch in that window. Null outside tests (one
     * volatile read per instantiation).
     */
    private volatile Runnable begun;

    /** Installs (or, with null, removes) the {@link #begun} test seam. */
    public void onBegun(Runnable hook) {
        this.begun = hook;
    }

    @Override
    protected long beginOptimistic(long timeoutNanos) throws InterruptedException {
        long s = seq;
        if ((s & 1) == 0) {
            Runnable hook = begun;
            if (hook != null) {
                hook.run();
            }
            return s;
        }
        if (timeoutNanos == Timeouts.TRY) {
            return NO_STAMP;
        }
        return awaitEven(Timeouts.deadline(timeoutNanos));
    }

    private long awaitEven(long deadline) throws InterruptedException {
        long start = LockStat.waitStart();
        try {
            synchronized (evenAgain) {
                sleepers++;
                try {
                    while (true) {
                        long s = seq;
                        if ((s & 1) == 0) {
                            return s;
                        }
                        if (!Timeouts.waitOn(evenAgain, deadline)) {
                            return NO_STAMP;
                        }
                    }
                } finally {
                    sleepers--;
                }
            }
        } finally {
            LockStat.waitEnd(start);
        }
    }

    @Override
    protected boolean validateOptimistic(long stamp) {
        VarHandle.fullFence(); // the page's insertion before the re-read (store-buffer pattern)
        return seq == stamp;
    }

    @Override
    protected boolean acquireInvalidate(long first, long last, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        if (!invalidations.acquire(Intent.EXCLUSIVE, timeoutNanos)) {
            return false;
        }
        SEQ.setVolatile(this, seq + 1);
        VarHandle.fullFence(); // the odd store before the eviction's walk of the index
        return true;
    }

    @Override
    protected void releaseInvalidate(long first, long last) {
        SEQ.setVolatile(this, seq + 1);
        if (sleepers > 0) {
            synchronized (evenAgain) {
                evenAgain.notifyAll();
            }
        }
        invalidations.release(Intent.EXCLUSIVE);
    }

    /** The sequence now, for tests: odd while an invalidation holds. */
    public long sequence() {
        return seq;
    }

    @Override
    public String toString() {
        return "seq-retry seq=" + seq;
    }
}
