package rlbench.bench.targets;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * The stale-data check on this machine's kernel, as xfstests' generic/503 and holetest do it:
 * faults, buffered reads (with readahead) and writes race against hole punches on a real file A,
 * while a second file B is written, written back and punched over and over, so that the blocks
 * A's punches free are soon B's. Every page of A is written with a pattern naming file A, the
 * page and a generation, every page of B with B's. A read of A can then show, word by word, only
 * zeroes or A's own pattern for that page; it is a violation when it shows:
 * <ul>
 *   <li>{@code FOREIGN}: any other word, B's data or another page's (a block freed under a page
 *       that was still cached, or read back after its reuse);</li>
 *   <li>{@code NONZERO_HOLE}: any non-zero word where the page is known to be a hole: a punch of
 *       it returned with no write of it in flight or begun since, before the read started, and no
 *       write began before the read ended.</li>
 * </ul>
 * Reads through a mapping are not atomic against a concurrent write or punch of the same page, so
 * a page may mix zeroes and its own pattern; that is allowed. What is expected on a correct
 * kernel is 0 violations: the run reports what it sees and assumes nothing.
 *
 * <p>Bookkeeping, per page of A: {@code started} counts writes begun (raised before the
 * {@code pwrite}), {@code finished} those done (raised after it), and {@code holeAt} holds the
 * {@code started} count at which a punch of the page last returned with no write in flight or
 * begun during it (-1: none). Writes and punches of one file serialise on the inode lock in the
 * kernel, so "no write in flight before the punch and none begun by its end" pins the punch
 * after every write counted. All three are atomics: a reader's volatile reads order its snapshot
 * before and after its own read of the page.
 */
public final class KernelStress {

    private static final long A_MAGIC = 0xA0L << 56;
    private static final long B_MAGIC = 0xB0L << 56;
    /** Bits of a word that name the file and page; the rest is the generation. */
    private static final long OWNER_MASK = 0xFFFF_FFFF_FF00_0000L;
    private static final int WORDS = KernelFile.PAGE / Long.BYTES;
    private static final int KEPT_MESSAGES = 20;

    /** What to run: threads (spread over the roles), how long, the seed, pages of A, and where the files live. */
    public record Options(int threads, long millis, long seed, int pages, Path dir) {
    }

    /** The outcome: ops done, violations by kind, the first messages. */
    public record Result(long ops, long foreign, long nonzeroHole, long millis, List<String> messages, String failure) {
        public long violations() {
            return foreign + nonzeroHole;
        }
    }

    private final Options options;
    private final LongAdder ops = new LongAdder();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong nonzeroHole = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();
    private final List<String> messages = new ArrayList<>();
    /** The threads' native buffers. Guarded by itself. */
    private final List<Memory> buffers = new ArrayList<>();
    private AtomicLongArray started;
    private AtomicLongArray finished;
    private AtomicLongArray holeAt;
    private volatile boolean stop;
    private volatile String failure;

    public KernelStress(Options options) {
        this.options = options;
    }

    /** Runs the race for the options' time, reporting progress every {@code everyMillis} to {@code progress} (ops so far). */
    public Result run(LongConsumer progress, long everyMillis) throws InterruptedException {
        int pages = options.pages();
        prepare(pages);
        long t0 = System.nanoTime();
        try (KernelFile a = KernelFile.create(options.dir(), pages); KernelFile b = KernelFile.create(options.dir(), pages)) {
            List<Thread> threads = new ArrayList<>();
            try {
                String[] roles = {"fault", "read", "write", "punch", "churn"};
                for (int i = 0; i < Math.max(roles.length, options.threads()); i++) {
                    String role = roles[i % roles.length];
                    SplittableRandom rng = new SplittableRandom(options.seed() * 1_000_003 + i);
                    Thread t = new Thread(() -> guarded(() -> work(role, a, b, rng)), "stress-" + role + "-" + i);
                    threads.add(t);
                    t.start();
                }
                long end = t0 + options.millis() * 1_000_000;
                long next = System.nanoTime() + everyMillis * 1_000_000;
                while (System.nanoTime() < end && failure == null) {
                    Thread.sleep(Math.max(1, Math.min(end, next) - System.nanoTime()) / 1_000_000 + 1);
                    if (System.nanoTime() >= next && progress != null) {
                        progress.accept(ops.sum());
                        next += everyMillis * 1_000_000;
                    }
                }
            } finally {
                // Every worker stopped before the files close: a fault on an unmapped address would kill the JVM.
                stop = true;
                for (Thread t : threads) {
                    t.join();
                }
            }
        }
        synchronized (messages) {
            return new Result(ops.sum(), foreign.get(), nonzeroHole.get(), (System.nanoTime() - t0) / 1_000_000,
                    List.copyOf(messages), failure);
        }
    }

