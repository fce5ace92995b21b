package rlbench.fs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.agrona.concurrent.UnsafeBuffer;
import rlbench.fs.block.BlockAllocator;
import rlbench.fs.block.BlockDevice;
import rlbench.fs.block.Stamp;
import rlbench.fs.check.LockClass;
import rlbench.fs.check.LockOrderChecker;
import rlbench.fs.check.StaleDataOracle;
import rlbench.locks.Intent;
import rlbench.locks.MappingLock;
import rlbench.locks.MappingLock.Instantiation;
import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.rwsem.RwSemaphore;
import rlbench.locks.stat.LockPoint;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;

/**
 * The simulated filesystem every design shares. Each operation follows its kernel counterpart's
 * steps in the kernel's order, and reaches the lock design only at the lock points of
 * {@link MappingLock}; it never knows which design it runs with.
 *
 * <p>Sizes and offsets are in pages. Operations return a generation ({@code >= 0}, 0 for the zero
 * page) or one of the negative codes {@link #SIGBUS} and {@link #ENOSPC}.
 *
 * <p>The inode lock ({@code i_rwsem}, a kernel-like {@link RwSemaphore}) is the filesystem's own,
 * taken exclusive by buffered write(), punch, truncate and fallocate in every design, as the VFS
 * and ext4/XFS take it. Lock order, checked by {@link LockOrderChecker} when it is on: inode lock
 * -> {@code mmap_lock} -> invalidation (the design's instantiate, readahead, mkwrite and invalidate
 * lock points) -> page lock. A new page is locked from birth, before it is in the cache; like
 * Linux, that is not counted as taking a page lock, since nobody else can reach the page yet.
 *
 * <p>The stale-data oracle runs only when {@link StaleDataOracle#ENABLED} (tests, stress); every
 * call to it is guarded, so a benchmark JVM runs the same operations with the checks folded away.
 * Page frames come from a {@link PageFrames} pool, and range walks take pages from the index in
 * batches ({@link PageIndex#gather}), so neither a fault nor an eviction allocates.
 */
public final class FileSystem {

    /**
     * The filesystem's own lock points in the lock statistics ({@link LockStat}), beside the
     * design's ({@link LockPoint#INSTANTIATE} and the others, counted by the design): the inode
     * lock, always taken exclusive; {@code mmap_lock} shared, as faults take it, and exclusive, as
     * mmap and munmap do; the page lock, taken on a cached page (a new page, locked from birth,
     * is not a page-lock acquisition, as in Linux, though its unlock ends a pending hold sample).
     */
    public static final LockPoint I_RWSEM = LockPoint.define("i_rwsem", true);
    public static final LockPoint I_RWSEM_SHARED = LockPoint.define("i_rwsem.shared", false);
    public static final LockPoint MMAP_LOCK = LockPoint.define("mmap_lock", false);
    public static final LockPoint MMAP_LOCK_WRITE = LockPoint.define("mmap_lock.write", true);
    public static final LockPoint PAGE_LOCK = LockPoint.define("page_lock", true);

    /** A fault or read beyond the end of the file. */
    public static final long SIGBUS = -1;
    /** No free block for a write into a hole. */
    public static final long ENOSPC = -2;

    /** Pages a range walk takes from the index at a time (Linux's folio batch holds 31). */
    private static final int BATCH = 32;

    /**
     * The filesystem's shape and costs.
     *
     * @param framePoolPages how many free page frames the filesystem keeps for reuse (the frames
     *     of evicted pages; beyond it they go to the garbage collector)
     */
    public record Config(int pageSize, int blocks, BlockDevice.Mode mode, long readLatencyNanos, int readaheadPages,
                         int framePoolPages, CacheMode cacheMode) {
        /** The default {@link #framePoolPages}: 16 MiB of 4 KiB frames in DATA mode. */
        public static final int DEFAULT_FRAME_POOL = 4096;
        /** The fewest free frames a pool keeps: a thread's magazine spills half of itself. */
        public static final int MIN_FRAME_POOL = 2;

        public Config {
            if (readaheadPages < 1) {
                throw new IllegalArgumentException("readahead must be at least one page: " + readaheadPages);
            }
            if (framePoolPages < MIN_FRAME_POOL) {
                throw new IllegalArgumentException("the page-frame pool needs at least 2 frames: " + framePoolPages);
            }
            java.util.Objects.requireNonNull(cacheMode, "cacheMode");
        }

        public Config(int pageSize, int blocks, BlockDevice.Mode mode, long readLatencyNanos, int readaheadPages,
                      int framePoolPages) {
            this(pageSize, blocks, mode, readLatencyNanos, readaheadPages, framePoolPages, CacheMode.PAGECACHE);
        }

        public Config(int pageSize, int blocks, BlockDevice.Mode mode, long readLatencyNanos, int readaheadPages) {
            this(pageSize, blocks, mode, readLatencyNanos, readaheadPages, DEFAULT_FRAME_POOL);
        }

        /** This configuration in {@code cacheMode}. */
        public Config with(CacheMode cacheMode) {
            return new Config(pageSize, blocks, mode, readLatencyNanos, readaheadPages, framePoolPages, cacheMode);
        }

        /** A small filesystem with contents, for tests and stress runs. */
        public static Config small(int blocks) {
            return new Config(4096, blocks, BlockDevice.Mode.DATA, 0, 8);
        }
    }

    private final Config config;
    /** DAX mode (see {@link CacheMode#DAX}): pages are DAX entries, holding a block and no data. */
    private final boolean dax;
    private final BlockDevice device;
    private final BlockAllocator allocator;
    private final StaleDataOracle oracle = new StaleDataOracle();
    private final PageFrames frames;
    private final Function<PageIndex, MappingLock> lockFactory;
    private final AtomicInteger nextFileId = new AtomicInteger();
    /** New pages backed out because an optimistic design's validation failed (for tests). */
    private final AtomicLong instantiationRetries = new AtomicLong();
    /** Buffered writes whose copy came up short and were retried (a rare path; for tests). */
    private final AtomicLong shortCopies = new AtomicLong();
    /** What a write copies from when the user's buffer is not a mapping: one page of pattern. */
    private final UnsafeBuffer userBytes;
    /**
     * Called by a punch or truncate after it evicted the range and before it frees the blocks:
     * the window seed 003 draws. Tests use it to replay that timeline; null otherwise.
     */
    private volatile InvalidationWindow invalidationWindow;
    /** Per-thread destination of buffered reads, so a read copies a page without allocating. */
    private final ThreadLocal<UnsafeBuffer> readBuffer;
    /** Per-thread block and generation lists of a direct IO, reused (an IO's bio list). */
    private final ThreadLocal<int[]> directBlocks = ThreadLocal.withInitial(() -> new int[16]);
    private final ThreadLocal<int[]> directGens = ThreadLocal.withInitial(() -> new int[16]);
    /** The {@link DirectIoWindow} hook; null outside tests. */
    private volatile DirectIoWindow directIoWindow;
    /** The {@link InstantiationWindow} hook; null outside tests. */
    private volatile InstantiationWindow instantiationWindow;
    /** Per-thread list of the address spaces a punch holds for writing, sorted by id (mmap-write). */
    private final ThreadLocal<AddressSpace[]> mappersHeld = ThreadLocal.withInitial(() -> new AddressSpace[8]);
    /** Per-thread batch for range walks (a folio batch on the kernel's stack). */
    private final ThreadLocal<Batch> batches = ThreadLocal.withInitial(Batch::new);

