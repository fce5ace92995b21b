package rlbench.locks.conformance;

import rlbench.locks.Intent;
import rlbench.locks.MappingLock;
import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.rwsem.RwSemaphore;

/**
 * The protocol the filesystem follows for a design that
 * {@linkplain MappingLock#invalidationTakesMmapLocks orders faults by mmap_lock}, around that
 * design's own (empty) lock points, so the conformance suite checks what such a design relies on:
 * a fault (instantiate, mkwrite) runs under one process's {@code mmap_lock} read; a buffered
 * read's readahead under the inode lock shared; an invalidation takes the inode lock, then
 * {@code mmap_lock} for writing. One process stands for every mapper.
 */
final class MmapLockProtocol implements MappingLock {

    private final MappingLock design;
    private final RwSemaphore inodeLock = new RwSemaphore();
    private final RwSemaphore mmapLock = new RwSemaphore();

    MmapLockProtocol(MappingLock design) {
        this.design = design;
    }

    @Override
    public PageIndex index() {
        return design.index();
    }

    @Override
    public Instantiation lockInstantiate(long index, IndexEntry page, long timeoutNanos) throws InterruptedException {
        if (!mmapLock.acquire(Intent.SHARED, timeoutNanos)) {
            return Instantiation.BUSY;
        }
        Instantiation got = Instantiation.BUSY;
        try {
            got = design.lockInstantiate(index, page, timeoutNanos);
            return got;
        } finally {
            if (got != Instantiation.INSERTED) {
                mmapLock.release(Intent.SHARED);
            }
        }
    }

    @Override
    public void unlockInstantiate(long index) {
        design.unlockInstantiate(index);
        mmapLock.release(Intent.SHARED);
    }

    @Override
    public boolean lockReadahead(long first, long last, long timeoutNanos) throws InterruptedException {
        if (!inodeLock.acquire(Intent.SHARED, timeoutNanos)) {
            return false;
        }
        boolean held = false;
        try {
            held = design.lockReadahead(first, last, timeoutNanos);
            return held;
        } finally {
            if (!held) {
                inodeLock.release(Intent.SHARED);
            }
        }
    }

    @Override
    public Instantiation instantiateInBatch(long index, IndexEntry page) {
        return design.instantiateInBatch(index, page);
    }

    @Override
    public void endInstantiateInBatch(long index) {
        design.endInstantiateInBatch(index);
    }

    @Override
    public void unlockReadahead(long first, long last) {
        design.unlockReadahead(first, last);
        inodeLock.release(Intent.SHARED);
    }

    @Override
    public boolean lockMkwrite(long index, long timeoutNanos) throws InterruptedException {
        if (!mmapLock.acquire(Intent.SHARED, timeoutNanos)) {
            return false;
        }
        boolean held = false;
        try {
            held = design.lockMkwrite(index, timeoutNanos);
            return held;
        } finally {
            if (!held) {
                mmapLock.release(Intent.SHARED);
            }
        }
    }

    @Override
    public void unlockMkwrite(long index) {
        design.unlockMkwrite(index);
        mmapLock.release(Intent.SHARED);
    }

    @Override
    public boolean lockInvalidate(long first, long last, long timeoutNanos) throws InterruptedException {
        long deadline = rlbench.locks.wait.Timeouts.deadline(timeoutNanos);
        if (!inodeLock.acquire(Intent.EXCLUSIVE, timeoutNanos)) {
            return false;
        }
        boolean held = false;
        try {
            if (mmapLock.acquire(Intent.EXCLUSIVE, rlbench.locks.wait.Timeouts.remaining(deadline))) {
                try {
                    held = design.lockInvalidate(first, last, rlbench.locks.wait.Timeouts.remaining(deadline));
                } finally {
                    if (!held) {
                        mmapLock.release(Intent.EXCLUSIVE);
                    }
                }
            }
            return held;
        } finally {
            if (!held) {
                inodeLock.release(Intent.EXCLUSIVE);
            }
        }
    }

    @Override
    public void unlockInvalidate(long first, long last) {
        design.unlockInvalidate(first, last);
        mmapLock.release(Intent.EXCLUSIVE);
        inodeLock.release(Intent.EXCLUSIVE);
    }

    @Override
    public boolean instantiationStillValid(long index, IndexEntry page) {
        return design.instantiationStillValid(index, page);
    }

    @Override
    public boolean invalidationTakesMmapLocks() {
        return true;
    }
}
