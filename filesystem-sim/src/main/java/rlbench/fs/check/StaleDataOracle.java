package rlbench.fs.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import rlbench.fs.block.Stamp;
import rlbench.locks.index.SparseIntArray;

/**
 * Counts every way a design can let a file show data it should not: the security bug and the
 * corruption the seeds argue about. The filesystem calls it wherever data crosses the user
 * boundary (a fault's or read's result) and wherever a page goes back to disk (writeback).
 *
 * <p>It also hands out write generations, so that every write leaves a distinct {@link Stamp},
 * and remembers, per page index, the generation of the last completed write, to catch lost writes.
 * Whether a lost write is excused is decided per page: every page index has a count of the
 * invalidations (punch, truncate) that ever started over it and of those running now, so a punch
 * elsewhere in the file does not disarm the check here.
 *
 * <p>Each check is written so that a safe design can never trip it, whatever the interleaving;
 * see each method. Memory ordering: counters and per-index values are atomics (volatile);
 * the message list is guarded by its own monitor and only touched on a violation.
 *
 * <p>{@link #ENABLED} compiles the oracle out, as {@link LockOrderChecker#ENABLED} does the
 * lock-order checker: the filesystem guards every call with it, so in a benchmark JVM (property
 * {@code rlbench.oracle} unset) the checks fold away and only the lock design is measured. Tests
 * (Surefire sets the property) and {@code rlbench stress} run with it on.
 */
public final class StaleDataOracle {

    /**
     * Whether the oracle is on in this JVM: {@code Boolean.getBoolean("rlbench.oracle")}, read once
     * when this class is initialised; {@code static final} so that a false value lets the JIT drop
     * every guarded call.
     */
    public static final boolean ENABLED = Boolean.getBoolean("rlbench.oracle");

    /** What went wrong. */
    public enum Kind {
        FOREIGN_DATA("read returned data the file never wrote at that index"),
        HOLE_NOT_ZERO("non-zero data read from a hole"),
        WRITEBACK_TO_FOREIGN_BLOCK("writeback into a block the file no longer owns"),
        DIRECT_WRITE_TO_FOREIGN_BLOCK("a direct write landed in a block its file no longer owns"),
        LOST_WRITE("a completed write was lost");

        private final String what;

        Kind(String what) {
            this.what = what;
        }

        public String what() {
            return what;
        }
    }

    /** How many violation messages are kept; counting goes on past it. */
    private static final int KEPT_MESSAGES = 50;

    private final AtomicLongArray counts = new AtomicLongArray(Kind.values().length);
    private final List<String> messages = new ArrayList<>();
    private final Map<Integer, FileState> files = new ConcurrentHashMap<>();
    private final AtomicLong firstViolationNanos = new AtomicLong();
    /** Reads and writebacks checked: proof that a code path is watched at all. */
    private final LongAdder checks = new LongAdder();
    private final long createdNanos = System.nanoTime();

    /**
     * Test seam: run inside {@link #committed} right after it reads {@code running}, so a test can
     * start an invalidation in the window a preempted writer would leave. Null outside tests.
     */
    static volatile Runnable afterRunningRead;

    /** Per-file write bookkeeping, per page index. */
    private static final class FileState {
        final SparseIntArray issued = new SparseIntArray();
        final SparseIntArray committed = new SparseIntArray();
        /** The {@link #started} count of the index when its last write completed; -1: untrusted. */
        final SparseIntArray committedEpoch = new SparseIntArray();
        /** Invalidations that ever started over each index. */
        final SparseIntArray started = new SparseIntArray();
        /** Invalidations running over each index now. */
        final SparseIntArray running = new SparseIntArray();
    }

    /** Tells the oracle about a new file. */
    public void register(int fileId) {
        files.putIfAbsent(fileId, new FileState());
    }

    private FileState file(int fileId) {
        FileState f = files.get(fileId);
        if (f == null) {
            throw new IllegalStateException("file " + fileId + " was never registered");
        }
        return f;
    }

