package rlbench.locks.designs;

import rlbench.locks.AbstractMappingLock;
import rlbench.locks.Design;
import rlbench.locks.index.PageIndex;
import rlbench.locks.stat.LockPoint;
import rlbench.locks.stat.LockStat;
import rlbench.locks.twostate.TwoStateSharedLock;
import rlbench.locks.twostate.TwoStateSharedLock.State;

/**
 * {@code two-state}: bcachefs's page-cache lock ({@code bch2_pagecache_add_get} and
 * {@code bch2_pagecache_block_get}, on its {@code two_state_lock}): one signed counter per inode
 * and one wait queue ({@link TwoStateSharedLock}).
 *
 * <table>
 *   <caption>Lock points</caption>
 *   <tr><th>lock point</th><th>takes</th></tr>
 *   <tr><td>instantiate(p), readahead(first,last), mkwrite(p)</td><td>"add", shared with other adds</td></tr>
 *   <tr><td>invalidate(first,last)</td><td>"block", shared with other blocks</td></tr>
 *   <tr><td>direct-write(first,last)</td><td>"block", from before the cached range is written back
 *       and invalidated until the IO completes</td></tr>
 * </table>
 *
 * <h2>Which side of the argument</h2>
 * Kent Overstreet's answer to the seeds' question in bcachefs (2019 onward): what has to be kept
 * apart is not ranges but two kinds of work, adding pages to the cache and taking blocks away from
 * under it, so a whole-file lock will do as long as each kind shares with itself. Unlike
 * {@code rwsem}, many punches and direct writes (block) run together, and faults never wait for
 * each other's counter updates beyond one atomic. Direct IO taking "block" is what bcachefs adds
 * over Linux's invalidate lock: no fault can bring a page in over a direct write in flight.
 *
 * <h2>Known costs</h2>
 * <ul>
 *   <li>Every fault miss does a CAS on the one counter of the file, a cache line all faulting
 *       CPUs write, like {@code rwsem}'s.</li>
 *   <li>Whole-file: a punch of one page still stops every fault miss of the file, wherever it is,
 *       and a direct write anywhere stops every fault miss.</li>
 *   <li>No fairness: sleepers retry when the count reaches zero and there is no handoff, so a
 *       steady stream of faults that keeps the count above zero starves a punch (and a steady
 *       stream of direct writes starves faults), which {@code rwsem}'s FIFO and 4 ms handoff
 *       prevent. Measured by the workloads, not mended.</li>
 * </ul>
 */
public final class TwoStateLock extends AbstractMappingLock {

    public static final Design DESIGN = new Design("two-state", true,
            "bcachefs pagecache_lock: one signed counter, adds share, blocks share (two_state_shared_lock.h)",
            TwoStateLock::new);

    private final TwoStateSharedLock pagecacheLock = new TwoStateSharedLock();

    public TwoStateLock(PageIndex index) {
        super(index);
    }

    @Override
    protected boolean acquireShared(long first, long last, long timeoutNanos) throws InterruptedException {
        return pagecacheLock.lock(State.ADD, timeoutNanos);
    }

    @Override
    protected void releaseShared(long first, long last) {
        pagecacheLock.unlock(State.ADD);
    }

    @Override
    protected boolean acquireInvalidate(long first, long last, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        return pagecacheLock.lock(State.BLOCK, timeoutNanos);
    }

    @Override
    protected void releaseInvalidate(long first, long last) {
        pagecacheLock.unlock(State.BLOCK);
    }

    @Override
    public void lockDirectWrite(long first, long last) {
        checkRange(first, last);
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        boolean interrupted = false;
        while (true) {
            try {
                pagecacheLock.lock(State.BLOCK, rlbench.locks.wait.Timeouts.FOREVER);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        LockStat.end(stat, LockPoint.DIRECT_WRITE, mark, true);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void unlockDirectWrite(long first, long last) {
        LockStat.released(LockPoint.DIRECT_WRITE);
        pagecacheLock.unlock(State.BLOCK);
    }

    @Override
    public String toString() {
        return "two-state " + pagecacheLock;
    }
}
