package rlbench.fs;

import java.util.concurrent.atomic.AtomicLong;
import rlbench.locks.Intent;
import rlbench.locks.rwsem.RwSemaphore;
import rlbench.locks.stat.LockStat;

/**
 * A simulated process: an {@code mmap_lock} (a kernel-like {@link RwSemaphore}, not a JDK lock)
 * and the mappings of files it holds. Faults run with {@code mmap_lock} held shared; mapping and
 * unmapping take it exclusive.
 */
public final class AddressSpace {

    private static final AtomicLong NEXT_ID = new AtomicLong();

    final RwSemaphore mmapLock = new RwSemaphore();
    /** Orders the {@code mmap_lock}s a punch takes for writing under {@code mmap-write}. */
    final long id = NEXT_ID.incrementAndGet();

    /**
     * Maps pages [first, first + pages) of {@code inode} into this process (mmap). Under a design
     * whose punch takes every mapper's {@code mmap_lock}, it first takes the file's inode lock
     * shared, so the set of mappers a punch locked cannot grow while it runs.
     */
    public Mapping map(Inode inode, long first, int pages) {
        Mapping m = new Mapping(this, inode, first, pages);
        boolean stable = holdMappers(m);
        try {
            lockExclusive();
            try {
                inode.mappings.add(m);
                return m;
            } finally {
                unlockExclusive();
            }
        } finally {
            releaseMappers(m, stable);
        }
    }

    /**
     * Under a design whose punch takes every mapper's {@code mmap_lock}, the file's inode lock
     * shared over {@code m}'s range, so a running punch's set of mappers does not change; returns
     * whether it was taken.
     */
    private static boolean holdMappers(Mapping m) {
        if (!m.inode.lock.invalidationTakesMmapLocks()) {
            return false;
        }
        FileSystem.inodeLock(m.inode, Intent.SHARED, Intent.SHARED, m.first, m.first + m.pages - 1);
        return true;
    }

    private static void releaseMappers(Mapping m, boolean held) {
        if (held) {
            FileSystem.inodeUnlock(m.inode, Intent.SHARED, Intent.SHARED, m.first, m.first + m.pages - 1);
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
        boolean stable = holdMappers(m);
        try {
            lockExclusive();
            try {
                m.inode.mappings.remove(m);
                m.zap(m.first, m.first + m.pages - 1);
            } finally {
                unlockExclusive();
            }
        } finally {
            releaseMappers(m, stable);
        }
    }
}
