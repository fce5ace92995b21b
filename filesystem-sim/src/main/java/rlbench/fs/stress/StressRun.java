package rlbench.fs.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import rlbench.fs.AddressSpace;
import rlbench.fs.CacheMode;
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;
import rlbench.fs.Mapping;
import rlbench.fs.check.LockOrderChecker;
import rlbench.fs.check.StaleDataOracle;
import rlbench.locks.MappingLock;
import rlbench.locks.index.PageIndex;

/**
 * A race-hunting mix on a small filesystem: read and write faults, buffered reads with readahead,
 * buffered writes (a third of them from a mapping of the same file), punches, truncates down and
 * back up, fallocates, direct writes and reads, writeback and cache drops, over two small files that share one LIFO allocator, so a
 * freed block soon belongs to the other file. The stale-data oracle and, when enabled, the
 * lock-order checker watch every step. A watchdog turns a hang into a failure with the stuck
 * threads' stacks.
 */
public final class StressRun {

    /** What to run. */
    public record Options(int threads, long millis, long seed, int filePages, boolean stopAtFirstViolation,
                          CacheMode cacheMode) {
        /** Options for a page-cache run. */
        public Options(int threads, long millis, long seed, int filePages, boolean stopAtFirstViolation) {
            this(threads, millis, seed, filePages, stopAtFirstViolation, CacheMode.PAGECACHE);
        }

        public Options {
            java.util.Objects.requireNonNull(cacheMode, "cacheMode");
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            if (millis < 1) {
                throw new IllegalArgumentException("duration must be positive: " + millis + " ms");
            }
            if (filePages < 8) {
                throw new IllegalArgumentException("file must have at least 8 pages: " + filePages);
            }
        }
    }

    /** What happened. */
    public record Result(long ops, long millis, long violations, Map<StaleDataOracle.Kind, Long> byKind,
                         List<String> messages, long firstViolationNanos, long lockOrderViolations,
                         List<String> lockOrderReports, String hang, String failure, boolean outOfMemory) {
        public boolean clean() {
            return violations == 0 && lockOrderViolations == 0 && hang == null && failure == null && !outOfMemory;
        }
    }

    /** Blocks on the device per page of each of the two files: room for both, and for reuse races. */
    private static final int BLOCKS_PER_PAGE = 3;

    /**
     * About how much memory a run over files of {@code filePages} needs: block contents off-heap
     * and both files' page cache on the heap, in DATA mode with 4 KiB pages.
     */
    public static long bytesNeeded(int filePages) {
        long blocks = (long) BLOCKS_PER_PAGE * filePages;
        long cached = 2L * filePages;
        return (blocks + cached) * 4096L + blocks * 32L;
    }

    /** Called every {@code progressMillis} from the watchdog thread. */
    @FunctionalInterface
    public interface Progress {
        void report(long elapsedMillis, long ops, long violations);
    }

    /** A worker that made no progress for this long is declared hung. */
    private static final long HANG_MILLIS = 20_000;

    private final Function<PageIndex, MappingLock> lockFactory;
    private final Options options;

    public StressRun(Function<PageIndex, MappingLock> lockFactory, Options options) {
        this.lockFactory = lockFactory;
        this.options = options;
    }

