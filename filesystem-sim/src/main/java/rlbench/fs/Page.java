package rlbench.fs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.agrona.concurrent.UnsafeBuffer;
import rlbench.fs.block.Stamp;
import rlbench.locks.index.IndexEntry;

/**
 * A page of the page cache: Linux's {@code struct folio} cut down to what the argument is about.
 * Its lock is the page lock (inherited from {@link IndexEntry}); {@link #owner()} is
 * {@code page->mapping}, cleared when the page is deleted from the cache, which is how a fault
 * that found the page without locks notices a truncate or punch after taking the page lock.
 *
 * <p>The contents are a {@link Stamp} ({@code who}, {@code generation}) and, when the device keeps
 * data, a page-size buffer. {@link #block} is the block the page reads from and writes back to,
 * cached as buffer heads cache {@code b_blocknr}: a page re-created by a racing readahead keeps
 * pointing at a block the punch then frees, which is the corruption the oracle looks for.
 *
 * <p>Page frames are reused ({@link PageFrames}, the kernel's page allocator): a frame freed after
 * eviction may come back as another file's or another index's page. As in the kernel, a frame
 * has a reference count ({@code folio_try_get}/{@code folio_put}): the page cache holds one while
 * the page is cached, and every finder takes one ({@link #tryGet}) before it locks a page it found
 * without locks, so a frame goes back to the pool only when nobody can still lock it. (Without
 * that, a finder asleep on the lock of a frame that has become someone's new page, locked from
 * birth, can deadlock against that page's instantiation.) After locking, the finder re-checks
 * {@link #owner()} and {@link #index}, as the kernel re-checks {@code folio->mapping} and
 * {@code folio->index} ({@link #isAt}).
 *
 * <p>Memory ordering: {@link #inode} and {@link #index} are set while the frame is locked and in
 * no index, before its insertion (a release store) and its unlock (a release); a finder reads them
 * after taking the page lock (an acquire). The other fields are volatile because mapped accesses
 * read them without the lock, as a CPU reads a mapped page.
 */
public final class Page extends IndexEntry {

    /** The page index in its file; set when the frame is handed out. */
    long index;
    /** The file; set when the frame is handed out. */
    Inode inode;
    /** Contents, or null when the device keeps stamps only. Kept with the frame. */
    final UnsafeBuffer data;

    volatile int block;
    volatile boolean uptodate;
    volatile boolean dirty;
    volatile long who;
    volatile long generation;

    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(Page.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** References: 0 for a free frame. Changed only by atomics through {@link #REFS} (volatile). */
    @SuppressWarnings("unused")
    private volatile int refs;

    /** A new frame, locked, in no cache yet: what {@code filemap_alloc_folio} plus {@code __folio_set_locked} give. */
    Page(int pageSize, boolean withData) {
        this.data = withData ? new UnsafeBuffer(new byte[pageSize]) : null;
        if (!tryLock()) {
            throw new AssertionError("new page already locked");
        }
    }

    /**
     * Takes a reference unless the frame is free (folio_try_get): false means the page is gone
     * and its frame may be reused; look it up again.
     */
    boolean tryGet() {
        while (true) {
            int r = refs;
            if (r == 0) {
                return false;
            }
            if (REFS.compareAndSet(this, r, r + 1)) {
                return true;
            }
        }
    }

    /** Drops a reference; true when it was the last, and the frame is now the caller's to free. */
    boolean put() {
        int r = (int) REFS.getAndAdd(this, -1) - 1;
        if (r < 0) {
            throw new IllegalStateException("page reference count underflow: " + this);
        }
        return r == 0;
    }

    /**
     * Makes this locked, free frame the page at {@code index} of {@code inode}, not yet read, with
     * two references: the page cache's (dropped by whoever evicts it, or by the creator when the
     * insertion fails) and the creator's.
     */
    void reset(Inode inode, long index) {
        REFS.setVolatile(this, 2);
        this.inode = inode;
        this.index = index;
        this.block = BlockMap.HOLE;
        this.uptodate = false;
        this.dirty = false;
        this.who = Stamp.NOBODY;
        this.generation = 0;
    }

    /** Under the page lock: whether this is still the page at {@code index} of {@code f}'s cache. */
    boolean isAt(Inode f, long index) {
        return owner() == f.cache && this.index == index;
    }

    public long index() {
        return index;
    }

    public boolean isDirty() {
        return dirty;
    }

    public boolean isUptodate() {
        return uptodate;
    }

    /** The page's contents as the stale-data oracle sees them. */
    public long who() {
        return who;
    }

    public long generation() {
        return generation;
    }

    @Override
    public String toString() {
        Inode f = inode;
        return "page " + index + " of " + (f == null ? "no file" : "file " + f.id()) + " (block " + block + ", "
                + Stamp.describe(who) + " gen " + generation + (dirty ? ", dirty" : "") + ")";
    }
}
