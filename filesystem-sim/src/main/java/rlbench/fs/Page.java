package rlbench.fs;

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
 * data, a page-size buffer (on the heap: pages come and go with every miss, blocks stay). {@link #block} is the block the page reads from and writes
 * back to, cached as buffer heads cache {@code b_blocknr}: a page re-created by a racing readahead
 * keeps pointing at a block the punch then frees, which is the corruption the oracle looks for.
 *
 * <p>Memory ordering: the page lock orders every change of the fields below; they are volatile
 * because mapped accesses read them without the lock, as a CPU reads a mapped page.
 */
public final class Page extends IndexEntry {

    /** The page index in its file. */
    final long index;
    /** The file. */
    final Inode inode;
    /** Contents, or null when the device keeps stamps only. */
    final UnsafeBuffer data;

    volatile int block;
    volatile boolean uptodate;
    volatile boolean dirty;
    volatile long who;
    volatile long generation;

    /** A new page, locked, in no cache yet: what {@code filemap_alloc_folio} plus {@code __folio_set_locked} give. */
    Page(Inode inode, long index, int pageSize, boolean withData) {
        this.inode = inode;
        this.index = index;
        this.data = withData ? new UnsafeBuffer(new byte[pageSize]) : null;
        if (!tryLock()) {
            throw new AssertionError("new page already locked");
        }
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
        return "page " + index + " of file " + inode.id() + " (block " + block + ", " + Stamp.describe(who)
                + " gen " + generation + (dirty ? ", dirty" : "") + ")";
    }
}