    public Result run(Progress progress, long progressMillis) throws InterruptedException {
        if (!StaleDataOracle.ENABLED) {
            throw new IllegalStateException("stress needs the stale-data oracle on: -Drlbench.oracle=true");
        }
        int pages = options.filePages();
        FileSystem fs = new FileSystem(FileSystem.Config.small(BLOCKS_PER_PAGE * pages).with(options.cacheMode()), lockFactory);
        Inode[] files = {fs.createFile(pages), fs.createFile(pages)};
        if (LockOrderChecker.ENABLED) {
            LockOrderChecker.GLOBAL.reset();
        }
        int n = options.threads();
        AtomicLongArray ops = new AtomicLongArray(n);
        AtomicLongArray lastProgress = new AtomicLongArray(n);
        AtomicReference<String> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean outOfMemory = new java.util.concurrent.atomic.AtomicBoolean();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(options.millis());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int id = t;
            SplittableRandom rnd = new SplittableRandom(options.seed() * 1_000_003L + t);
            AddressSpace proc = fs.newProcess();
            Mapping[] maps = {proc.map(files[0], 0, pages), proc.map(files[1], 0, pages)};
            Thread w = new Thread(() -> {
                long[] out = new long[8];
                try {
                    while (System.nanoTime() < deadline && failure.get() == null
                            && !(options.stopAtFirstViolation() && fs.oracle().total() > 0)) {
                        int which = rnd.nextInt(2);
                        oneOp(fs, files[which], maps[which], rnd, pages, out);
                        ops.incrementAndGet(id);
                        lastProgress.set(id, System.nanoTime());
                    }
                } catch (OutOfMemoryError e) {
                    outOfMemory.set(true); // the run's size, not the design: not a violation
                    failure.compareAndSet(null, Thread.currentThread().getName() + ": " + e);
                } catch (Throwable e) {
                    failure.compareAndSet(null, Thread.currentThread().getName() + ": " + e);
                }
            }, "stress-" + t);
            w.setDaemon(true);
            lastProgress.set(t, start);
            workers.add(w);
        }
        workers.forEach(Thread::start);
        String hang = watch(workers, ops, lastProgress, start, progress, progressMillis, fs);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long total = 0;
        for (int t = 0; t < n; t++) {
            total += ops.get(t);
        }
        StaleDataOracle o = fs.oracle();
        return new Result(total, millis, o.total(), o.counts(), o.messages(), o.firstViolationAfterNanos(),
                LockOrderChecker.ENABLED ? LockOrderChecker.GLOBAL.violations() : 0,
                LockOrderChecker.ENABLED ? LockOrderChecker.GLOBAL.reports() : List.of(), hang, failure.get(),
                outOfMemory.get());
    }

    /** Waits for the workers, reporting progress; returns a hang report, or null. */
    private static String watch(List<Thread> workers, AtomicLongArray ops, AtomicLongArray lastProgress, long start,
                                Progress progress, long progressMillis, FileSystem fs) throws InterruptedException {
        long nextReport = start + TimeUnit.MILLISECONDS.toNanos(progressMillis);
        while (true) {
            boolean alive = false;
            for (Thread w : workers) {
                w.join(50);
                alive |= w.isAlive();
            }
            long now = System.nanoTime();
            if (!alive) {
                return null;
            }
            StringBuilder stuck = new StringBuilder();
            for (int t = 0; t < workers.size(); t++) {
                Thread w = workers.get(t);
                if (w.isAlive() && now - lastProgress.get(t) > TimeUnit.MILLISECONDS.toNanos(HANG_MILLIS)) {
                    stuck.append(w.getName()).append(" made no progress for ").append(HANG_MILLIS / 1000).append(" s:\n");
                    for (StackTraceElement e : w.getStackTrace()) {
                        stuck.append("    at ").append(e).append('\n');
                    }
                }
            }
            if (stuck.length() > 0) {
                return stuck.toString();
            }
            if (progress != null && now >= nextReport) {
                long total = 0;
                for (int t = 0; t < ops.length(); t++) {
                    total += ops.get(t);
                }
                progress.report(TimeUnit.NANOSECONDS.toMillis(now - start), total, fs.oracle().total());
                nextReport += TimeUnit.MILLISECONDS.toNanos(progressMillis);
            }
        }
    }

    private static void oneOp(FileSystem fs, Inode f, Mapping map, SplittableRandom rnd, int pages, long[] out) {
        int i = rnd.nextInt(pages);
        int dice = rnd.nextInt(100);
        if (dice < 24) {
            fs.readMapped(map, i);
        } else if (dice < 36) {
            fs.writeMapped(map, i);
        } else if (dice < 48) {
            fs.readBuffered(f, i, Math.min(out.length, pages - i), out);
        } else if (dice < 56) {
            int n = 1 + rnd.nextInt(Math.min(4, pages - i));
            fs.writeBuffered(f, i, n, null, 0);
        } else if (dice < 62) {
            int n = 1 + rnd.nextInt(Math.min(4, pages - i));
            int src = rnd.nextInt(pages - n + 1);
            fs.writeBuffered(f, i, n, map, src); // the source is a mapping of this same file
        } else if (dice < 74) {
            fs.punch(f, i, Math.min(pages - 1, i + rnd.nextInt(16)));
        } else if (dice < 78) {
            fs.truncate(f, i);
            fs.truncate(f, pages);
        } else if (dice < 82) {
            fs.fallocate(f, i, Math.min(pages - 1, i + rnd.nextInt(16)));
        } else if (dice < 86) {
            fs.writeDirect(f, i, 1 + rnd.nextInt(Math.min(4, pages - i)));
        } else if (dice < 88) {
            fs.readDirect(f, i, Math.min(out.length, pages - i), out);
        } else if (dice < 93) {
            fs.writeback(f, 0, pages - 1);
        } else {
            fs.dropCache(f, 0, pages - 1);
        }
    }
}
