package rlbench.fs;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A simulated process: an {@code mmap_lock} and the mappings of files it holds. Faults run with
 * {@code mmap_lock} held shared; mapping and unmapping take it exclusive.
 */
public final class AddressSpace {

    final ReentrantReadWriteLock mmapLock = new ReentrantReadWriteLock();

    /** Maps pages [first, first + pages) of {@code inode} into this process (mmap). */
    public Mapping map(Inode inode, long first, int pages) {
        mmapLock.writeLock().lock();
        try {
            Mapping m = new Mapping(this, inode, first, pages);
            inode.mappings.add(m);
            return m;
        } finally {
            mmapLock.writeLock().unlock();
        }
    }

    /** Removes a mapping (munmap). */
    public void unmap(Mapping m) {
        mmapLock.writeLock().lock();
        try {
            m.inode.mappings.remove(m);
            m.zap(m.first, m.first + m.pages - 1);
        } finally {
            mmapLock.writeLock().unlock();
        }
    }
}
