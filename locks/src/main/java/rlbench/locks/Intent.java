package rlbench.locks;

/** Whether a holder may share what it locks with other holders of the same intent. */
public enum Intent {
    /**
     * Coexists with other shared holders: instantiation, readahead and mkwrite at the invalidation
     * level; direct IO at the inode-lock level.
     */
    SHARED,
    /**
     * Excludes every other holder of an overlapping range, shared or exclusive: invalidation
     * (punch, truncate) at the invalidation level; buffered write(), punch and truncate at the
     * inode-lock level.
     */
    EXCLUSIVE;

    /** Whether two holders of overlapping ranges must not hold at the same time. */
    public boolean conflictsWith(Intent other) {
        return this == EXCLUSIVE || other == EXCLUSIVE;
    }
}
