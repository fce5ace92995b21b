package rlbench.fs;

import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;

/**
 * The page frames of one filesystem, reused instead of allocated per fault: the kernel's page
 * allocator with its per-CPU lists. A fault miss takes a frame, an eviction gives it back, and in
 * a steady state nothing is allocated or zeroed (a frame keeps its data buffer; a read overwrites
 * it, a hole read zeroes it, as the kernel zeroes a folio for a hole).
 *
 * <p>Each thread keeps a small magazine of frames (the per-CPU list); it refills from, and spills
 * half of itself to, one shared bounded queue (the zone's free list) of at most
 * {@code poolPages} frames. A frame that finds both full goes to the garbage collector; a thread
 * that finds both empty makes a new frame ({@link #framesMade()} counts them, so a test or a
 * benchmark can see that a steady state allocates none).
 *
 * <p>A frame comes here only when its last reference is dropped ({@link Page#put}), and every
 * finder takes a reference before it locks a page, so nobody can still lock a free frame;
 * {@link #allocate} checks that it can lock it at once all the same, and leaves a frame it cannot
 * lock to the garbage collector.
 *
 * <p>Memory ordering: the shared queue is Agrona's lock-free many-to-many queue, whose offer is a
 * release and poll an acquire, so a frame's fields written by the freeing thread are seen by the
 * taking thread; magazines are thread-confined.
 */
final class PageFrames {

    /** Frames a thread keeps for itself. */
    private static final int MAGAZINE = 64;

    private final int pageSize;
    private final boolean withData;
    private final ManyToManyConcurrentArrayQueue<Page> shared;
    private final ThreadLocal<Magazine> magazines = ThreadLocal.withInitial(Magazine::new);
    private final AtomicLong framesMade = new AtomicLong();

    /** A thread's own frames: a stack, confined to that thread. */
    private static final class Magazine {
        final Page[] frames = new Page[MAGAZINE];
        int count;
    }

    PageFrames(int pageSize, boolean withData, int poolPages) {
        if (poolPages < FileSystem.Config.MIN_FRAME_POOL) {
            throw new IllegalArgumentException("the page-frame pool needs at least 2 frames: " + poolPages);
        }
        this.pageSize = pageSize;
        this.withData = withData;
        this.shared = new ManyToManyConcurrentArrayQueue<>(poolPages);
    }

    /** A frame, locked, reset to be page {@code index} of {@code f}: in no index, not uptodate. */
    Page allocate(Inode f, long index) {
        Magazine m = magazines.get();
        while (true) {
            if (m.count == 0 && !refill(m)) {
                framesMade.getAndIncrement();
                Page p = new Page(pageSize, withData);
                p.reset(f, index);
                return p;
            }
            Page p = m.frames[--m.count];
            m.frames[m.count] = null;
            if (p.tryLock()) {
                p.reset(f, index);
                return p;
            }
        }
    }

    /** Gives back a frame whose last reference was dropped: unlocked, in no index, mapped nowhere. */
    void free(Page p) {
        Magazine m = magazines.get();
        if (m.count == MAGAZINE) {
            for (int k = 0; k < MAGAZINE / 2; k++) {
                Page spill = m.frames[--m.count];
                m.frames[m.count] = null;
                shared.offer(spill); // a full queue drops it for the garbage collector
            }
        }
        m.frames[m.count++] = p;
    }

    /** Frames made because no free one was at hand, since the filesystem was created. */
    long framesMade() {
        return framesMade.get();
    }

    private boolean refill(Magazine m) {
        while (m.count < MAGAZINE / 2) {
            Page p = shared.poll();
            if (p == null) {
                break;
            }
            m.frames[m.count++] = p;
        }
        return m.count > 0;
    }
}