    /**
     * A range walk, a batch of pages at a time from one walk of the index each: {@link #next}
     * takes the next batch, {@link #take}/{@link #index} read it. Thread-confined and reused.
     */
    private static final class Batch {
        final IndexEntry[] pages = new IndexEntry[BATCH];
        final long[] indices = new long[BATCH];
        int n;
        private long from;
        private long last;
        private boolean done;

        Batch over(long first, long last) {
            this.from = first;
            this.last = last;
            this.done = first > last;
            return this;
        }

        /** Takes the next batch of pages of the range from {@code index}; false when none is left. */
        boolean next(PageIndex index) {
            if (done) {
                return false;
            }
            n = index.gather(from, last, pages, indices);
            if (n < BATCH || indices[n - 1] >= last) {
                done = true;
            } else {
                from = indices[n - 1] + 1;
            }
            return n > 0;
        }

        /** Page {@code k} of the batch, cleared from it so the batch keeps no page alive. */
        Page take(int k) {
            Page p = (Page) pages[k];
            pages[k] = null;
            return p;
        }

        long index(int k) {
            return indices[k];
        }
    }

    public FileSystem(Config config, Function<PageIndex, MappingLock> lockFactory) {
        this.config = config;
        this.dax = config.cacheMode() == CacheMode.DAX;
        this.device = new BlockDevice(config.blocks(), config.pageSize(), config.mode(), config.readLatencyNanos());
        this.allocator = new BlockAllocator(device);
        // A DAX entry carries no copy of the data: its frames have none.
        this.frames = new PageFrames(config.pageSize(), config.mode() == BlockDevice.Mode.DATA && !dax,
                config.framePoolPages());
        this.lockFactory = lockFactory;
        this.userBytes = new UnsafeBuffer(new byte[config.pageSize()]);
        this.userBytes.setMemory(0, config.pageSize(), (byte) 0x6b);
        this.readBuffer = ThreadLocal.withInitial(() -> new UnsafeBuffer(new byte[config.pageSize()]));
    }

    public Config config() {
        return config;
    }

    /** The stale-data oracle; it counts nothing unless {@link StaleDataOracle#ENABLED}. */
    public StaleDataOracle oracle() {
        return oracle;
    }

    public BlockAllocator allocator() {
        return allocator;
    }

    /** Page frames made because none was free to reuse, since this filesystem was created. */
    public long pageFramesMade() {
        return frames.framesMade();
    }

    /** How many new pages were backed out and instantiated again after failing validation. */
    public long instantiationRetries() {
        return instantiationRetries.get();
    }

    /** How many times a buffered write's copy came up short (its source unmapped) and was retried. */
    public long shortCopies() {
        return shortCopies.get();
    }

    /** A new, empty file of {@code sizePages} (all holes). */
    public Inode createFile(long sizePages) {
        int id = nextFileId.incrementAndGet();
        Inode f = new Inode(id, lockFactory);
        f.sizePages.set(sizePages);
        oracle.register(id);
        return f;
    }

    /** A hook into the window between eviction and block freeing of every punch and truncate. */
    @FunctionalInterface
    public interface InvalidationWindow {
        void evictedNotYetFreed(Inode f, long first, long last);
    }

    /** Installs (or, with null, removes) the {@link InvalidationWindow} hook; for tests. */
    public void onInvalidationWindow(InvalidationWindow hook) {
        this.invalidationWindow = hook;
    }

    /** A new simulated process. */
    public AddressSpace newProcess() {
        return new AddressSpace();
    }

    // ---------------------------------------------------------------- faults

    /** A load from {@code index} through mapping {@code m}: reads the PTE, or faults (filemap_fault). */
    public long readMapped(Mapping m, long index) {
        Inode f = m.inode;
        mmapLockShared(m.space);
        try {
            while (true) {
                Page mapped = m.pte(index);
                if (mapped != null) {
                    long who;
                    long gen;
                    int block = mapped.block;
                    if (dax) {
                        // The entry maps the block itself: the load reads the block.
                        who = blockWho(block, null);
                        gen = blockGeneration(block);
                    } else {
                        who = mapped.who;
                        gen = mapped.generation;
                    }
                    if (m.pte(index) != mapped) {
                        continue; // unmapped (and maybe reused) while we read it: fault instead
                    }
                    if (StaleDataOracle.ENABLED) {
                        oracle.checkRead(f.id(), index, who, gen, block, 0, false, 0, ownerOf(block));
                    }
                    return gen;
                }
                long expected = StaleDataOracle.ENABLED ? oracle.expectAtLeast(f.id(), index) : 0;
                Page p = filemapFault(m, index);
                if (p == null) {
                    return SIGBUS;
                }
                long gen = checkedContents(f, p, expected);
                releasePage(p);
                return gen;
            }
        } finally {
            mmapUnlockShared(m.space);
        }
    }

    /**
     * A store to {@code index} through {@code m}: the fault, then do_page_mkwrite as ext4 and XFS
     * do it: drop the page lock, take the mkwrite lock point, lock the page again and re-check that
     * it is still in the file (a punch or truncate may have evicted it meanwhile: fault again),
     * give a hole a block, dirty the page.
     */
    public long writeMapped(Mapping m, long index) {
        Inode f = m.inode;
        mmapLockShared(m.space);
        try {
            while (true) {
                Page p = filemapFault(m, index);
                if (p == null) {
                    return SIGBUS;
                }
                unlockPage(p); // our reference keeps the frame from being reused meanwhile
                mkwriteLock(f, index);
                try {
                    lockPage(p);
                    if (!p.isAt(f, index) || index >= f.sizePages()) {
                        releasePage(p);
                        continue; // VM_FAULT_NOPAGE: the page went away; fault it in again
                    }
                    try {
                        if (!pageMkwriteBlock(f, p)) {
                            return ENOSPC;
                        }
                        if (dax && StaleDataOracle.ENABLED) {
                            oracle.unorderedWriteStarts(f.id(), index, index); // so may a write() meanwhile
                        }
                        int gen = nextGeneration(f, p);
                        if (dax) {
                            device.write(p.block, Stamp.who(f.id(), index), gen, userBytes); // the store lands in the block
                        } else {
                            fill(f, p, gen, null);
                        }
                        if (StaleDataOracle.ENABLED) {
                            oracle.committed(f.id(), index, gen);
                            if (dax) {
                                oracle.unorderedWriteEnds(f.id(), index, index);
                            }
                        }
                        return gen;
                    } finally {
                        releasePage(p);
                    }
                } finally {
                    mkwriteUnlock(f, index);
                }
            }
        } finally {
            mmapUnlockShared(m.space);
        }
    }

