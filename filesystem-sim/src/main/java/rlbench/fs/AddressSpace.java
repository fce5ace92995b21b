package rlbench.fs;

import rlbench.locks.Intent;
import rlbench.locks.rwsem.RwSemaphore;
import rlbench.locks.stat.LockStat;

/**
 * A simulated process: an {@code mmap_lock} (a kernel-like {@link RwSemaphore}, not a JDK lock)
 * and the mappings of files it holds. Faults run with {@code mmap_lock} held shared; mapping and
 * unmapping take it exclusive.
 */
public final class AddressSpace {

    final RwSemaphore mmapLock = new RwSemaphore();

    /** Maps pages [first, first + pages) of {@code inode} into this process (mmap). */
    public Mapping map(Inode inode, long first, int pages) {
        lockExclusive();
        try {
            Mapping m = new Mapping(this, inode, first, pages);
            inode.mappings.add(m);
            return m;
        } finally {
            unlockExclusive();
        }
    }

    /** {@code mmap_lock} exclusive, counted as lock point {@link FileSystem#MMAP_LOCK_WRITE}. */
    private void lockExclusive() {
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        mmapLock.lock(Intent.EXCLUSIVE);
        LockStat.end(stat, FileSystem.MMAP_LOCK_WRITE, mark, true);
    }

    private void unlockExclusive() {
        LockStat.released(FileSystem.MMAP_LOCK_WRITE);
        mmapLock.release(Intent.EXCLUSIVE);
    }

    /** Removes a mapping (munmap). */
    public void unmap(Mapping m) {
        lockExclusive();
        try {
            m.inode.mappings.remove(m);
            m.zap(m.first, m.first + m.pages - 1);
        } finally {
            unlockExclusive();
        }
    }
}
