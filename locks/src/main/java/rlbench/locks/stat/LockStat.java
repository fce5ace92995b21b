package rlbench.locks.stat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * Lock statistics in the manner of the kernel's {@code /proc/lock_stat}: per {@link LockPoint},
 * how often it was taken, how often the taker had to wait, and how long it waited and held it.
 *
 * <h2>What is counted</h2>
 * <ul>
 *   <li><b>acquisitions</b>: calls of the lock point, whatever their outcome (a readahead that
 *       gives up, an instantiate that finds its page present) ;</li>
 *   <li><b>contended</b>: those calls that had to wait: the lock's fast path failed and the
 *       caller entered a slow path (a semaphore's, a range lock's, a wait queue's). A
 *       {@code TRY} that fails at once did not wait and is not counted as contended;</li>
 *   <li><b>wait</b>: for each contended call, the time from entering the first slow path to leaving
 *       the last, summed over the slow paths the call went through (the lock-entries design may
 *       sleep on an entry, then on the lock again);</li>
 *   <li><b>hold</b>: sampled, see below.</li>
 * </ul>
 *
 * <h2>What it costs</h2>
 * The wait primitives ({@code RwSemaphore}'s slow paths, {@code RangeLock}'s and
 * {@code WaitQueues}'s waits) read the clock on entry and exit ({@link #waitStart},
 * {@link #waitEnd}); they are about to sleep or spin, so two clock reads are noise there. A lock
 * point brackets its acquisition with {@link #begin} and {@link #end}: a thread-local lookup, a
 * read of the thread's wait total before and after, and a counter bump; no clock read unless the
 * call waited or its hold is sampled. The wait total tells whether the call waited, so the fast
 * path needs no flag of its own and no design changes how it takes its locks.
 *
 * <p>Hold times are <b>sampled</b>: one acquisition in {@value #HOLD_SAMPLE_EVERY} per thread
 * and lock point (its 1st, 65th, 129th, ...) is timed from acquisition to release, whether or
 * not it waited, so the hold histogram is an unbiased sample of holds at the price of two clock
 * reads per {@value #HOLD_SAMPLE_EVERY} acquisitions. Lock points do not nest on one thread in the
 * filesystem (a thread never holds the same point twice), so a thread keeps one pending sample
 * per point; if they did nest, a sample would end at the first release.
 *
 * <h2>Threads</h2>
 * Each thread records into its own {@link Recorder} (plain fields, no atomics, allocated on the
 * thread's first use and registered once, under a lock); {@link #snapshot} merges them. A
 * thread that has ended is folded into one retired recorder when the next thread registers, so
 * memory follows the live threads (a recorder is about 300 KiB of histograms).
 * Recorders are read and reset ({@link #reset}) only while their threads are between operations,
 * as JMH's iteration fixtures are: those barriers order the plain writes before the reads.
 *
 * <h2>On and off</h2>
 * {@link #setEnabled} switches recording for the whole JVM (a benchmark's {@code -p
 * lockstat=off}); off, every hook returns after one volatile read and nothing is recorded.
 */
public final class LockStat {

    /** One acquisition in this many per thread and point has its hold timed. */
    public static final int HOLD_SAMPLE_EVERY = 64;
    /** One hour: a longer wait or hold is a hang, and is clamped to this. */
    public static final long HIGHEST_TRACKABLE_NS = TimeUnit.HOURS.toNanos(1);
    /** Precision of the per-thread histograms: two digits, 1%, to keep them small (about 20 KiB). */
    public static final int SIGNIFICANT_DIGITS = 2;

    /**
     * Every live thread's recorder, and {@link #RETIRED}. Guarded by the class: a thread's first
     * use, {@link #snapshot} and {@link #reset} take the lock, never a lock point.
     */
    private static final List<Recorder> RECORDERS = new ArrayList<>();
    /**
     * What threads that have ended recorded, so that a program starting thousands of short
     * threads keeps one recorder per live thread, not one per thread it ever had. Guarded by
     * the class.
     */
    private static final Recorder RETIRED = new Recorder(null);

    static {
        RECORDERS.add(RETIRED);
    }
    private static final ThreadLocal<Recorder> CURRENT = ThreadLocal.withInitial(LockStat::newRecorder);

    /** Written by trial setups, read by every hook: volatile, so a switch is seen by every thread. */
    private static volatile boolean enabled = true;

    private LockStat() {
    }

    /** Whether lock statistics are being recorded. */
    public static boolean on() {
        return enabled;
    }

    /** Switches recording on or off for the JVM; call while no lock point is held. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /**
     * The calling thread's recorder, created on first use (one allocation per thread, ever): a
     * benchmark thread takes it in its setup so the operation loop never creates it.
     */
    public static Recorder thread() {
        return CURRENT.get();
    }

    private static Recorder newRecorder() {
        Recorder r = new Recorder(Thread.currentThread());
        synchronized (LockStat.class) {
            retireEnded();
            RECORDERS.add(r);
        }
        return r;
    }

    /**
     * Folds the recorders of threads that have ended into {@link #RETIRED}. Seeing a thread not
     * alive orders everything it did before what follows (JLS 17.4.4), so its plain writes are
     * read whole. Called with the class lock held.
     */
    private static void retireEnded() {
        for (Iterator<Recorder> it = RECORDERS.iterator(); it.hasNext(); ) {
            Recorder r = it.next();
            if (r.owner != null && !r.owner.isAlive()) {
                RETIRED.absorb(r);
                it.remove();
            }
        }
    }

    // ------------------------------------------------------------------ lock points

    /**
     * Before a lock point's acquisition: the calling thread's recorder, or null when recording is
     * off. Pass it to {@link #end} with {@link Recorder#waitMark} taken now.
     */
    public static Recorder begin() {
        return enabled ? CURRENT.get() : null;
    }

    /**
     * After a lock point's acquisition: counts it, and if the thread waited since
     * {@code waitMark} (its {@link Recorder#waitMark} before the call) counts it contended and
     * records the wait. {@code held}: whether the point is now held (then its hold may be sampled,
     * ended by {@link #released}). Allocation-free.
     */
    public static void end(Recorder r, LockPoint p, long waitMark, boolean held) {
        if (r == null) {
            return;
        }
        int id = p.id();
        long n = ++r.acquisitions[id];
        long waited = r.waitNanos - waitMark;
        long now = 0;
        if (waited != 0) {
            r.contended[id]++;
            r.wait(id).recordValue(clamp(waited));
            now = r.lastWaitEnd;
        }
        if (held && (n & (HOLD_SAMPLE_EVERY - 1)) == 1) {
            r.holdStart[id] = now != 0 ? now : System.nanoTime();
        }
    }

    /** Counts one event at {@code p} that is neither waited for nor held (a retry). Allocation-free. */
    public static void count(LockPoint p) {
        if (!enabled) {
            return;
        }
        CURRENT.get().acquisitions[p.id()]++;
    }

    /** Before a lock point is released: ends its hold sample, if one is pending. Allocation-free. */
    public static void released(LockPoint p) {
        if (!enabled) {
            return;
        }
        Recorder r = CURRENT.get();
        int id = p.id();
        long start = r.holdStart[id];
        if (start != 0) {
            r.holdStart[id] = 0;
            r.hold(id).recordValue(clamp(System.nanoTime() - start));
        }
    }

    // ------------------------------------------------------------------ wait primitives

    /** On entering a slow path that may wait: the clock, or 0 when recording is off. */
    public static long waitStart() {
        return enabled ? System.nanoTime() : 0;
    }

    /**
     * On leaving that slow path, whatever its outcome: adds the time since {@code start} (at
     * least 1 ns, so a wait always shows) to the thread's wait total. Allocation-free.
     */
    public static void waitEnd(long start) {
        if (start == 0) {
            return;
        }
        long now = System.nanoTime();
        Recorder r = CURRENT.get();
        r.waitNanos += Math.max(1, now - start);
        r.lastWaitEnd = now;
    }

    // ------------------------------------------------------------------ results

    /** One lock point's statistics over every thread, as {@link #snapshot} merges them. */
    public record Snapshot(LockPoint point, long acquisitions, long contended, Histogram waitNs, Histogram holdNs) {
    }

    /**
     * Every defined point's statistics merged over all threads, points that were never taken
     * included (with zeros). Call only while the recording threads are between operations.
     */
    public static synchronized List<Snapshot> snapshot() {
        retireEnded();
        List<Snapshot> out = new ArrayList<>();
        for (LockPoint p : LockPoint.all()) {
            int id = p.id();
            long acquisitions = 0;
            long contended = 0;
            Histogram wait = newMerged();
            Histogram hold = newMerged();
            for (Recorder r : RECORDERS) {
                acquisitions += r.acquisitions[id];
                contended += r.contended[id];
                if (r.wait[id] != null) {
                    wait.add(r.wait[id]);
                }
                if (r.hold[id] != null) {
                    hold.add(r.hold[id]);
                }
            }
            out.add(new Snapshot(p, acquisitions, contended, wait, hold));
        }
        return out;
    }

    /** How many recorders are kept: the live threads that recorded, the retired one, and ended threads not yet folded. */
    static synchronized int recorders() {
        return RECORDERS.size();
    }

    /** Zeroes every thread's statistics (between warmup and measurement). Threads must be between operations. */
    public static synchronized void reset() {
        retireEnded();
        for (Recorder r : RECORDERS) {
            r.reset();
        }
    }

    /** An empty histogram of the shape merged statistics use. */
    public static Histogram newMerged() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    private static long clamp(long nanos) {
        return nanos < 1 ? 1 : Math.min(nanos, HIGHEST_TRACKABLE_NS);
    }

    /**
     * One thread's statistics. Written by its thread only, with plain writes; read by others only
     * through {@link #snapshot} and {@link #reset}, which callers order with the thread's work.
     */
    public static final class Recorder {

        /** The thread that records into this; null for {@link #RETIRED}. */
        final Thread owner;
        final long[] acquisitions = new long[LockPoint.MAX_POINTS];
        final long[] contended = new long[LockPoint.MAX_POINTS];
        /** Clock at the sampled acquisition, 0 when no sample is pending. */
        final long[] holdStart = new long[LockPoint.MAX_POINTS];
        final IntCountsHistogram[] wait = new IntCountsHistogram[LockPoint.MAX_POINTS];
        final IntCountsHistogram[] hold = new IntCountsHistogram[LockPoint.MAX_POINTS];
        /** Every wait of this thread, summed, in ns; only grows (until {@link #reset}). */
        long waitNanos;
        /** The clock when the last wait ended: a contended acquisition's hold starts there. */
        long lastWaitEnd;

        Recorder(Thread owner) {
            this.owner = owner;
            // The histograms of the points defined by now, so the operation loop allocates none;
            // a point defined later gets its own on first use.
            for (LockPoint p : LockPoint.all()) {
                wait(p.id());
                hold(p.id());
            }
        }

        /**
         * The thread's wait total, in ns: a lock point takes it before acquiring and passes it to
         * {@link LockStat#end}; an operation takes it before and after to learn how long it waited
         * for locks. Grows by at least 1 for every wait.
         */
        public long waitMark() {
            return waitNanos;
        }

        IntCountsHistogram wait(int id) {
            IntCountsHistogram h = wait[id];
            if (h == null) {
                h = wait[id] = new IntCountsHistogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
            }
            return h;
        }

        IntCountsHistogram hold(int id) {
            IntCountsHistogram h = hold[id];
            if (h == null) {
                h = hold[id] = new IntCountsHistogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
            }
            return h;
        }

        /** Adds what {@code ended} recorded into this one. */
        void absorb(Recorder ended) {
            for (int i = 0; i < LockPoint.MAX_POINTS; i++) {
                acquisitions[i] += ended.acquisitions[i];
                contended[i] += ended.contended[i];
                if (ended.wait[i] != null && ended.wait[i].getTotalCount() > 0) {
                    wait(i).add(ended.wait[i]);
                }
                if (ended.hold[i] != null && ended.hold[i].getTotalCount() > 0) {
                    hold(i).add(ended.hold[i]);
                }
            }
        }

        void reset() {
            java.util.Arrays.fill(acquisitions, 0);
            java.util.Arrays.fill(contended, 0);
            java.util.Arrays.fill(holdStart, 0);
            for (int i = 0; i < LockPoint.MAX_POINTS; i++) {
                if (wait[i] != null) {
                    wait[i].reset();
                }
                if (hold[i] != null) {
                    hold[i].reset();
                }
            }
            // waitNanos is a running mark that callers difference; it is not reset, so a mark
            // taken before a reset still gives a true (non-negative) difference after it.
        }
    }
}