    /** A fresh generation for a write of {@code index}; called under the page lock. */
    public int nextGeneration(int fileId, long index) {
        return file(fileId).issued.chunk(index).incrementAndGet(SparseIntArray.slot(index));
    }

    /**
     * A write of {@code index} with {@code generation} has completed (write_end returned). A write
     * that completes while an invalidation over its page runs may rightly be thrown away by it, so
     * it is not trusted for the lost-write check.
     *
     * <p>The epoch is read as a seqlock reader would: {@code started}, then {@code running}, then
     * {@code started} again, against {@link #invalidationStarts}, which raises {@code running}
     * before {@code started}. Under a design whose mkwrite excludes no invalidation (lock-entries:
     * the page lock alone orders the write against the punch's writeback), an invalidation can
     * start while this runs; one plain read of each counter could then see {@code running} before
     * the start and {@code started} after it, and trust a write the punch goes on to throw away
     * (a false LOST_WRITE). With the double read, an invalidation that starts meanwhile changes
     * either {@code running} or {@code started} between the reads.
     */
    public void committed(int fileId, long index, int generation) {
        FileState f = file(fileId);
        int slot = SparseIntArray.slot(index);
        int newest = f.committed.chunk(index).getAndAccumulate(slot, generation, Math::max);
        int before = f.started.get(index);
        // A write landing older than one already committed (unordered writes) may have overwritten
        // it: nothing about this page can be trusted until the next write.
        boolean idle = f.running.get(index) == 0 && generation >= newest;
        Runnable hook = afterRunningRead;
        if (hook != null) {
            hook.run();
        }
        int epoch = idle && f.started.get(index) == before ? before : -1;
        f.committedEpoch.chunk(index).set(slot, epoch);
    }

    /**
     * An invalidation of {@code [first, last]} begins: lost-write checks of those pages stop
     * trusting earlier writes. Costs O(pages) of the range; the oracle runs in tests and stress,
     * never in benchmarks.
     */
    public void invalidationStarts(int fileId, long first, long last) {
        // running before started: committed() relies on this order (see there).
        FileState f = file(fileId);
        for (long i = first; i <= last; i++) {
            int slot = SparseIntArray.slot(i);
            f.running.chunk(i).incrementAndGet(slot);
            f.started.chunk(i).incrementAndGet(slot);
        }
    }

    public void invalidationEnds(int fileId, long first, long last) {
        FileState f = file(fileId);
        for (long i = first; i <= last; i++) {
            f.running.chunk(i).decrementAndGet(SparseIntArray.slot(i));
        }
    }

    /**
     * A write of {@code [first, last]} that no lock orders against other writes of those pages
     * begins: an asynchronous direct write in flight, or in DAX mode a write() or a store (Linux
     * orders them by nothing but which reaches the device or the memory last). Until it ends,
     * lost-write checks of those pages stop trusting the writes before, as for an invalidation.
     * FOREIGN_DATA and the other checks go on.
     */
    public void unorderedWriteStarts(int fileId, long first, long last) {
        invalidationStarts(fileId, first, last);
    }

    /** The unordered write of {@code [first, last]} has landed. */
    public void unorderedWriteEnds(int fileId, long first, long last) {
        invalidationEnds(fileId, first, last);
    }

    /**
     * A snapshot to take before reading {@code index}, for {@link #checkRead}: the committed
     * generation if it can be trusted (no invalidation of this page since it was committed and
     * none running), else 0, which disables the lost-write check for this read.
     */
    public long expectAtLeast(int fileId, long index) {
        FileState f = file(fileId);
        int epoch = f.started.get(index);
        if (f.running.get(index) != 0 || f.committedEpoch.get(index) != epoch || f.committed.get(index) == 0) {
            return 0;
        }
        return ((long) f.committed.get(index) << 32) | (epoch & 0xFFFF_FFFFL);
    }

