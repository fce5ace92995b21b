package rlbench.locks;

/** Whether a holder may share its range with other holders of the same intent. */
public enum Intent {
    /** Coexists with other shared holders: faults, readahead, reads at the i_rwsem level. */
    SHARED,
    /** Excludes every other holder of an overlapping range: buffered write(), punch, truncate. */
    EXCLUSIVE;

    /** Whether two holders of overlapping ranges must not hold at the same time. */
    public boolean conflictsWith(Intent other) {
        return this == EXCLUSIVE || other == EXCLUSIVE;
    }
}
