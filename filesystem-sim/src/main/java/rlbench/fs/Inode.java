package rlbench.fs;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import rlbench.locks.MappingLock;
import rlbench.locks.index.PageIndex;
import rlbench.locks.rwsem.RwSemaphore;

/**
 * A file: its size in pages, its block map (extents), its page cache (the lock SPI's
 * {@link PageIndex}, so a design that keeps lock entries keeps them here), its inode lock, the
 * design's {@link MappingLock} for it, and the mappings that map it (what {@code i_mmap} lists,
 * for punch's unmap).
 */
public final class Inode {

    private final int id;
    final PageIndex cache = new PageIndex();
    final BlockMap blocks = new BlockMap();
    final MappingLock lock;
    /** The inode lock, {@code i_rwsem}: the filesystem's own, taken the same way in every design. */
    final RwSemaphore inodeLock = new RwSemaphore();
    final CopyOnWriteArrayList<Mapping> mappings = new CopyOnWriteArrayList<>();
    /**
     * i_size in pages. Written under the inode lock (and, when it shrinks, the invalidate lock
     * point); read without locks
     * (volatile), as {@code i_size_read} does, by faults that must not map beyond EOF.
     */
    final AtomicLong sizePages = new AtomicLong();
    /** Direct IO in flight ({@code inode_dio_begin}/{@code end}), which punch and truncate drain. */
    final DioCount dio = new DioCount();

    /**
     * The count of direct IOs submitted and not yet completed, and the wait for it to drain
     * ({@code inode_dio_wait}). A monitor: begin, end and the wait are rare next to page-cache
     * work, and the monitor orders a completion's writes before the drained wait returns.
     */
    static final class DioCount {
        private int inFlight;

        synchronized void begin() {
            inFlight++;
        }

        synchronized void end() {
            if (--inFlight == 0) {
                notifyAll();
            }
        }

        /** Waits until no direct IO is in flight; the caller holds the inode lock, so none can start. */
        synchronized void awaitDrained() {
            boolean interrupted = false;
            while (inFlight > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true; // inode_dio_wait is not interruptible; keep the flag
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized int inFlight() {
            return inFlight;
        }
    }

    Inode(int id, Function<PageIndex, MappingLock> lockFactory) {
        this.id = id;
        this.lock = lockFactory.apply(cache);
        if (lock.index() != cache) {
            throw new IllegalArgumentException("the mapping lock must guard this inode's page cache");
        }
    }

    public int id() {
        return id;
    }

    /** The file size in pages. */
    public long sizePages() {
        return sizePages.get();
    }

    /** The page cache. */
    public PageIndex cache() {
        return cache;
    }

    /** The block mapped at {@code index}, or {@link BlockMap#HOLE}. */
    public int blockAt(long index) {
        return blocks.lookup(index);
    }

    /** Grows i_size to at least {@code pages}; never shrinks it (truncate does that). */
    void extendTo(long pages) {
        sizePages.accumulateAndGet(pages, Math::max);
    }

    @Override
    public String toString() {
        return "file " + id;
    }
}
