package rlbench.locks.designs;

import rlbench.locks.AbstractMappingLock;
import rlbench.locks.Design;
import rlbench.locks.index.PageIndex;

/**
 * {@code none}: no serialisation at all, the kernel before 2012 for most filesystems. UNSAFE.
 *
 * <p>It is here for two reasons: it is the cost floor every safe design is compared with (a fault
 * still pays for the index insertion, so the difference to {@code none} is the lock's own price),
 * and it proves the stale-data oracle works: a readahead that re-creates a page after the punch
 * evicted it, then maps the block the punch frees (seed 003's timeline), must be caught.
 */
public final class NoLock extends AbstractMappingLock {

    public static final Design DESIGN = new Design("none", false,
            "pre-2012 kernels: nothing orders faults against punch (the floor)", NoLock::new);

    public NoLock(PageIndex index) {
        super(index);
    }

    @Override
    protected boolean acquireInvalidate(long first, long last, long timeoutNanos) {
        checkRange(first, last);
        return true;
    }

    @Override
    protected void releaseInvalidate(long first, long last) {
    }
}
