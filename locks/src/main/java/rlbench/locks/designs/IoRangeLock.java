package rlbench.locks.designs;

import rlbench.locks.Design;
import rlbench.locks.Intent;
import rlbench.locks.index.PageIndex;
import rlbench.locks.rangetree.RangeLock;
import rlbench.locks.stat.LockPoint;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;

/**
 * {@code io-range}: an IO range lock that replaces the inode lock, over a mapping range lock for
 * faults: two {@link RangeLock}s, one per level.
 *
 * <table>
 *   <caption>Lock points</caption>
 *   <tr><th>lock point</th><th>takes</th></tr>
 *   <tr><td>io(first,last)</td><td>the IO level: buffered write() and direct write exclusive,
 *       direct read shared, punch and truncate exclusive, each over the pages it touches
 *       (a truncate from its new size to the end of any file), instead of the inode lock</td></tr>
 *   <tr><td>instantiate(p), mkwrite(p)</td><td>the mapping level: {@code [p, p]} shared</td></tr>
 *   <tr><td>readahead(first,last)</td><td>the mapping level: {@code [first, last]} shared</td></tr>
 *   <tr><td>invalidate(first,last)</td><td>the mapping level: {@code [first, last]} exclusive</td></tr>
 * </table>
 *
 * <h2>Which side of the argument</h2>
 * Dave Chinner's (seed 002): lock the whole range of each IO at the IO level, so that writes and
 * direct IO to disjoint parts of a file run in parallel where the inode lock serialises them;
 * Davidlohr Bueso later measured such a lock (his {@code range_lock} series, 2017: 3.7x the
 * buffered write throughput of the inode rwsem at four processes on disjoint ranges). Faults still
 * cannot take the IO level (they run under {@code mmap_lock}, which write() takes to fault in its
 * source while holding its IO range), so a second, mapping-level range lock orders them against
 * punch, Kara's level; the two together are what the seeds' two camps would build.
 *
 * <h2>File size</h2>
 * A write that extends the file grows i_size with an atomic maximum, so disjoint extending writers
 * cannot shrink each other's size. A truncate locks its IO range from the smaller of the old and
 * new sizes to the end of any file, so no write beyond the new size is in progress while it
 * changes the size, and none starts until it is done.
 *
 * <h2>Known costs</h2>
 * <ul>
 *   <li>Two range-lock trees, each under one mutex: a write takes the IO tree once and the mapping
 *       tree per page it instantiates; a fault miss pays {@code range-tree}'s price.</li>
 *   <li>A punch of a huge range is one node at each level, but write() and direct IO now queue
 *       behind an overlapping punch by range rather than for the whole file; a truncate still
 *       stops every IO beyond its new size.</li>
 *   <li>Direct IO holds its IO range until it completes, so a punch waits for overlapping direct
 *       IO through the range lock; the filesystem's {@code inode_dio_wait} is not needed for it.</li>
 * </ul>
 */
public final class IoRangeLock extends RangeMappingLock<RangeLock> {

    public static final Design DESIGN = new Design("io-range", true,
            "IO range lock replacing the inode lock, over a mapping range lock (Chinner 2013, Bueso 2017)",
            IoRangeLock::new);

    /** The IO level, in place of {@code i_rwsem}; the mapping level is {@link #ranges}, as {@code range-tree}'s. */
    private final RangeLock io = new RangeLock();

    public IoRangeLock(PageIndex index) {
        super(index, new RangeLock());
    }

    @Override
    public boolean replacesInodeLock() {
        return true;
    }

    @Override
    public void lockIo(long first, long last, Intent intent) {
        checkRange(first, last);
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        boolean interrupted = false;
        while (true) {
            try {
                io.lock(first, last, intent, Timeouts.FOREVER);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // inode_lock is not interruptible either
            }
        }
        LockStat.end(stat, point(intent), mark, true);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void unlockIo(long first, long last, Intent intent) {
        LockStat.released(point(intent));
        io.unlock(first, last, intent);
    }

    private static LockPoint point(Intent intent) {
        return intent == Intent.EXCLUSIVE ? LockPoint.IO : LockPoint.IO_SHARED;
    }

    @Override
    public String toString() {
        return "io-range io=" + io + " mapping=" + ranges;
    }
}
