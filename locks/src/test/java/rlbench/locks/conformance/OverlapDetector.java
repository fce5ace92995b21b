package rlbench.locks.conformance;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the times two conflicting holders were inside their critical sections at once. Each
 * page index of a small universe has two counters, instantiate holders and invalidate holders,
 * and a count of invalidations that have entered it. A holder increments its own counters first
 * and then reads the other kind; all are volatile (sequentially consistent) atomics, so of two
 * overlapping holders at least one sees the other.
 *
 * <p>An instantiation is judged when it ends: it overlapped an invalidation if one was inside
 * its page when it entered, or one entered that page before it left. That is a violation only if
 * the instantiation then validated ({@code MappingLock#instantiationStillValid}): a design that
 * locks always validates, so for it any overlap is one; an optimistic design must have failed
 * every instantiation that overlapped.
 */
final class OverlapDetector {

    private final AtomicIntegerArray instantiating;
    private final AtomicIntegerArray invalidating;
    private final AtomicIntegerArray invalidationsEntered;
    private final AtomicLong violations = new AtomicLong();
    private volatile String firstViolation;

    /** Whether two holders of instantiate(p) for one p are a violation too (page-lock). */
    private final boolean exclusivePerPage;
    /** Whether two overlapping invalidations are a violation (not for two-state's shared blocks). */
    private final boolean invalidationsExclusive;

    OverlapDetector(int pages, boolean exclusivePerPage, boolean invalidationsExclusive) {
        instantiating = new AtomicIntegerArray(pages);
        invalidating = new AtomicIntegerArray(pages);
        invalidationsEntered = new AtomicIntegerArray(pages);
        this.exclusivePerPage = exclusivePerPage;
        this.invalidationsExclusive = invalidationsExclusive;
    }

    /**
     * An instantiation of {@code p} enters; returns its token for {@link #exitInstantiate}: the
     * invalidations that had entered {@code p}, negative if one was inside at entry.
     */
    long enterInstantiate(long p) {
        if (instantiating.incrementAndGet((int) p) > 1 && exclusivePerPage) {
            violation("two holders of instantiate(" + p + ")");
        }
        boolean inside = invalidating.get((int) p) > 0;
        long entered = invalidationsEntered.get((int) p);
        return inside ? -1 : entered;
    }

    /** Leaves; then, once the caller validated, {@link #judge} it. Returns whether it overlapped. */
    boolean exitInstantiate(long p, long token) {
        boolean overlapped = token < 0 || invalidationsEntered.get((int) p) != token;
        instantiating.decrementAndGet((int) p);
        return overlapped;
    }

    /** An instantiation that overlapped an invalidation and still validated is a violation. */
    void judge(long p, boolean overlapped, boolean validated) {
        if (overlapped && validated) {
            violation("instantiate(" + p + ") overlapped an invalidation and validated");
        }
    }

    void enterInvalidate(long first, long last) {
        for (int i = (int) first; i <= last; i++) {
            invalidating.incrementAndGet(i);
            invalidationsEntered.incrementAndGet(i);
        }
        for (int i = (int) first; i <= last; i++) {
            if (invalidationsExclusive && invalidating.get(i) > 1) {
                violation("two invalidations overlap at " + i);
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