    /**
     * filemap_fault: a cache hit locks the page and re-checks that it is still this file's page at
     * this index (a punch or truncate may have evicted it since the lookup, and its frame may be
     * reused); a miss instantiates the page under the instantiate lock point and reads it. Returns
     * the page locked, referenced (the caller releases both) and mapped, or null beyond EOF.
     * Called with {@code mmap_lock} held.
     */
    private Page filemapFault(Mapping m, long index) {
        if (dax) {
            return daxFault(m, index);
        }
        Inode f = m.inode;
        while (true) {
            if (index >= f.sizePages()) {
                return null;
            }
            Page p = lockedCachedPage(f, index);
            if (p == null) {
                p = instantiateAndRead(f, index, true);
                if (p == null) {
                    continue;
                }
            }
            if (index >= f.sizePages()) {
                releasePage(p);
                return null;
            }
            m.install(index, p);
            return p;
        }
    }

    /**
     * dax_iomap_fault: there is no page cache to hit, so every fault takes the design's lock
     * point, as ext4's DAX fault takes the invalidate lock shared around each one. A slot with no
     * entry is filled through instantiate(p), which looks the block up (a hole maps as the zero
     * page, an entry with no block); an existing entry is locked (its lock bit) under the shared
     * mkwrite(p) lock point, which the lock statistics therefore count for DAX faults on existing
     * entries. Returns the entry locked, referenced and mapped, or null beyond EOF.
     */
    private Page daxFault(Mapping m, long index) {
        Inode f = m.inode;
        while (true) {
            if (index >= f.sizePages()) {
                return null;
            }
            if (f.cache.load(index) instanceof Page) {
                mkwriteLock(f, index);
                try {
                    Page p = lockedCachedPage(f, index);
                    if (p == null) {
                        continue; // deleted meanwhile: look again
                    }
                    if (index >= f.sizePages()) {
                        releasePage(p);
                        return null;
                    }
                    m.install(index, p);
                    return p;
                } finally {
                    mkwriteUnlock(f, index);
                }
            }
            Page p = instantiateAndRead(f, index, true);
            if (p == null) {
                continue;
            }
            if (index >= f.sizePages()) {
                releasePage(p);
                return null;
            }
            m.install(index, p);
            return p;
        }
    }

    /**
     * madvise(MADV_DONTNEED) of one page: clears {@code m}'s page-table entry for {@code index}, so
     * that the next {@link #readMapped}/{@link #writeMapped} of it through {@code m} faults. The
     * page stays in the cache (a later fault of it is a hit) and other mappings keep theirs.
     * Workloads use it, outside what they time, to make every benchmarked access a real fault.
     *
     * <p>Unlike madvise it does not take {@code mmap_lock}: clearing an entry is one atomic store,
     * safe against a concurrent fault (which installs the entry again, or already holds the page,
     * as a TLB would) and a concurrent unmap (which clears with a CAS), and as benchmark
     * scaffolding it should not add contention on {@code mmap_lock} to the faults being measured.
     *
     * @throws IllegalArgumentException if {@code m} does not map {@code index}
     */
    public void zap(Mapping m, long index) {
        if (!m.covers(index)) {
            throw new IllegalArgumentException("page " + index + " is outside the mapping");
        }
        m.zap(index, index);
    }

    // ---------------------------------------------------------------- buffered IO

    /**
     * read(): readahead in batches, then a copy of each page to the user under its page lock.
     * Writes each page's generation into {@code out} ({@link #SIGBUS} past EOF) and returns how
     * many pages were read.
     */
    public int readBuffered(Inode f, long first, int count, long[] out) {
        if (dax) {
            return daxRead(f, first, count, out);
        }
        if (!f.lock.invalidationTakesMmapLocks()) {
            return readPages(f, first, count, out);
        }
        // No mmap_lock keeps this read out of a punch under mmap-write: the inode lock shared, as
        // XFS's buffered read takes its IOLOCK.
        inodeLock(f, Intent.SHARED, Intent.SHARED, first, first + count - 1);
        try {
            return readPages(f, first, count, out);
        } finally {
            inodeUnlock(f, Intent.SHARED, Intent.SHARED, first, first + count - 1);
        }
    }

    private int readPages(Inode f, long first, int count, long[] out) {
        int batch = config.readaheadPages();
        int done = 0;
        while (done < count) {
            long start = first + done;
            int n = Math.min(batch, count - done);
            readaheadLocked(f, start, n);
            for (int k = 0; k < n; k++) {
                long gen = readOne(f, start + k);
                out[done + k] = gen;
                if (gen == SIGBUS) {
                    return done + k;
                }
            }
            done += n;
        }
        return done;
    }

    /**
     * page_cache_ra_unbounded: the readahead lock point once for the whole window (waiting for it,
     * as {@code filemap_invalidate_lock_shared} does), then, for each absent page of the window, a
     * frame and the design's per-page part without waiting; pages that cannot be had at once are
     * skipped, as readahead skips what is already there or locked.
     */
    public void readahead(Inode f, long start, int pages) {
        if (dax) {
            return; // no page cache to read ahead into
        }
        if (!f.lock.invalidationTakesMmapLocks()) {
            readaheadLocked(f, start, pages);
            return;
        }
        inodeLock(f, Intent.SHARED, Intent.SHARED, start, start + Math.max(pages, 1) - 1);
        try {
            readaheadLocked(f, start, pages);
        } finally {
            inodeUnlock(f, Intent.SHARED, Intent.SHARED, start, start + Math.max(pages, 1) - 1);
        }
    }

    /** {@link #readahead}, with whatever keeps a read out of a punch under this design already held. */
    private void readaheadLocked(Inode f, long start, int pages) {
        long end = Math.min(start + pages, f.sizePages());
        if (end <= start) {
            return;
        }
        long last = end - 1;
        MappingLock lock = f.lock;
        checkerAcquired(LockClass.INVALIDATION);
        lockReadahead(lock, start, last);
        try {
            for (long i = start; i <= last; i++) {
                if (f.cache.load(i) != null) {
                    continue;
                }
                Page p = frames.allocate(f, i);
                if (lock.instantiateInBatch(i, p) != Instantiation.INSERTED) {
                    p.unlock();
                    put(p); // the cache's reference, never taken
                    put(p);
                    continue;
                }
                boolean valid = false;
                try {
                    readPage(f, p);
                    valid = stillValid(f, i, p);
                } finally {
                    lock.endInstantiateInBatch(i);
                }
                p.unlock();
                if (!valid) {
                    put(p); // the cache's reference: the page was backed out of the index
                }
                put(p);
            }
        } finally {
            lock.unlockReadahead(start, last);
            checkerReleased(LockClass.INVALIDATION);
        }
    }