    /**
     * Checks what a read of {@code index} returned.
     *
     * <p>FOREIGN_DATA: another file's or another index's stamp can only come from a block that was
     * freed and reused under a page that should have been evicted; no safe design can produce it.
     * HOLE_NOT_ZERO is checked only when {@code underPageLock} (the page still in the cache, so a
     * punch has not evicted it yet and cannot have freed its block). LOST_WRITE uses the snapshot
     * from {@link #expectAtLeast}; it is skipped if an invalidation ran since.
     *
     * @param block the block the page was read from, or 0 for none
     * @param mappedNow the block mapped at {@code index} now (0 for a hole); only used under the page lock
     */
    public void checkRead(int fileId, long index, long who, long generation, int block, int mappedNow,
                          boolean underPageLock, long expected, long currentOwnerOfBlock) {
        checks.increment();
        if (who != Stamp.NOBODY && who != Stamp.who(fileId, index)) {
            violation(Kind.FOREIGN_DATA, fileId, index, block, currentOwnerOfBlock,
                    "read returned data of " + Stamp.describe(who) + " gen " + generation);
            return;
        }
        if (underPageLock && who != Stamp.NOBODY && mappedNow == 0) {
            violation(Kind.HOLE_NOT_ZERO, fileId, index, block, currentOwnerOfBlock,
                    "the file has a hole there but the read returned gen " + generation);
            return;
        }
        if (expected != 0) {
            FileState f = file(fileId);
            long committedGen = expected >>> 32;
            if ((f.started.get(index) & 0xFFFF_FFFFL) == (expected & 0xFFFF_FFFFL) && generation < committedGen) {
                violation(Kind.LOST_WRITE, fileId, index, block, currentOwnerOfBlock,
                        "read returned gen " + generation + " after gen " + committedGen + " was written");
            }
        }
    }

    /**
     * Checks a direct write's completion landing in {@code block} for {@code index}, whose owner
     * is {@code ownerNow}: a punch that freed the block without waiting for the IO in flight
     * ({@code inode_dio_wait}) lets it land in whatever file the block went to next.
     */
    public void checkDirectWrite(int fileId, long index, int block, long ownerNow) {
        checks.increment();
        if (ownerNow != Stamp.who(fileId, index)) {
            violation(Kind.DIRECT_WRITE_TO_FOREIGN_BLOCK, fileId, index, block, ownerNow, "a direct write completed into it");
        }
    }

    /** Checks a writeback of {@code index} into {@code block}, whose owner is {@code ownerNow}. */
    public void checkWriteback(int fileId, long index, int block, long ownerNow) {
        checks.increment();
        if (ownerNow != Stamp.who(fileId, index)) {
            violation(Kind.WRITEBACK_TO_FOREIGN_BLOCK, fileId, index, block, ownerNow,
                    "writeback of a dirty page into it");
        }
    }

    private void violation(Kind kind, int fileId, long index, int block, long owner, String detail) {
        counts.incrementAndGet(kind.ordinal());
        firstViolationNanos.compareAndSet(0, System.nanoTime() - createdNanos);
        synchronized (messages) {
            if (messages.size() < KEPT_MESSAGES) {
                messages.add(kind + ": file " + fileId + " index " + index + " block " + block
                        + " (now owned by " + Stamp.describe(owner) + "): " + detail);
            }
        }
    }

    /** How many reads and writebacks were checked; 0 whenever {@link #ENABLED} is false. */
    public long checks() {
        return checks.sum();
    }

    public long count(Kind kind) {
        return counts.get(kind.ordinal());
    }

    public long total() {
        long t = 0;
        for (Kind k : Kind.values()) {
            t += count(k);
        }
        return t;
    }

    public Map<Kind, Long> counts() {
        Map<Kind, Long> m = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            m.put(k, count(k));
        }
        return m;
    }

    /** The first violation messages, at most {@value #KEPT_MESSAGES}. */
    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    /** Nanoseconds from the oracle's creation to the first violation, or 0 if none. */
    public long firstViolationAfterNanos() {
        return firstViolationNanos.get();
    }
}
