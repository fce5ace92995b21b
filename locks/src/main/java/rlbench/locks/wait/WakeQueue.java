package rlbench.locks.wait;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The kernel's {@code wake_q}: threads a waker decided to wake while it held a lock's internal
 * mutex, unparked only after it dropped that mutex, so a woken thread never runs straight into
 * the mutex its waker still holds. One per thread, reused: it grows once and then allocates
 * nothing. Thread-confined; the unpark is the release that publishes what the waker wrote.
 */
public final class WakeQueue {

    private Thread[] threads = new Thread[8];
    private int count;

    /** Queues {@code t} to be unparked by {@link #wakeAll}. */
    public void add(Thread t) {
        if (count == threads.length) {
            threads = Arrays.copyOf(threads, count * 2);
        }
        threads[count++] = t;
    }

    /** Whether nothing is queued. */
    public boolean isEmpty() {
        return count == 0;
    }

    /** Unparks every queued thread but {@code self} (which needs no wake-up), and empties the queue. */
    public void wakeAll(Thread self) {
        for (int i = 0; i < count; i++) {
            Thread t = threads[i];
            threads[i] = null;
            if (t != self) {
                LockSupport.unpark(t);
            }
        }
        count = 0;
    }
}
