package rlbench.locks.wait;

/**
 * The timeout convention of every lock method in this module: a relative timeout in nanoseconds,
 * where {@link #TRY} means "do not wait at all" and {@link #FOREVER} means "no deadline".
 */
public final class Timeouts {
    /** Do not wait: succeed at once or fail (readahead's "skip what cannot be taken"). */
    public static final long TRY = 0L;
    /** Wait without a deadline. */
    public static final long FOREVER = Long.MAX_VALUE;
    /** The absolute deadline that stands for "none". */
    public static final long NO_DEADLINE = Long.MIN_VALUE;

    private Timeouts() {
    }

    /** Turns a relative timeout into an absolute deadline on {@link System#nanoTime()}. */
    public static long deadline(long timeoutNanos) {
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout: " + timeoutNanos);
        }
        if (timeoutNanos == FOREVER) {
            return NO_DEADLINE;
        }
        long d = System.nanoTime() + timeoutNanos;
        return d == NO_DEADLINE ? d + 1 : d;
    }

    /** Nanoseconds left until {@code deadline} (0 when passed), or {@link #FOREVER} for none. */
    public static long remaining(long deadline) {
        if (deadline == NO_DEADLINE) {
            return FOREVER;
        }
        return Math.max(0L, deadline - System.nanoTime());
    }

    /**
     * One {@link Object#wait} on {@code monitor}, which the caller holds, until notified or until
     * {@code deadline} ({@link #NO_DEADLINE}: none). The caller re-checks its condition in a loop,
     * as with any monitor wait.
     *
     * @return false, without waiting, when the deadline has already passed
     * @throws InterruptedException if interrupted while waiting
     */
    public static boolean waitOn(Object monitor, long deadline) throws InterruptedException {
        if (deadline == NO_DEADLINE) {
            monitor.wait();
            return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return false;
        }
        monitor.wait(left / 1_000_000L, (int) (left % 1_000_000L));
        return true;
    }

    /** Whether the deadline has passed. {@link #NO_DEADLINE} never passes. */
    public static boolean expired(long deadline) {
        return deadline != NO_DEADLINE && deadline - System.nanoTime() <= 0;
    }
}
