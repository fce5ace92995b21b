package rlbench.locks.index;

/**
 * A locked entry that holds a slot (or, stored high in the tree, a whole aligned block of slots)
 * without a page: DAX's locked entries generalised to the page cache (seeds 001 and 003). A fault
 * that meets one sleeps on it; readahead skips it. One lock entry serves one invalidation and is
 * locked from creation until that invalidation ends.
 */
public final class LockEntry extends IndexEntry {

    /** Creates an entry that is already locked by the invalidation that will place it. */
    public static LockEntry newLocked() {
        LockEntry e = new LockEntry();
        if (!e.tryLock()) {
            throw new AssertionError("fresh entry was locked");
        }
        return e;
    }

    private LockEntry() {
    }

    @Override
    public String toString() {
        return "LockEntry@" + Integer.toHexString(System.identityHashCode(this));
    }
}
