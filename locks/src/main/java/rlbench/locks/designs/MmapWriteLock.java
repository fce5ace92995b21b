package rlbench.locks.designs;

import rlbench.locks.AbstractMappingLock;
import rlbench.locks.Design;
import rlbench.locks.index.PageIndex;

/**
 * {@code mmap-write}: no lock of its own. It asks the filesystem
 * ({@link #invalidationTakesMmapLocks}) to take {@code mmap_lock} for writing in every address
 * space that maps the file around each punch and truncate, inside the inode lock; faults run under
 * their own {@code mmap_lock} read and take nothing more, so no fault of any mapper runs while a
 * punch evicts and frees. A buffered read has no {@code mmap_lock} to be kept out by, so the
 * filesystem takes the inode lock shared around it for this design, as XFS's buffered read takes
 * its IOLOCK.
 *
 * <h2>Which side of the argument</h2>
 * Jan Kara's 2013 suggestion for XIP truncate (seed 000): since every fault already holds
 * {@code mmap_sem} for reading, holding it for writing in truncate excludes faults without any new
 * lock; the objection was its cost, that a truncate must find and lock every process that maps the
 * file and stops all of their faults, on every file, while it runs.
 *
 * <h2>Known costs</h2>
 * <ul>
 *   <li>Fault misses pay nothing beyond {@code mmap_lock} read, which they take anyway: the
 *       cheapest fault path of the safe designs with a lock.</li>
 *   <li>A punch takes one {@code mmap_lock} per mapping process, in a fixed order: its cost grows
 *       with the number of mappers (the {@code mappers} parameter), and while it runs every fault
 *       in those processes waits, on any file, not only this one.</li>
 *   <li>Buffered reads of the file serialise against punch on the inode lock, and mmap() waits
 *       for a running punch.</li>
 * </ul>
 */
public final class MmapWriteLock extends AbstractMappingLock {

    public static final Design DESIGN = new Design("mmap-write", true,
            "punch takes mmap_lock for writing in every mapper (Kara 2013, seed 000)", MmapWriteLock::new);

    public MmapWriteLock(PageIndex index) {
        super(index);
    }

    @Override
    public boolean invalidationTakesMmapLocks() {
        return true;
    }

    @Override
    protected boolean acquireInvalidate(long first, long last, long timeoutNanos) {
        checkRange(first, last);
        return true;
    }

    @Override
    protected void releaseInvalidate(long first, long last) {
    }
}
