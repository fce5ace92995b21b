package rlbench.locks.stat;

import java.util.ArrayList;
import java.util.List;

/**
 * A named place where code takes a lock, the row key of the lock statistics ({@link LockStat}):
 * the lock SPI's {@link #INSTANTIATE}, {@link #READAHEAD}, {@link #MKWRITE} and
 * {@link #INVALIDATE}, and whatever a user of the designs defines with {@link #define} (the
 * filesystem's inode lock and {@code mmap_lock}). A point's name does not depend on the design or
 * the operation that took it, so rows compare across designs.
 *
 * <p>Points are few and fixed: each has a small {@link #id()} that indexes the per-thread
 * counters, so recording never looks a name up.
 */
public final class LockPoint {

    /** How many points there can be; the per-thread arrays are this long. */
    public static final int MAX_POINTS = 16;

    /** Guarded by the class: defining is rare (class initialisation) and never on a hot path. */
    private static final List<LockPoint> ALL = new ArrayList<>();

    /** instantiate(p): a fault miss or write_begin creating a page. */
    public static final LockPoint INSTANTIATE = define("instantiate", false);
    /** readahead(first,last): once per readahead batch. */
    public static final LockPoint READAHEAD = define("readahead", false);
    /** mkwrite(p): a write fault on a cached page. */
    public static final LockPoint MKWRITE = define("mkwrite", false);
    /** invalidate(first,last): punch and truncate. */
    public static final LockPoint INVALIDATE = define("invalidate", true);
    /**
     * An optimistic instantiation that failed its validation and was backed out: counted, never
     * held or waited for ({@link LockStat#count}). Its count over the instantiations is a run's
     * retries per op.
     */
    public static final LockPoint INSTANTIATE_RETRY = define("instantiate.retry", false);
    /** io(first,last) exclusive: write(), punch, truncate under a design that replaces the inode lock. */
    public static final LockPoint IO = define("io", true);
    /** io(first,last) shared: a direct read under a design that replaces the inode lock. */
    public static final LockPoint IO_SHARED = define("io.shared", false);
    /** direct-write(first,last): a direct write keeping page-cache additions out (two-state's block). */
    public static final LockPoint DIRECT_WRITE = define("direct_write", false);

    private final String name;
    private final boolean exclusive;
    private final int id;

    private LockPoint(String name, boolean exclusive, int id) {
        this.name = name;
        this.exclusive = exclusive;
        this.id = id;
    }

    /**
     * The point named {@code name}, defined on first use; a second definition with the same name
     * returns the first.
     *
     * @throws IllegalStateException when {@link #MAX_POINTS} are defined already
     */
    public static synchronized LockPoint define(String name, boolean exclusive) {
        if (name == null || !name.matches("[a-z][a-z0-9_.]*")) {
            throw new IllegalArgumentException("lock point names are lower-case words: " + name);
        }
        for (LockPoint p : ALL) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        if (ALL.size() == MAX_POINTS) {
            throw new IllegalStateException("more than " + MAX_POINTS + " lock points: " + name);
        }
        LockPoint p = new LockPoint(name, exclusive, ALL.size());
        ALL.add(p);
        return p;
    }

    /** Every point defined so far, in definition order. */
    public static synchronized List<LockPoint> all() {
        return List.copyOf(ALL);
    }

    public String name() {
        return name;
    }

    /** Whether the point is taken exclusive (a writer); a point is taken in one mode only. */
    public boolean exclusive() {
        return exclusive;
    }

    /** Index into the per-thread counters, 0 to {@link #MAX_POINTS} - 1. */
    public int id() {
        return id;
    }

    @Override
    public String toString() {
        return name;
    }
}
