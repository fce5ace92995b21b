package rlbench.locks.designs;

import rlbench.locks.AbstractMappingLock;
import rlbench.locks.Intent;
import rlbench.locks.RangeLocking;
import rlbench.locks.index.PageIndex;

/**
 * The mapping range lock the range designs share, whatever keeps their ranges: instantiate(p)
 * and mkwrite(p) take {@code [p, p]} shared, a readahead batch {@code [first, last]} shared once,
 * invalidate(first,last) its range exclusive. Each design says which {@link RangeLocking} it is
 * and why.
 *
 * @param <R> the range lock
 */
public abstract class RangeMappingLock<R extends RangeLocking> extends AbstractMappingLock {

    /** The mapping's ranges. */
    protected final R ranges;

    protected RangeMappingLock(PageIndex index, R ranges) {
        super(index);
        this.ranges = ranges;
    }

    @Override
    protected final boolean acquireShared(long first, long last, long timeoutNanos) throws InterruptedException {
        return ranges.lock(first, last, Intent.SHARED, timeoutNanos);
    }

    @Override
    protected final void releaseShared(long first, long last) {
        ranges.unlock(first, last, Intent.SHARED);
    }

    @Override
    protected final boolean acquireInvalidate(long first, long last, long timeoutNanos) throws InterruptedException {
        checkRange(first, last);
        return ranges.lock(first, last, Intent.EXCLUSIVE, timeoutNanos);
    }

    @Override
    protected final void releaseInvalidate(long first, long last) {
        checkRange(first, last);
        ranges.unlock(first, last, Intent.EXCLUSIVE);
    }

    /** The mapping's range lock, for tests and diagnostics. */
    public final R ranges() {
        return ranges;
    }
}
