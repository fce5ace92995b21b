package rlbench.fs.check;

/**
 * The lock classes the {@link LockOrderChecker} orders, declared in the order the simulated
 * filesystem must take them. This is Linux's documented order (see the comment block at the top
 * of {@code mm/filemap.c} and {@code mm/rmap.c}):
 *
 * <pre>
 *   i_rwsem (inode lock)  -&gt;  mmap_lock  -&gt;  mapping invalidation lock  -&gt;  page lock
 * </pre>
 *
 * <p>A class stands for every lock of its kind: all inodes' {@code i_rwsem}s are one class, all
 * page locks (and the per-index locks of the {@code page-lock} design) another, exactly as lockdep
 * keys locks by class rather than by instance. The invalidation class covers whatever a design
 * uses at that level: the mapping rw-semaphore, a range of a range tree, lock entries in the page
 * index.
 *
 * <p>The declaration order is the intended order, but the checker does not rely on it: it learns
 * the order from what threads actually do and reports a cycle, so a wrong intended order here
 * could not hide a real inversion.
 */
public enum LockClass {
    /** The inode's {@code i_rwsem}, the filesystem's own: taken by write(), punch, truncate and fallocate; outermost. */
    INODE("inode lock (i_rwsem)"),
    /** A simulated process's {@code mmap_lock}: held (read) by every page fault. */
    MMAP("mmap_lock"),
    /**
     * The design's lock points (instantiate, readahead, mkwrite, invalidate): the mapping
     * invalidation lock, or a design's range, index or entry lock at that level.
     */
    INVALIDATION("invalidation lock or range"),
    /** A page's lock (or the per-index lock of a page that does not exist yet); innermost. */
    PAGE("page lock");

    private final String label;

    LockClass(String label) {
        this.label = label;
    }

    /** The human-readable name used in edges and reports, e.g. {@code "mmap_lock"}. */
    public String label() {
        return label;
    }
}