    private long readOne(Inode f, long index) {
        while (true) {
            if (index >= f.sizePages()) {
                return SIGBUS;
            }
            long expected = StaleDataOracle.ENABLED ? oracle.expectAtLeast(f.id(), index) : 0;
            Page p = lockedCachedPage(f, index);
            if (p == null) {
                p = instantiateAndRead(f, index, true);
                if (p == null) {
                    continue;
                }
            }
            try {
                if (p.data != null) {
                    readBuffer.get().putBytes(0, p.data, 0, config.pageSize());
                }
                return checkedContents(f, p, expected);
            } finally {
                releasePage(p);
            }
        }
    }

    /**
     * write(): the inode lock exclusive around the whole call (every design: it is
     * {@code i_rwsem}, not a design's lock), then generic_perform_write page by page: fault the
     * source in under {@code mmap_lock} (never holding the page or an invalidation lock, which
     * would invert the lock order), write_begin (find or instantiate the page, lock it, give a
     * hole a block), copy without faulting (a short copy retries), mark dirty, write_end (extend
     * i_size, unlock). {@code source} may map this very file.
     *
     * @return the generation written to the last page, or {@link #ENOSPC}
     */
    public long writeBuffered(Inode f, long first, int count, Mapping source, long sourceFirst) {
        if (dax) {
            return daxWrite(f, first, count, source, sourceFirst);
        }
        long lastIndex = first + count - 1;
        inodeLock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, first, lastIndex);
        try {
            long gen = 0;
            for (int k = 0; k < count; k++) {
                long index = first + k;
                while (true) {
                    if (source != null && readMapped(source, sourceFirst + k) == SIGBUS) {
                        return SIGBUS;
                    }
                    Page p = writeBegin(f, index);
                    if (p == null) {
                        return ENOSPC;
                    }
                    try {
                        UnsafeBuffer from = userBytes;
                        if (source != null) {
                            Page sp = source.pte(sourceFirst + k);
                            if (sp == null) {
                                shortCopies.getAndIncrement();
                                continue; // short copy: the source was unmapped meanwhile; fault it in again
                            }
                            from = sp.data;
                        }
                        int g = nextGeneration(f, p);
                        fill(f, p, g, from);
                        f.extendTo(index + 1);
                        if (StaleDataOracle.ENABLED) {
                            oracle.committed(f.id(), index, g);
                        }
                        gen = g;
                        break;
                    } finally {
                        releasePage(p);
                    }
                }
            }
            return gen;
        } finally {
            inodeUnlock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, first, lastIndex);
        }
    }

    // ---------------------------------------------------------------- DAX read and write

    /**
     * dax_iomap_rw for a read (ext4_dax_read_iter): the inode lock shared (an IO range under a
     * design that replaces it), then each page's block looked up and copied from, with no page
     * cache and no readahead. Under the inode lock no punch runs, so the blocks stay the file's.
     */
    private int daxRead(Inode f, long first, int count, long[] out) {
        long last = first + count - 1;
        inodeLock(f, Intent.SHARED, Intent.SHARED, first, last);
        try {
            UnsafeBuffer into = config.mode() == BlockDevice.Mode.DATA ? readBuffer.get() : null;
            for (int k = 0; k < count; k++) {
                long index = first + k;
                if (index >= f.sizePages()) {
                    out[k] = SIGBUS;
                    return k;
                }
                long expected = StaleDataOracle.ENABLED ? oracle.expectAtLeast(f.id(), index) : 0;
                int b = f.blocks.lookup(index);
                long who = blockWho(b, into);
                long gen = blockGeneration(b);
                if (StaleDataOracle.ENABLED) {
                    oracle.checkRead(f.id(), index, who, gen, b, b, true, expected, ownerOf(b));
                }
                out[k] = gen;
            }
            return count;
        } finally {
            inodeUnlock(f, Intent.SHARED, Intent.SHARED, first, last);
        }
    }

    /**
     * dax_iomap_rw for a write (ext4_dax_write_iter): the inode lock exclusive, then per page:
     * fault the source in, give a hole a block (zeroed, an unwritten extent), and remove an entry
     * that maps no block there (a read fault of the hole mapped the zero page; dax_iomap_iter
     * invalidates such entries for IOMAP_F_NEW so that the write is seen through mappings), copy
     * into the block, extend i_size. The copy's bytes are the write pattern, not the source's.
     *
     * @return the generation written to the last page, {@link #SIGBUS} or {@link #ENOSPC}
     */
    private long daxWrite(Inode f, long first, int count, Mapping source, long sourceFirst) {
        long last = first + count - 1;
        inodeLock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, first, last);
        try {
            long gen = 0;
            for (int k = 0; k < count; k++) {
                long index = first + k;
                if (source != null && readMapped(source, sourceFirst + k) == SIGBUS) {
                    return SIGBUS;
                }
                int b = blockFor(f, index);
                if (b == 0) {
                    return ENOSPC;
                }
                if (f.cache.load(index) instanceof Page e && e.block != b) {
                    // A zero-page entry over what is now a block (this write's, or fallocate's): remove it.
                    evictRange(f, index, index, true);
                }
                if (StaleDataOracle.ENABLED) {
                    oracle.unorderedWriteStarts(f.id(), index, index); // a store may land on this block meanwhile
                }
                int g = StaleDataOracle.ENABLED ? oracle.nextGeneration(f.id(), index) : 1;
                device.write(b, Stamp.who(f.id(), index), g, userBytes);
                f.extendTo(index + 1);
                if (StaleDataOracle.ENABLED) {
                    oracle.committed(f.id(), index, g);
                    oracle.unorderedWriteEnds(f.id(), index, index);
                }
                gen = g;
            }
            return gen;
        } finally {
            inodeUnlock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, first, last);
        }
    }

    /**
     * The stamp of the data in {@code block}, or nobody's for a hole: with {@code into}, a read of
     * the block into it (a copy, with the device's latency); without, a load through a mapping,
     * which reads the stamp in place.
     */
    private long blockWho(int block, UnsafeBuffer into) {
        if (block == BlockMap.HOLE) {
            return Stamp.NOBODY;
        }
        return into != null ? device.read(block, into) : device.who(block);
    }

    /** The generation of the data in {@code block}, 0 for a hole. */
    private long blockGeneration(int block) {
        return block == BlockMap.HOLE ? 0 : device.generation(block);
    }

    /** write_begin: the page at {@code index} locked, referenced, in the cache, with a block; null on ENOSPC. */
    private Page writeBegin(Inode f, long index) {
        while (true) {
            Page p = lockedCachedPage(f, index);
            if (p == null) {
                // The whole page will be overwritten: nothing to read, only the block to find.
                p = instantiateAndRead(f, index, false);
                if (p == null) {
                    continue;
                }
            }
            if (!pageMkwriteBlock(f, p)) {
                releasePage(p);
                return null;
            }
            return p;
        }
    }

    // ---------------------------------------------------------------- direct IO

    /**
     * Called between a direct IO's submission (locks dropped, blocks chosen) and its completion
     * (data landing in or read from the blocks): the window in which an asynchronous IO is in
     * flight with no lock held, which seed 004 draws. Tests use it to replay that timeline.
     */
    @FunctionalInterface
    public interface DirectIoWindow {
        void inFlight(Inode f, long first, int count);
    }

    /**
     * Called when a new page has been inserted and its block looked up and read, before an
     * optimistic design validates it: the window in which a punch can free the block a fault just
     * read. Tests use it to replay that timeline.
     */
    @FunctionalInterface
    public interface InstantiationWindow {
        void beforeValidation(Inode f, long index);
    }

    /** Installs (or, with null, removes) the {@link InstantiationWindow} hook; for tests. */
    public void instantiationValidated(InstantiationWindow hook) {
        this.instantiationWindow = hook;
    }

    /**
     * Test seam: new pages skip the design's validation, so a test can show the oracle catching
     * the fault that maps a block a concurrent punch freed. Never set outside tests.
     */
    volatile boolean skipValidation;

    /** Installs (or, with null, removes) the {@link DirectIoWindow} hook; for tests. */
    public void onDirectIoInFlight(DirectIoWindow hook) {
        this.directIoWindow = hook;
    }

    /**
     * Test seam: punch and truncate skip {@code inode_dio_wait}, so a test can show the oracle
     * catching the direct write that lands in a freed block. Never set outside tests.
     */
    volatile boolean skipDioWait;

    /**
     * A direct write ({@code O_DIRECT}) of {@code count} pages from {@code first}, as XFS does it:
     * the inode lock shared; the range written back and its cached pages invalidated
     * ({@code filemap_write_and_wait_range}, {@code invalidate_inode_pages2_range}), so no cached
     * page is left stale over the blocks the IO writes; holes given blocks; the IO counted in
     * flight ({@code inode_dio_begin}) and the lock dropped, as an asynchronous IO is submitted and
     * returns; then the completion writes the blocks and ends the count. A punch or truncate takes
     * the inode lock, so no new direct IO starts, and waits for the count to drain before it frees
     * blocks ({@code inode_dio_wait}). Does not extend the file: the pages from i_size on are
     * not written (a short write).
     *
     * @return the generation written to the last page written, {@link #ENOSPC}, or
     *     {@link #SIGBUS} when {@code first} is at or beyond i_size
     */
    public long writeDirect(Inode f, long first, int count) {
        if (dax) {
            // DAX has no page cache to bypass: O_DIRECT takes the DAX path (ext4_file_write_iter).
            int n = (int) Math.max(0, Math.min(count, f.sizePages() - first));
            return n == 0 ? SIGBUS : daxWrite(f, first, n, null, 0);
        }
        int[] blocks = scratch(directBlocks, count);
        int[] gens = scratch(directGens, count);
        long last = first + count - 1;
        // An IO range lock is held until the IO completes; the inode lock only until submission.
        boolean holdToCompletion = f.lock.replacesInodeLock();
        inodeLock(f, Intent.SHARED, Intent.EXCLUSIVE, first, last);
        checkerAcquired(LockClass.INVALIDATION);
        f.lock.lockDirectWrite(first, last);
        boolean submitted = false;
        int n = 0;
        try {
            n = (int) Math.max(0, Math.min(count, f.sizePages() - first));
            if (n == 0) {
                return SIGBUS;
            }
            writeback(f, first, last);
            evictRange(f, first, last, false); // invalidate_inode_pages2_range: written back just above
            for (int k = 0; k < n; k++) {
                long index = first + k;
                int b = blockFor(f, index); // reads see zeroes until the IO completes, not the old data
                if (b == 0) {
                    return ENOSPC;
                }
                blocks[k] = b;
            }
            if (StaleDataOracle.ENABLED) {
                oracle.unorderedWriteStarts(f.id(), first, first + n - 1);
            }
            f.dio.begin();
            submitted = true;
        } finally {
            if (!submitted) {
                f.lock.unlockDirectWrite(first, last);
                checkerReleased(LockClass.INVALIDATION);
            }
            if (!submitted || !holdToCompletion) {
                inodeUnlock(f, Intent.SHARED, Intent.EXCLUSIVE, first, last);
            }
        }
        try {
            DirectIoWindow hook = directIoWindow;
            if (hook != null) {
                hook.inFlight(f, first, count);
            }
            for (int k = 0; k < n; k++) {
                long index = first + k;
                if (StaleDataOracle.ENABLED) {
                    oracle.checkDirectWrite(f.id(), index, blocks[k], allocator.owner(blocks[k]));
                }
                // The data is as new as the moment it lands: a buffered write that ran while this
                // IO was in flight is older, as the device would order them.
                gens[k] = StaleDataOracle.ENABLED ? oracle.nextGeneration(f.id(), index) : 1;
                device.write(blocks[k], Stamp.who(f.id(), index), gens[k], userBytes);
            }
            return gens[n - 1];
        } finally {
            if (StaleDataOracle.ENABLED) {
                oracle.unorderedWriteEnds(f.id(), first, first + n - 1);
            }
            f.lock.unlockDirectWrite(first, last);
            checkerReleased(LockClass.INVALIDATION);
            f.dio.end();
            if (holdToCompletion) {
                inodeUnlock(f, Intent.SHARED, Intent.EXCLUSIVE, first, last);
            }
        }
    }

    /**
     * A direct read of {@code count} pages from {@code first} into {@code out} (one generation per
     * page; 0 for a hole; {@link #SIGBUS} from i_size on): the inode lock shared, the range written
     * back first so the blocks hold what the cache held, the blocks looked up, the IO counted in
     * flight and the lock dropped, then the completion reads the blocks. Returns the pages read.
     */
    public int readDirect(Inode f, long first, int count, long[] out) {
        if (dax) {
            return daxRead(f, first, count, out);
        }
        int[] blocks = scratch(directBlocks, count);
        int n;
        long last = first + count - 1;
        boolean holdToCompletion = f.lock.replacesInodeLock();
        boolean submitted = false;
        inodeLock(f, Intent.SHARED, Intent.SHARED, first, last);
        try {
            n = (int) Math.max(0, Math.min(count, f.sizePages() - first));
            writeback(f, first, first + count - 1);
            for (int k = 0; k < n; k++) {
                blocks[k] = f.blocks.lookup(first + k);
            }
            f.dio.begin();
            submitted = true;
        } finally {
            if (!submitted || !holdToCompletion) {
                inodeUnlock(f, Intent.SHARED, Intent.SHARED, first, last);
            }
        }
        try {
            DirectIoWindow hook = directIoWindow;
            if (hook != null) {
                hook.inFlight(f, first, count);
            }
            UnsafeBuffer into = readBuffer.get();
            for (int k = 0; k < n; k++) {
                long index = first + k;
                int b = blocks[k];
                long who = b == BlockMap.HOLE ? Stamp.NOBODY : device.read(b, config.mode() == BlockDevice.Mode.DATA ? into : null);
                long gen = b == BlockMap.HOLE ? 0 : device.generation(b);
                if (StaleDataOracle.ENABLED) {
                    oracle.checkRead(f.id(), index, who, gen, b, 0, false, 0, ownerOf(b));
                }
                out[k] = gen;
            }
            for (int k = n; k < count; k++) {
                out[k] = SIGBUS;
            }
            return n;
        } finally {
            f.dio.end();
            if (holdToCompletion) {
                inodeUnlock(f, Intent.SHARED, Intent.SHARED, first, last);
            }
        }
    }

    /** This thread's list of {@code which} (blocks or generations) for a direct IO of {@code count} pages, grown when needed, then reused. */
    private static int[] scratch(ThreadLocal<int[]> which, int count) {
        int[] a = which.get();
        if (a.length < count) {
            a = new int[count];
            which.set(a);
        }
        return a;
    }

    // ---------------------------------------------------------------- punch, truncate, fallocate, writeback

    /**
     * fallocate(PUNCH_HOLE): the inode lock, then the invalidate lock point, write back, unmap from
     * every mapping and evict the range (truncate_pagecache_range), free the range's extents,
     * unlock.
     */
    public void punch(Inode f, long first, long last) {
        inodeLock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, first, last);
        try {
            invalidate(f, first, last, -1);
        } finally {
            inodeUnlock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, first, last);
        }
    }

    /**
     * truncate(): under the inode lock; shrinking takes the invalidate lock point over the cut-off
     * pages first and changes i_size under it (truncate_setsize runs under {@code i_rwsem} and
     * the invalidation lock), so no write() or fault can land between the size change and the
     * eviction. Growing only sets the size.
     */
    public void truncate(Inode f, long newSizePages) {
        // An IO range lock covers every page from the new size on, so no write beyond it runs.
        long from = Math.min(newSizePages, PageIndex.MAX_INDEX);
        inodeLock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, from, PageIndex.MAX_INDEX);
        try {
            long old = f.sizePages();
            if (newSizePages < old) {
                invalidate(f, newSizePages, old - 1, newSizePages);
            } else {
                f.extendTo(newSizePages);
            }
        } finally {
            inodeUnlock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, from, PageIndex.MAX_INDEX);
        }
    }

    /**
     * fallocate(mode 0): gives every hole of [first, last] blocks, taken as extents, which read as
     * zeroes (ext4's unwritten extents), under the inode lock. Extends nothing (KEEP_SIZE).
     *
     * @return false when the device ran out of blocks (what was allocated stays)
     */
    public boolean fallocate(Inode f, long first, long last) {
        inodeLock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, first, last);
        try {
            return f.blocks.mapRange(first, last, allocator, f.id(),
                    (firstIndex, firstBlock, length) -> device.zero(firstBlock, length)) >= 0;
        } finally {
            inodeUnlock(f, Intent.EXCLUSIVE, Intent.EXCLUSIVE, first, last);
        }
    }

    /** Called with the inode lock held; {@code newSize >= 0} makes it a truncate to that size. */
    private void invalidate(Inode f, long first, long last, long newSize) {
        MappingLock lock = f.lock;
        int mappers = lock.invalidationTakesMmapLocks() ? lockMappers(f) : 0;
        checkerAcquired(LockClass.INVALIDATION);
        lock.lockInvalidate(first, last);
        if (!skipDioWait && !lock.replacesInodeLock()) {
            // inode_dio_wait: no direct IO may still land in blocks about to be freed. An IO range
            // lock is held by direct IO until it completes, so the punch's range waited for it.
            f.dio.awaitDrained();
        }
        if (StaleDataOracle.ENABLED) {
            oracle.invalidationStarts(f.id(), first, last);
        }
        try {
            if (newSize >= 0) {
                f.sizePages.set(newSize);
            }
            writeback(f, first, last);
            evictRange(f, first, last, true); // truncate_pagecache_range
            InvalidationWindow hook = invalidationWindow;
            if (hook != null) {
                hook.evictedNotYetFreed(f, first, last);
            }
            f.blocks.unmap(first, last, allocator);
        } finally {
            if (StaleDataOracle.ENABLED) {
                oracle.invalidationEnds(f.id(), first, last);
            }
            lock.unlockInvalidate(first, last);
            checkerReleased(LockClass.INVALIDATION);
            unlockMappers(mappers);
        }
    }

    /**
     * For a design that {@link MappingLock#invalidationTakesMmapLocks orders faults by mmap_lock}:
     * takes {@code mmap_lock} for writing in every address space that maps {@code f}, each once,
     * in ascending {@link AddressSpace#id} so two punches of files with common mappers cannot
     * deadlock. The caller holds the inode lock, which mmap() and munmap() of the file take shared
     * for such a design, so the set of mappers cannot change meanwhile. Returns how many were
     * taken; this thread's {@link #mappersHeld} lists them.
     */
    private int lockMappers(Inode f) {
        AddressSpace[] held = mappersHeld.get();
        int n = 0;
        for (Mapping m : f.mappings) {
            AddressSpace s = m.space;
            int at = 0;
            while (at < n && held[at].id < s.id) {
                at++;
            }
            if (at < n && held[at] == s) {
                continue; // a second mapping in the same process
            }
            if (n == held.length) {
                held = java.util.Arrays.copyOf(held, n * 2);
                mappersHeld.set(held);
            }
            System.arraycopy(held, at, held, at + 1, n - at);
            held[at] = s;
            n++;
        }
        for (int k = 0; k < n; k++) {
            acquire(held[k].mmapLock, Intent.EXCLUSIVE, LockClass.MMAP, MMAP_LOCK_WRITE);
        }
        return n;
    }

    private void unlockMappers(int n) {
        AddressSpace[] held = mappersHeld.get();
        for (int k = n - 1; k >= 0; k--) {
            release(held[k].mmapLock, Intent.EXCLUSIVE, LockClass.MMAP, MMAP_LOCK_WRITE);
            held[k] = null;
        }
    }

    /**
     * Unmaps the range from every mapping, then evicts its pages, a batch at a time: every page,
     * dirty or not, for a punch or truncate ({@code truncate_pagecache_range}, which throws dirty
     * data away), or the clean ones only ({@code invalidate_inode_pages2_range}, after direct IO's
     * writeback: a page dirtied since stays).
     */
    private void evictRange(Inode f, long first, long last, boolean dirtyToo) {
        for (Mapping m : f.mappings) {
            m.zap(first, last);
        }
        Batch b = batches.get().over(first, last);
        while (b.next(f.cache)) {
            for (int k = 0; k < b.n; k++) {
                Page p = b.take(k);
                long i = b.index(k);
                if (!getIfAt(f, p, i)) {
                    continue; // already evicted
                }
                lockPage(p);
                boolean evicted = false;
                try {
                    if (p.isAt(f, i) && (dirtyToo || !p.dirty)) {
                        for (Mapping m : f.mappings) {
                            m.zap(p);
                        }
                        p.dirty = false;
                        evicted = f.cache.delete(i, p);
                    }
                } finally {
                    releasePage(p);
                }
                if (evicted) {
                    put(p); // the cache's reference
                }
            }
        }
    }

    /**
     * Drops clean, unmapped pages of [first, last] from the cache (invalidate_mapping_pages, what
     * {@code drop_caches} does): no invalidation lock, since no block is freed. Workloads use it
     * to set their cache hit ratio.
     */
    public void dropCache(Inode f, long first, long last) {
        if (dax) {
            return; // no page cache: DAX entries stay until a punch or truncate removes them
        }
        Batch b = batches.get().over(first, last);
        while (b.next(f.cache)) {
            for (int k = 0; k < b.n; k++) {
                Page p = b.take(k);
                long i = b.index(k);
                if (p.dirty || !getIfAt(f, p, i)) {
                    continue;
                }
                if (!p.tryLock()) {
                    put(p);
                    continue;
                }
                checkerAcquired(LockClass.PAGE);
                boolean evicted = false;
                try {
                    if (p.isAt(f, i) && !p.dirty && !isMapped(f, p)) {
                        evicted = f.cache.delete(i, p);
                    }
                } finally {
                    releasePage(p);
                }
                if (evicted) {
                    put(p); // the cache's reference
                }
            }
        }
    }

    private static boolean isMapped(Inode f, Page p) {
        for (Mapping m : f.mappings) {
            if (m.covers(p.index) && m.pte(p.index) == p) {
                return true;
            }
        }
        return false;
    }

    /** Writes every dirty cached page of [first, last] to its block (filemap_write_and_wait_range). */
    public void writeback(Inode f, long first, long last) {
        if (dax) {
            return; // every write already landed in its block
        }
        Batch b = batches.get().over(first, last);
        while (b.next(f.cache)) {
            for (int k = 0; k < b.n; k++) {
                Page p = b.take(k);
                long i = b.index(k);
                if (!p.dirty || !getIfAt(f, p, i)) {
                    continue;
                }
                lockPage(p);
                try {
                    if (p.isAt(f, i) && p.dirty && p.block != BlockMap.HOLE) {
                        if (StaleDataOracle.ENABLED) {
                            oracle.checkWriteback(f.id(), i, p.block, allocator.owner(p.block));
                        }
                        device.write(p.block, p.who, p.generation, p.data);
                        p.dirty = false;
                    }
                } finally {
                    releasePage(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- pieces

    /**
     * find_lock_page: the cached page at {@code index}, referenced and locked, still this file's page at this
     * index and uptodate, or null. A page can be cached but not uptodate when a write instantiated
     * it to overwrite it whole and then gave up (a short copy); like filemap_read_folio, read it
     * now. Its block cannot be freed meanwhile: a punch evicts the page, under this page lock,
     * before it frees blocks.
     */
    private Page lockedCachedPage(Inode f, long index) {
        while (true) {
            IndexEntry e = f.cache.load(index);
            if (!(e instanceof Page p)) {
                return null; // absent, or a lock entry: the instantiation path deals with it
            }
            if (!getIfAt(f, p, index)) {
                continue; // evicted since the lookup: look again
            }
            lockPage(p);
            if (p.isAt(f, index)) {
                if (!p.uptodate) {
                    readPage(f, p);
                }
                return p;
            }
            releasePage(p); // evicted (and maybe reused) between lookup and lock: look again
        }
    }

    /**
     * A new page at {@code index} through the instantiate lock point, its block looked up and,
     * if {@code read}, its contents read. Returns it locked (counted as a page lock) and referenced,
     * or null if another page got there first.
     */
    private Page instantiateAndRead(Inode f, long index, boolean read) {
        Page p = frames.allocate(f, index);
        if (!beginInstantiate(f, index, p)) {
            p.unlock();
            put(p); // the cache's reference, never taken
            put(p);
            return null;
        }
        boolean valid = false;
        try {
            if (read) {
                readPage(f, p);
            } else {
                p.block = f.blocks.lookup(index);
            }
            valid = stillValid(f, index, p);
        } finally {
            endInstantiate(f, index);
        }
        if (!valid) {
            p.unlock();
            put(p); // the cache's reference: the page was backed out of the index
            put(p);
            return null; // the caller looks again, and instantiates again
        }
        checkerAcquired(LockClass.PAGE);
        return p;
    }

    private boolean beginInstantiate(Inode f, long index, Page p) {
        checkerAcquired(LockClass.INVALIDATION);
        if (f.lock.lockInstantiate(index, p) != Instantiation.INSERTED) {
            checkerReleased(LockClass.INVALIDATION);
            return false;
        }
        return true;
    }

    private void endInstantiate(Inode f, long index) {
        f.lock.unlockInstantiate(index);
        checkerReleased(LockClass.INVALIDATION);
    }

    /**
     * An optimistic design's validation of a new page, after its block was looked up and read
     * ({@link MappingLock#instantiationStillValid}); a page that fails it is deleted from the
     * index here, still locked, so whoever found it meanwhile sees it gone and looks again. The
     * {@link #instantiationValidated} hook runs first (tests replay a punch in that window).
     */
    private boolean stillValid(Inode f, long index, Page p) {
        InstantiationWindow hook = instantiationWindow;
        if (hook != null) {
            hook.beforeValidation(f, index);
        }
        if (skipValidation || f.lock.instantiationStillValid(index, p)) {
            return true;
        }
        f.cache.delete(index, p);
        instantiationRetries.getAndIncrement();
        return false;
    }

    /**
     * readpage: look the block up now, under the instantiate lock point, and read it; in DAX mode
     * only look it up, as a DAX entry maps the block and copies nothing.
     */
    private void readPage(Inode f, Page p) {
        int b = f.blocks.lookup(p.index);
        p.block = b;
        if (dax) {
            p.who = Stamp.NOBODY;
            p.generation = 0;
            p.uptodate = true;
            return;
        }
        if (b == BlockMap.HOLE) {
            p.who = Stamp.NOBODY;
            p.generation = 0;
            if (p.data != null) {
                p.data.setMemory(0, config.pageSize(), (byte) 0);
            }
        } else {
            p.who = device.read(b, p.data);
            p.generation = device.generation(b);
        }
        p.uptodate = true;
    }

    /** page_mkwrite / write_begin's get_block(create): a block for a hole, under the page lock. */
    private boolean pageMkwriteBlock(Inode f, Page p) {
        if (p.block != BlockMap.HOLE) {
            return true;
        }
        // The write that allocates may still give up (a short copy, SIGBUS) and leave the page clean.
        int b = blockFor(f, p.index);
        if (b == 0) {
            return false;
        }
        p.block = b;
        return true;
    }

    /**
     * get_block(create): the block mapped at {@code index}, or a new one for a hole, zeroed first
     * (ext4's unwritten extents read as zeroes until written); 0 when the device is full. If
     * another writer of the index mapped a block first, that one is returned and ours freed.
     */
    private int blockFor(Inode f, long index) {
        int b = f.blocks.lookup(index);
        if (b != BlockMap.HOLE) {
            return b;
        }
        b = allocator.allocate(Stamp.who(f.id(), index));
        if (b == 0) {
            return 0;
        }
        device.zero(b);
        if (!f.blocks.mapIfHole(index, b)) {
            allocator.free(b);
            b = f.blocks.lookup(index);
        }
        return b;
    }

    /** The generation a write of {@code p} leaves: the oracle's count, or the next number without it. */
    private int nextGeneration(Inode f, Page p) {
        return StaleDataOracle.ENABLED ? oracle.nextGeneration(f.id(), p.index) : (int) p.generation + 1;
    }

    /** The copy of a write: the page now holds generation {@code gen} of this file and index. */
    private void fill(Inode f, Page p, int gen, UnsafeBuffer from) {
        if (p.data != null) {
            p.data.putBytes(0, from == null ? userBytes : from, 0, config.pageSize());
        }
        p.who = Stamp.who(f.id(), p.index);
        p.generation = gen;
        p.uptodate = true;
        p.dirty = true;
    }

    /** What a read returns from a locked page still in the file, checked by the oracle when it is on. */
    private long checkedContents(Inode f, Page p, long expected) {
        long who = dax ? blockWho(p.block, null) : p.who;
        long gen = dax ? blockGeneration(p.block) : p.generation;
        if (StaleDataOracle.ENABLED) {
            oracle.checkRead(f.id(), p.index, who, gen, p.block, f.blocks.lookup(p.index), true, expected,
                    ownerOf(p.block));
        }
        return gen;
    }

    private long ownerOf(int block) {
        return block == BlockMap.HOLE ? Stamp.NOBODY : allocator.owner(block);
    }

    private static void lockPage(Page p) {
        checkerAcquired(LockClass.PAGE);
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        p.lock();
        LockStat.end(stat, PAGE_LOCK, mark, true);
    }

    private static void unlockPage(Page p) {
        LockStat.released(PAGE_LOCK);
        p.unlock();
        checkerReleased(LockClass.PAGE);
    }

    /**
     * filemap_get_entry's speculative reference: takes a reference on {@code p}, found without
     * locks at {@code index}, and checks that the slot still holds it. A frame freed and reused
     * since the lookup (even with references again, as someone's new page) fails the check, so a
     * caller never sleeps on the lock of a page that is not this one. True with a reference held.
     */
    private boolean getIfAt(Inode f, Page p, long index) {
        if (!p.tryGet()) {
            return false;
        }
        if (f.cache.load(index) != p) {
            put(p);
            return false;
        }
        return true;
    }

    /** Unlocks a page and drops the caller's reference. */
    private void releasePage(Page p) {
        unlockPage(p);
        put(p);
    }

    /** Drops a reference; the last one gives the frame back to the pool (folio_put). */
    private void put(Page p) {
        if (p.put()) {
            frames.free(p);
        }
    }

    /**
     * The inode lock, {@code i_rwsem}, with {@code intent}: exclusive for write(), punch,
     * truncate, fallocate; shared for direct IO (XFS's IOLOCK). For a design that
     * {@link MappingLock#replacesInodeLock replaces it}, io(first,last) with {@code rangeIntent}
     * instead.
     */
    static void inodeLock(Inode f, Intent intent, Intent rangeIntent, long first, long last) {
        if (f.lock.replacesInodeLock()) {
            checkerAcquired(LockClass.INODE);
            f.lock.lockIo(first, last, rangeIntent);
        } else {
            acquire(f.inodeLock, intent, LockClass.INODE, intent == Intent.EXCLUSIVE ? I_RWSEM : I_RWSEM_SHARED);
        }
    }

    static void inodeUnlock(Inode f, Intent intent, Intent rangeIntent, long first, long last) {
        if (f.lock.replacesInodeLock()) {
            f.lock.unlockIo(first, last, rangeIntent);
            checkerReleased(LockClass.INODE);
        } else {
            release(f.inodeLock, intent, LockClass.INODE, intent == Intent.EXCLUSIVE ? I_RWSEM : I_RWSEM_SHARED);
        }
    }

    private static void mmapLockShared(AddressSpace s) {
        acquire(s.mmapLock, Intent.SHARED, LockClass.MMAP, MMAP_LOCK);
    }

    private static void mmapUnlockShared(AddressSpace s) {
        release(s.mmapLock, Intent.SHARED, LockClass.MMAP, MMAP_LOCK);
    }

    /** One of the filesystem's own rw-semaphores, told to the lock-order checker and counted as lock point {@code point}. */
    private static void acquire(RwSemaphore sem, Intent intent, LockClass c, LockPoint point) {
        checkerAcquired(c);
        LockStat.Recorder stat = LockStat.begin();
        long mark = stat == null ? 0 : stat.waitMark();
        sem.lock(intent);
        LockStat.end(stat, point, mark, true);
    }

    private static void release(RwSemaphore sem, Intent intent, LockClass c, LockPoint point) {
        LockStat.released(point);
        sem.release(intent);
        checkerReleased(c);
    }

    private static void mkwriteLock(Inode f, long index) {
        checkerAcquired(LockClass.INVALIDATION);
        f.lock.lockMkwrite(index);
    }

    private static void mkwriteUnlock(Inode f, long index) {
        f.lock.unlockMkwrite(index);
        checkerReleased(LockClass.INVALIDATION);
    }

    /** The readahead lock point, waiting without a deadline and deaf to interrupts, as the kernel's. */
    private static void lockReadahead(MappingLock lock, long first, long last) {
        boolean interrupted = false;
        while (true) {
            try {
                if (lock.lockReadahead(first, last, Timeouts.FOREVER)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkerAcquired(LockClass c) {
        if (LockOrderChecker.ENABLED) {
            LockOrderChecker.GLOBAL.acquired(c);
        }
    }

    private static void checkerReleased(LockClass c) {
        if (LockOrderChecker.ENABLED) {
            LockOrderChecker.GLOBAL.released(c);
        }
    }
}
