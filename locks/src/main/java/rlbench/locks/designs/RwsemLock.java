package rlbench.locks.designs;

import rlbench.locks.AbstractMappingLock;
import rlbench.locks.Design;
import rlbench.locks.Intent;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/**
 * {@code rwsem}: two whole-file reader/writer semaphores, the answer Linux shipped. The inode lock
 * ({@code i_rwsem}, XFS's IOLOCK) is taken exclusive by write() and by punch; the mapping lock
 * ({@code invalidate_lock} since 5.15, ext4's {@code i_mmap_sem}, XFS's MMAPLOCK) is taken shared
 * by every page instantiation and exclusive by punch and truncate, which hold both (seed 004).
 *
 * <p>Side of the argument: Chinner's and Kara's practical answer (seeds 000, 002, 004): a rare
 * punch may stop the whole file, so faults only pay a shared acquire.
 *
 * <p>Known costs: every fault miss does an atomic on one shared word, a cache line that bounces
 * between all faulting CPUs; a punch of one page stalls every fault and write on the file, and
 * write() calls to disjoint regions of one file serialise on the inode lock.
 *
 * <p>Each semaphore is an {@link RwSemaphore}: an atomic on one word per acquire, as Linux's,
 * and new readers queue behind a waiting writer, which is what keeps a punch from starving under
 * a stream of faults.
 */
public final class RwsemLock extends AbstractMappingLock {

    public static final Design DESIGN = new Design("rwsem", true,
            "Linux 5.15+ invalidate_lock, ext4 i_mmap_sem, XFS MMAPLOCK: whole-file rw-semaphores",
            RwsemLock::new);

    /** i_rwsem: write() and punch. */
    private final RwSemaphore inodeLock = new RwSemaphore();
    /** invalidate_lock: shared by instantiation, exclusive by punch. */
    private final RwSemaphore mappingLock = new RwSemaphore();

    public RwsemLock(PageIndex index) {
        super(index);
    }

    @Override
    protected boolean acquireInstantiate(long pageIndex, long timeoutNanos) throws InterruptedException {
        return mappingLock.acquire(Intent.SHARED, timeoutNanos);
    }

    @Override
    protected void releaseInstantiate(long pageIndex) {
        mappingLock.release(Intent.SHARED);
    }

    @Override
    public boolean lockWrite(long first, long last, Intent intent, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        return inodeLock.acquire(intent, timeoutNanos);
    }

    @Override
    public void unlockWrite(long first, long last, Intent intent) {
        inodeLock.release(intent);
    }

    @Override
    public boolean lockInvalidate(long first, long last, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        long deadline = Timeouts.deadline(timeoutNanos);
        if (!inodeLock.acquire(Intent.EXCLUSIVE, timeoutNanos)) {
            return false;
        }
        boolean locked = false;
        try {
            locked = mappingLock.acquire(Intent.EXCLUSIVE, Timeouts.remaining(deadline));
            return locked;
        } finally {
            if (!locked) {
                inodeLock.release(Intent.EXCLUSIVE);
            }
        }
    }

    @Override
    public void unlockInvalidate(long first, long last) {
        mappingLock.release(Intent.EXCLUSIVE);
        inodeLock.release(Intent.EXCLUSIVE);
    }
}
