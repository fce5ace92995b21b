package rlbench.fs;

import java.util.concurrent.atomic.AtomicInteger;
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
import rlbench.locks.wait.Timeouts;

/**
 * The simulated filesystem every design shares. Each operation follows its kernel counterpart's
 * steps in the kernel's order, and reaches the lock design only at the three lock points of
 * {@link MappingLock}; it never knows which design it runs with.
 *
 * <p>Sizes and offsets are in pages. Operations return a generation ({@code >= 0}, 0 for the zero
 * page) or one of the negative codes {@link #SIGBUS} and {@link #ENOSPC}.
 *
 * <p>Lock order, checked by {@link LockOrderChecker} when it is on: inode lock (the write lock
 * point) -> {@code mmap_lock} -> invalidation (the instantiate and invalidate lock points) ->
 * page lock. A new page is locked from birth, before it is in the cache; like Linux, that is not
 * counted as taking a page lock, since nobody else can reach the page yet.
 */
public final class FileSystem {

    /** A fault or read beyond the end of the file. */
    public static final long SIGBUS = -1;
    /** No free block for a write into a hole. */
    public static final long ENOSPC = -2;

    /** The filesystem's shape and costs. */
    public record Config(int pageSize, int blocks, BlockDevice.Mode mode, long readLatencyNanos, int readaheadPages) {
        public Config {
            if (readaheadPages < 1) {
                throw new IllegalArgumentException("readahead must be at least one page: " + readaheadPages);
            }
        }

        /** A small filesystem with contents, for tests and stress runs. */
        public static Config small(int blocks) {
            return new Config(4096, blocks, BlockDevice.Mode.DATA, 0, 8);
        }
    }

    private final Config config;
    private final BlockDevice device;
    private final BlockAllocator allocator;
    private final StaleDataOracle oracle = new StaleDataOracle();
    private final Function<PageIndex, MappingLock> lockFactory;
    private final AtomicInteger nextFileId = new AtomicInteger();
    /** What a write copies from when the user's buffer is not a mapping: one page of pattern. */
    private final UnsafeBuffer userBytes;
    /**
     * Called by a punch or truncate after it evicted the range and before it frees the blocks:
     * the window seed 003 draws. Tests use it to replay that timeline; null otherwise.
     */
    private volatile InvalidationWindow invalidationWindow;
    /** Per-thread destination of buffered reads, so a read copies a page without allocating. */
    private final ThreadLocal<UnsafeBuffer> readBuffer;

    public FileSystem(Config config, Function<PageIndex, MappingLock> lockFactory) {
        this.config = config;
        this.device = new BlockDevice(config.blocks(), config.pageSize(), config.mode(), config.readLatencyNanos());
        this.allocator = new BlockAllocator(device);
        this.lockFactory = lockFactory;
        this.userBytes = new UnsafeBuffer(new byte[config.pageSize()]);
        this.userBytes.setMemory(0, config.pageSize(), (byte) 0x6b);
        this.readBuffer = ThreadLocal.withInitial(() -> new UnsafeBuffer(new byte[config.pageSize()]));
    }

    public Config config() {
        return config;
    }

    public StaleDataOracle oracle() {
        return oracle;
    }

