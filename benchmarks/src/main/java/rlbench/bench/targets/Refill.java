package rlbench.bench.targets;

/** The state a range of a {@link TargetFile} is left in after it is (re)filled. */
public enum Refill {
    /** Punched ranges stay holes. */
    NONE,
    /** Every page has a block and is cached, clean. */
    DENSE,
    /** Every page has a block; only every {@link #SPARSE_STRIDE}th page is cached. */
    SPARSE;

    /** In a sparse range, one page in this many stays cached: a handful, not none. */
    public static final int SPARSE_STRIDE = 4096;
}
