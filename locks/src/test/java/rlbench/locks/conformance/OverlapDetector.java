package rlbench.locks.conformance;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the times two conflicting holders were inside their critical sections at once. Each
 * page index of a small universe has two counters, instantiate holders and invalidate holders.
 * A holder increments its own counters first and then reads the other kind; both are volatile
 * (sequentially consistent) atomics, so of two overlapping holders at least one sees the other.
 */
final class OverlapDetector {

    private final AtomicIntegerArray instantiating;
    private final AtomicIntegerArray invalidating;
    private final AtomicLong violations = new AtomicLong();
    private volatile String firstViolation;

    /** Whether two holders of instantiate(p) for one p are a violation too (page-lock). */
    private final boolean exclusivePerPage;

    OverlapDetector(int pages, boolean exclusivePerPage) {
        instantiating = new AtomicIntegerArray(pages);
        invalidating = new AtomicIntegerArray(pages);
        this.exclusivePerPage = exclusivePerPage;
    }

    void enterInstantiate(long p) {
        if (instantiating.incrementAndGet((int) p) > 1 && exclusivePerPage) {
            violation("two holders of instantiate(" + p + ")");
        }
        if (invalidating.get((int) p) > 0) {
            violation("instantiate(" + p + ") inside an invalidation");
        }
    }

    void exitInstantiate(long p) {
        instantiating.decrementAndGet((int) p);
    }

    void enterInvalidate(long first, long last) {
        for (int i = (int) first; i <= last; i++) {
            invalidating.incrementAndGet(i);
        }
        for (int i = (int) first; i <= last; i++) {
            if (invalidating.get(i) > 1) {
                violation("two invalidations overlap at " + i);
            }
            if (instantiating.get(i) > 0) {
                violation("invalidate [" + first + "," + last + "] while instantiating " + i);
            }
        }
    }

    void exitInvalidate(long first, long last) {
        for (int i = (int) first; i <= last; i++) {
            invalidating.decrementAndGet(i);
        }
    }

    long violations() {
        return violations.get();
    }

    String firstViolation() {
        return firstViolation;
    }

    private void violation(String what) {
        if (violations.getAndIncrement() == 0) {
            firstViolation = what;
        }
    }
}