    public BlockAllocator allocator() {
        return allocator;
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
            Page mapped = m.pte(index);
            if (mapped != null) {
                long who = mapped.who;
                long gen = mapped.generation;
                oracle.checkRead(f.id(), index, who, gen, mapped.block, 0, false, 0, ownerOf(mapped.block));
                return gen;
            }
            long expected = oracle.expectAtLeast(f.id(), index);
            Page p = filemapFault(m, index);
            if (p == null) {
                return SIGBUS;
            }
            long gen = checkedContents(f, p, expected);
            unlockPage(p);
            return gen;
        } finally {
            mmapUnlockShared(m.space);
        }
    }

    /** A store to {@code index} through {@code m}: fault, then page_mkwrite (block for a hole), dirty. */
    public long writeMapped(Mapping m, long index) {
        Inode f = m.inode;
        mmapLockShared(m.space);
        try {
            Page p = filemapFault(m, index);
            if (p == null) {
                return SIGBUS;
            }
            try {
                if (!pageMkwriteBlock(f, p)) {
                    return ENOSPC;
                }
                int gen = oracle.nextGeneration(f.id(), index);
                fill(f, p, gen, null);
                oracle.committed(f.id(), index, gen);
                return gen;
            } finally {
                unlockPage(p);
            }
        } finally {
            mmapUnlockShared(m.space);
        }
    }

    /**
     * filemap_fault: a cache hit locks the page and re-checks that it still belongs to the file
     * (a punch or truncate may have evicted it since the lookup); a miss instantiates the page
     * under the instantiate lock point and reads it. Returns the page locked and mapped, or null
     * beyond EOF. Called with {@code mmap_lock} held.
     */
    private Page filemapFault(Mapping m, long index) {
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
                unlockPage(p);
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
     * read(): readahead in batches (skipping slots it cannot take at once), then a copy of each
     * page to the user under its page lock. Writes each page's generation into {@code out}
     * ({@link #SIGBUS} past EOF) and returns how many pages were read.
     */
    public int readBuffered(Inode f, long first, int count, long[] out) {
        int batch = config.readaheadPages();
        int done = 0;
        while (done < count) {
            long start = first + done;
            int n = Math.min(batch, count - done);
            readahead(f, start, n);
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
     * page_cache_ra_unbounded, simplified: for each absent page of the window, allocate a page and
     * try the instantiate lock point without waiting; skip what cannot be had at once.
     */
    public void readahead(Inode f, long start, int pages) {
        long end = Math.min(start + pages, f.sizePages());
        for (long i = start; i < end; i++) {
            if (f.cache.load(i) != null) {
                continue;
            }
            Page p = new Page(f, i, config.pageSize(), data());
            if (!beginInstantiate(f, i, p, Timeouts.TRY)) {
                continue;
            }
            try {
                readPage(f, p);
            } finally {
                endInstantiate(f, i);
            }
            p.unlock();
        }
    }

    private long readOne(Inode f, long index) {
        while (true) {
            if (index >= f.sizePages()) {
                return SIGBUS;
            }
            long expected = oracle.expectAtLeast(f.id(), index);
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
                unlockPage(p);
            }
        }
    }

    /**
     * write(): the write lock point around the whole call, then generic_perform_write page by
     * page: fault the source in under {@code mmap_lock} (never holding the page or an
     * invalidation lock, which would invert the lock order), write_begin (find or instantiate the
     * page, lock it, give a hole a block), copy without faulting (a short copy retries), mark
     * dirty, write_end (extend i_size, unlock). {@code source} may map this very file.
     *
     * @return the generation written to the last page, or {@link #ENOSPC}
     */
    public long writeBuffered(Inode f, long first, int count, Mapping source, long sourceFirst) {
        long last = first + count - 1;
        MappingLock lock = f.lock;
        checkerAcquired(LockClass.INODE);
        lock.lockWrite(first, last, Intent.EXCLUSIVE);
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
                                continue; // short copy: the source was unmapped meanwhile; fault it in again
                            }
                            from = sp.data;
                        }
                        int g = oracle.nextGeneration(f.id(), index);
                        fill(f, p, g, from);
                        f.extendTo(index + 1);
                        oracle.committed(f.id(), index, g);
                        gen = g;
                        break;
                    } finally {
                        unlockPage(p);
                    }
                }
            }
            return gen;
        } finally {
            lock.unlockWrite(first, last, Intent.EXCLUSIVE);
            checkerReleased(LockClass.INODE);
        }
    }

    /** write_begin: the page at {@code index} locked, in the cache, with a block; null on ENOSPC. */
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
                unlockPage(p);
                return null;
            }
            return p;
        }
    }

    // ---------------------------------------------------------------- punch, truncate, writeback

    /**
     * fallocate(PUNCH_HOLE): invalidate lock point, write back, unmap from every mapping and evict
     * the range (truncate_pagecache_range), free the blocks, unlock.
     */
    public void punch(Inode f, long first, long last) {
        invalidate(f, first, last);
    }

    /**
     * truncate(): i_size first (truncate_setsize), so that faults beyond it fail, then the same
     * invalidation as a punch over the cut-off pages. Growing only sets the size.
     */
    public void truncate(Inode f, long newSizePages) {
        long old = f.sizePages.getAndSet(newSizePages);
        if (newSizePages < old) {
            invalidate(f, newSizePages, old - 1);
        }
    }

    private void invalidate(Inode f, long first, long last) {
        MappingLock lock = f.lock;
        checkerAcquired(LockClass.INVALIDATION);
        lock.lockInvalidate(first, last);
        oracle.invalidationStarts(f.id());
        try {
            writeback(f, first, last);
            truncatePagecacheRange(f, first, last);
            InvalidationWindow hook = invalidationWindow;
            if (hook != null) {
                hook.evictedNotYetFreed(f, first, last);
            }
            freeBlocks(f, first, last);
        } finally {
            oracle.invalidationEnds(f.id());
            lock.unlockInvalidate(first, last);
            checkerReleased(LockClass.INVALIDATION);
        }
    }

    private void truncatePagecacheRange(Inode f, long first, long last) {
        for (Mapping m : f.mappings) {
            m.zap(first, last);
        }
        for (long i = f.cache.nextPage(first, last); i >= 0; i = i < last ? f.cache.nextPage(i + 1, last) : -1) {
            IndexEntry e = f.cache.load(i);
            if (!(e instanceof Page p)) {
                continue;
            }
            lockPage(p);
            try {
                if (p.owner() == f.cache) {
                    for (Mapping m : f.mappings) {
                        m.zap(p);
                    }
                    p.dirty = false;
                    f.cache.delete(i, p);
                }
            } finally {
                unlockPage(p);
            }
        }
    }

    private void freeBlocks(Inode f, long first, long last) {
        for (long i = f.blocks.nextMapped(first, last); i >= 0; i = i < last ? f.blocks.nextMapped(i + 1, last) : -1) {
            int b = f.blocks.lookup(i);
            if (b != BlockMap.HOLE && f.blocks.replace(i, b, BlockMap.HOLE)) {
                allocator.free(b);
            }
        }
    }

    /**
     * Drops clean, unmapped pages of [first, last] from the cache (invalidate_mapping_pages, what
     * {@code drop_caches} does): no invalidation lock, since no block is freed. Workloads use it
     * to set their cache hit ratio.
     */
    public void dropCache(Inode f, long first, long last) {
        for (long i = f.cache.nextPage(first, last); i >= 0; i = i < last ? f.cache.nextPage(i + 1, last) : -1) {
            IndexEntry e = f.cache.load(i);
            if (!(e instanceof Page p) || p.dirty || !p.tryLock()) {
                continue;
            }
            checkerAcquired(LockClass.PAGE);
            try {
                if (p.owner() == f.cache && !p.dirty && !isMapped(f, p)) {
                    f.cache.delete(i, p);
                }
            } finally {
                unlockPage(p);
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
        for (long i = f.cache.nextPage(first, last); i >= 0; i = i < last ? f.cache.nextPage(i + 1, last) : -1) {
            IndexEntry e = f.cache.load(i);
            if (!(e instanceof Page p) || !p.dirty) {
                continue;
            }
            lockPage(p);
            try {
                if (p.owner() == f.cache && p.dirty && p.block != BlockMap.HOLE) {
                    oracle.checkWriteback(f.id(), i, p.block, allocator.owner(p.block));
                    device.write(p.block, p.who, p.generation, p.data);
                    p.dirty = false;
                }
            } finally {
                unlockPage(p);
            }
        }
    }

    // ---------------------------------------------------------------- pieces

    /**
     * find_lock_page: the cached page at {@code index}, locked, still in the file and uptodate, or
     * null. A page can be cached but not uptodate when a write instantiated it to overwrite it
     * whole and then gave up (a short copy); like filemap_read_folio, read it now. Its block cannot
     * be freed meanwhile: a punch evicts the page, under this page lock, before it frees blocks.
     */
    private Page lockedCachedPage(Inode f, long index) {
        while (true) {
            IndexEntry e = f.cache.load(index);
            if (!(e instanceof Page p)) {
                return null; // absent, or a lock entry: the instantiation path deals with it
            }
            lockPage(p);
            if (p.owner() == f.cache) {
                if (!p.uptodate) {
                    readPage(f, p);
                }
                return p;
            }
            unlockPage(p); // evicted between lookup and lock: look again
        }
    }

    /**
     * A new page at {@code index} through the instantiate lock point, its block looked up and,
     * if {@code read}, its contents read. Returns it locked (counted as a page lock), or null if
     * another page got there first.
     */
    private Page instantiateAndRead(Inode f, long index, boolean read) {
        Page p = new Page(f, index, config.pageSize(), data());
        if (!beginInstantiate(f, index, p, Timeouts.FOREVER)) {
            return null;
        }
        try {
            if (read) {
                readPage(f, p);
            } else {
                p.block = f.blocks.lookup(index);
            }
        } finally {
            endInstantiate(f, index);
        }
        checkerAcquired(LockClass.PAGE);
        return p;
    }

    private boolean beginInstantiate(Inode f, long index, Page p, long timeout) {
        checkerAcquired(LockClass.INVALIDATION);
        Instantiation r;
        if (timeout == Timeouts.FOREVER) {
            r = f.lock.lockInstantiate(index, p);
        } else {
            try {
                r = f.lock.lockInstantiate(index, p, timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r = Instantiation.BUSY;
            }
        }
        if (r != Instantiation.INSERTED) {
            checkerReleased(LockClass.INVALIDATION);
            return false;
        }
        return true;
    }

    private void endInstantiate(Inode f, long index) {
        f.lock.unlockInstantiate(index);
        checkerReleased(LockClass.INVALIDATION);
    }

    /** readpage: look the block up now, under the instantiate lock point, and read it. */
    private void readPage(Inode f, Page p) {
        int b = f.blocks.lookup(p.index);
        p.block = b;
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
        int b = f.blocks.lookup(p.index);
        if (b == BlockMap.HOLE) {
            b = allocator.allocate(Stamp.who(f.id(), p.index));
            if (b == 0) {
                return false;
            }
            // A new block reads as zeroes until written (ext4's unwritten extents): the write that
            // allocated it may still give up (a short copy, SIGBUS) and leave the page clean.
            device.zero(b);
            if (!f.blocks.replace(p.index, BlockMap.HOLE, b)) {
                allocator.free(b); // another page of this index (only possible unsafely) mapped one first
                b = f.blocks.lookup(p.index);
            }
        }
        p.block = b;
        return true;
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

    /** What a read returns from a locked page still in the file, checked by the oracle. */
    private long checkedContents(Inode f, Page p, long expected) {
        long who = p.who;
        long gen = p.generation;
        oracle.checkRead(f.id(), p.index, who, gen, p.block, f.blocks.lookup(p.index), true, expected,
                ownerOf(p.block));
        return gen;
    }

    private long ownerOf(int block) {
        return block == BlockMap.HOLE ? Stamp.NOBODY : allocator.owner(block);
    }

    private boolean data() {
        return config.mode() == BlockDevice.Mode.DATA;
    }

    private static void lockPage(Page p) {
        checkerAcquired(LockClass.PAGE);
        p.lock();
    }

    private static void unlockPage(Page p) {
        p.unlock();
        checkerReleased(LockClass.PAGE);
    }

    private static void mmapLockShared(AddressSpace s) {
        checkerAcquired(LockClass.MMAP);
        s.mmapLock.readLock().lock();
    }

    private static void mmapUnlockShared(AddressSpace s) {
        s.mmapLock.readLock().unlock();
        checkerReleased(LockClass.MMAP);
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