    /** The bookkeeping of a new file of {@code pages}: all holes, with no write begun. */
    void prepare(int pages) {
        started = new AtomicLongArray(pages);
        finished = new AtomicLongArray(pages);
        holeAt = new AtomicLongArray(pages); // 0: a hole as of 0 writes begun
    }

    long foreignCount() {
        return foreign.get();
    }

    long nonzeroHoleCount() {
        return nonzeroHole.get();
    }

    private void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            failure = e.toString();
        }
    }

    private void work(String role, KernelFile a, KernelFile b, SplittableRandom rng) {
        int pages = options.pages();
        long[] out = new long[16];
        TargetFile.View view = role.equals("fault") ? a.map(0, pages) : null;
        long buf = role.equals("write") || role.equals("churn") || role.equals("read") ? scratch(16) : 0;
        while (!stop) {
            int p = rng.nextInt(pages);
            switch (role) {
                case "fault" -> {
                    if (rng.nextInt(4) == 0) {
                        view.zap(p);
                        a.dropCache(p, p); // the next fault reads the block, not the cache
                    }
                    checkMapped(view, p);
                    view.zap(p);
                }
                case "read" -> {
                    int n = Math.min(16, pages - p);
                    if (rng.nextInt(4) == 0) {
                        a.dropCache(p, p + n - 1);
                    }
                    checkRead(a, buf, p, n);
                }
                case "write" -> {
                    int n = 1 + rng.nextInt(Math.min(8, pages - p));
                    write(a, buf, p, n);
                    if (rng.nextInt(4) == 0) {
                        a.writeback(p, p + n - 1); // blocks are allocated at writeback (delayed allocation)
                    }
                }
                case "punch" -> punch(a, p, 1 + rng.nextInt(Math.min(16, pages - p)));
                default -> churn(b, buf, p, 1 + rng.nextInt(Math.min(16, pages - p)));
            }
            ops.increment();
        }
    }

    /** Writes pages {@code [p, p + n)} of A with their pattern, counted as begun before and done after. */
    private void write(KernelFile a, long buf, int p, int n) {
        long g = generation.incrementAndGet() & 0xFF_FFFF;
        for (int k = 0; k < n; k++) {
            fillPage(buf + (long) k * KernelFile.PAGE, pattern(false, p + k, g));
            started.incrementAndGet(p + k);
        }
        try {
            a.pwriteFrom(buf, p, n);
        } finally {
            for (int k = 0; k < n; k++) {
                finished.incrementAndGet(p + k);
            }
        }
    }

    /** Punches {@code [p, p + n)} of A; each page with no write in flight before and none begun by the end is a known hole. */
    private void punch(KernelFile a, int p, int n) {
        long[] before = new long[n];
        boolean[] idle = new boolean[n];
        for (int k = 0; k < n; k++) {
            before[k] = started.get(p + k);
            idle[k] = finished.get(p + k) == before[k];
        }
        a.punch(p, p + n - 1);
        for (int k = 0; k < n; k++) {
            if (idle[k] && started.get(p + k) == before[k]) {
                holeAt.set(p + k, before[k]);
            }
        }
    }

    /** B's churn: write a range with B's pattern, write it back (blocks allocated), punch it (blocks freed). */
    private void churn(KernelFile b, long buf, int p, int n) {
        long g = generation.incrementAndGet() & 0xFF_FFFF;
        for (int k = 0; k < n; k++) {
            fillPage(buf + (long) k * KernelFile.PAGE, pattern(true, p + k, g));
        }
        b.pwriteFrom(buf, p, n);
        b.writeback(p, p + n - 1);
        b.punch(p, p + n - 1);
    }

    private void checkMapped(TargetFile.View view, int p) {
        long s0 = started.get(p);
        boolean hole = holeAt.get(p) == s0;
        long first = view.read(p);
        KernelFile.Mapped m = (KernelFile.Mapped) view;
        boolean nonzero = first != 0;
        for (int w = 0; w < WORDS; w++) {
            long word = w == 0 ? first : m.word(p, w);
            nonzero |= word != 0;
            check(p, word, "fault");
        }
        if (hole && nonzero && started.get(p) == s0) {
            violation(nonzeroHole, "NONZERO_HOLE: page " + p + " of A read non-zero through a mapping after a punch with no write since");
        }
    }

    private void checkRead(KernelFile a, long buf, int p, int n) {
        long[] s0 = new long[n];
        boolean[] hole = new boolean[n];
        for (int k = 0; k < n; k++) {
            s0[k] = started.get(p + k);
            hole[k] = holeAt.get(p + k) == s0[k];
        }
        int got = a.preadInto(buf, p, n);
        for (int k = 0; k < got; k++) {
            checkPage(p + k, buf + (long) k * KernelFile.PAGE, hole[k], s0[k], "read()");
        }
    }

    /**
     * The page of A numbered {@code p}, as a read copied it to {@code addr}: every word zero or
     * A's own for {@code p}, and all zero if it was a known {@code hole} when the read began (with
     * {@code s0} writes begun then) and no write of it has begun since.
     */
    void checkPage(int p, long addr, boolean hole, long s0, String how) {
        boolean nonzero = false;
        for (int w = 0; w < WORDS; w++) {
            long word = KernelFile.UNSAFE.getLong(addr + (long) w * Long.BYTES);
            nonzero |= word != 0;
            check(p, word, how);
        }
        if (hole && nonzero && started.get(p) == s0) {
            violation(nonzeroHole, "NONZERO_HOLE: page " + p + " of A read non-zero by " + how + " after a punch with no write since");
        }
    }

    /** A's pattern for page {@code p}, generation {@code g}; B's with {@code b}. */
    static long pattern(boolean b, int p, long g) {
        return (b ? B_MAGIC : A_MAGIC) | ((long) p << 24) | (g & 0xFF_FFFF);
    }

    /** A word of page {@code p} of A: zero, or A's pattern for {@code p}; anything else is stale. */
    private void check(int p, long word, String how) {
        if (word != 0 && (word & OWNER_MASK) != (A_MAGIC | ((long) p << 24))) {
            String whose = (word & (0xFFL << 56)) == B_MAGIC ? "file B's page " + ((word >>> 24) & 0xFFFF_FFFFL)
                    : (word & (0xFFL << 56)) == A_MAGIC ? "A's page " + ((word >>> 24) & 0xFFFF_FFFFL) : "unknown data";
            violation(foreign, "FOREIGN: page " + p + " of A showed " + whose + " (word " + Long.toHexString(word) + ") by " + how);
        }
    }

    private void violation(AtomicLong kind, String message) {
        kind.incrementAndGet();
        synchronized (messages) {
            if (messages.size() < KEPT_MESSAGES) {
                messages.add(message);
            }
        }
    }

    private static void fillPage(long addr, long value) {
        for (int w = 0; w < WORDS; w++) {
            KernelFile.UNSAFE.putLong(addr + (long) w * Long.BYTES, value);
        }
    }

    /** A native buffer of {@code pages} pages for one thread, kept reachable for the run (JNA frees a Memory when it is collected). */
    private long scratch(int pages) {
        Memory m = new Memory((long) pages * KernelFile.PAGE);
        synchronized (buffers) {
            buffers.add(m);
        }
        return Pointer.nativeValue(m);
    }
}
