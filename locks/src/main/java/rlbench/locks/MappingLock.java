package rlbench.locks;

import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/**
 * The lock SPI: what serialises page instantiation against invalidation for one mapping (one
 * file's page cache, or its DAX entries). Beyond the four lock points below, a design may
 * validate an instantiation after the fact ({@link #instantiationStillValid}, optimistic
 * designs), replace the inode lock with an IO range lock ({@link #replacesInodeLock},
 * {@link #lockIo}), keep page-cache additions out while a direct write runs
 * ({@link #lockDirectWrite}), or ask the filesystem to order faults by {@code mmap_lock} taken
 * for writing ({@link #invalidationTakesMmapLocks}); each has a default that does nothing. The filesystem calls a design only at the lock points of DESIGN.md section
 * 2, and only where Linux takes a lock there; ranges are inclusive page indices, never bytes, and
 * a design knows nothing of files.
 *
 * <p>The inode lock ({@code i_rwsem}) is not part of this SPI: it belongs to the filesystem, which
 * takes it around buffered write(), punch and truncate in every design, as Linux does. Designs
 * differ only in what orders faults and readahead against punch and truncate.
 *
 * <table>
 *   <caption>Lock points</caption>
 *   <tr><th>lock point</th><th>intent</th><th>the filesystem calls it</th><th>Linux</th></tr>
 *   <tr><td>{@link #lockInstantiate instantiate(p)}</td><td>shared</td>
 *       <td>to create the page at p and look up its block: fault miss, write_begin on a missing page</td>
 *       <td>{@code filemap_fault}: {@code filemap_invalidate_lock_shared} around the read</td></tr>
 *   <tr><td>{@link #lockReadahead readahead(first,last)}, then {@link #instantiateInBatch} per page</td>
 *       <td>shared</td><td>once per readahead batch; pages that cannot be had at once are skipped</td>
 *       <td>{@code page_cache_ra_unbounded}: the invalidate lock once per window</td></tr>
 *   <tr><td>{@link #lockMkwrite mkwrite(p)}</td><td>shared</td>
 *       <td>a write fault on a cached page, before the page gets a block</td>
 *       <td>{@code ext4_page_mkwrite}, XFS {@code __xfs_filemap_fault}: the invalidate lock shared</td></tr>
 *   <tr><td>{@link #lockInvalidate invalidate(first,last)}</td><td>exclusive</td>
 *       <td>punch and truncate, from before eviction (and before a truncate changes the size) until
 *       the blocks are freed</td>
 *       <td>{@code filemap_invalidate_lock} in {@code ext4_punch_hole}, XFS MMAPLOCK</td></tr>
 * </table>
 *
 * <p>Instantiation goes through the design because in one design (lock entries) the lock
 * <em>is</em> the page's slot in the index: {@code lockInstantiate} both takes the design's lock
 * and stores the caller's new, already locked page into the {@link PageIndex}. Cache hits never
 * call the SPI: they lock the page and re-check {@link IndexEntry#owner()}.
 *
 * <p>Timeouts follow {@link Timeouts}: {@link Timeouts#TRY} never waits (readahead skips what it
 * cannot take), {@link Timeouts#FOREVER} has no deadline. A waiter that times out or is
 * interrupted leaves the lock as if it had never asked.
 *
 * <p>Instances are thread-safe and created per mapping by a {@link Design}. Lock and unlock calls
 * pair up on the same thread with the same arguments.
 */
public interface MappingLock {

    /** The outcome of {@link #lockInstantiate} and {@link #instantiateInBatch}. */
    enum Instantiation {
        /** The page is in its slot and the caller holds the lock point until it ends it. */
        INSERTED,
        /** Another page already occupies the slot; nothing is held: take the cache-hit path. */
        PRESENT,
        /** The lock could not be had in time (or at once, for {@link Timeouts#TRY}); nothing is held. */
        BUSY
    }

    /** The index this lock guards, the mapping's page cache. */
    PageIndex index();

    /**
     * instantiate(p): takes the design's instantiation lock for {@code index} and stores
     * {@code page} into that slot of {@link #index()} if it is empty.
     *
     * @param page a new entry, locked by the caller, in no index yet
     * @return {@link Instantiation#INSERTED} with the lock point held, or a value with nothing held
     */
    Instantiation lockInstantiate(long index, IndexEntry page, long timeoutNanos) throws InterruptedException;

    /** Ends instantiate(p) after the block was looked up; the caller also unlocks its page. */
    void unlockInstantiate(long index);

    /**
     * readahead(first,last): takes what the design can take once for a whole readahead batch
     * (a whole-file semaphore shared, or one shared range); never per page. Pages of the batch are
     * then created with {@link #instantiateInBatch}, which never waits.
     *
     * @return false (nothing held) when it could not be had within the timeout
     */
    boolean lockReadahead(long first, long last, long timeoutNanos) throws InterruptedException;

    /**
     * Within a held {@link #lockReadahead}: stores {@code page} at {@code index} if the slot is
     * empty and whatever the design takes per page can be had at once.
     *
     * @return {@link Instantiation#INSERTED} (end it with {@link #endInstantiateInBatch}),
     *     {@link Instantiation#PRESENT} or {@link Instantiation#BUSY} (skip the page)
     */
    Instantiation instantiateInBatch(long index, IndexEntry page);

    /** Ends what {@link #instantiateInBatch} took for one page. */
    void endInstantiateInBatch(long index);

    void unlockReadahead(long first, long last);

    /** mkwrite(p): held while a write fault gives the cached page at {@code index} a block. */
    boolean lockMkwrite(long index, long timeoutNanos) throws InterruptedException;

    void unlockMkwrite(long index);

    /** invalidate(first,last): held from before eviction of the range until its blocks are freed. */
    boolean lockInvalidate(long first, long last, long timeoutNanos) throws InterruptedException;

    void unlockInvalidate(long first, long last);

    // ---------------------------------------------------------------- beyond the four lock points
    // Defaults are what every design before the optimistic and IO-level ones does: nothing.

    /**
     * The last step of an instantiation, for an optimistic design that locks nothing up front
     * ({@code seq-retry}): called after the page was inserted by {@link #lockInstantiate} or
     * {@link #instantiateInBatch} and its block looked up and read, while the caller still holds
     * the new page's lock and before it ends the lock point or uses the page. False means an
     * invalidation overlapped the instantiation: the caller must delete the page from the index,
     * end the lock point, unlock and drop the page, and fault again (or skip it, in readahead).
     * A design that excludes invalidation while instantiating always answers true.
     */
    default boolean instantiationStillValid(long index, IndexEntry page) {
        return true;
    }

    /**
     * Whether this design takes over the inode lock's level ({@code i_rwsem}) with
     * {@link #lockIo io(first,last)}: then the filesystem takes io(first,last) where it would take
     * the inode lock (buffered write(), direct IO, punch, truncate), over the pages the call
     * touches, and takes no inode lock. False for every design but an IO range lock.
     */
    default boolean replacesInodeLock() {
        return false;
    }

    /**
     * io(first,last): the IO-level range lock of a design that {@link #replacesInodeLock replaces
     * the inode lock}; exclusive for writes, punch and truncate, shared for direct reads. Waits
     * without a deadline, as {@code inode_lock} does.
     *
     * @throws UnsupportedOperationException if the design does not replace the inode lock
     */
    default void lockIo(long first, long last, Intent intent) {
        throw new UnsupportedOperationException("this design does not replace the inode lock");
    }

    /** Ends {@link #lockIo}. */
    default void unlockIo(long first, long last, Intent intent) {
        throw new UnsupportedOperationException("this design does not replace the inode lock");
    }

    /**
     * direct-write(first,last): held by a direct write from before it writes back and invalidates
     * the cached range until the IO completes, for a design that keeps page-cache additions out
     * while direct IO runs (bcachefs's {@code pagecache_block_get} in its direct write path).
     * Nothing by default: the inode lock and {@code inode_dio_wait} order direct IO against punch.
     */
    default void lockDirectWrite(long first, long last) {
    }

    /** Ends {@link #lockDirectWrite}. */
    default void unlockDirectWrite(long first, long last) {
    }

    /**
     * Whether this design orders faults against invalidation not by a lock of its own but by the
     * filesystem taking {@code mmap_lock} for writing, in every address space that maps the file,
     * around each punch and truncate (Kara's 2013 suggestion, seed 000). Faults run under
     * {@code mmap_lock} read, so they are kept out; a buffered read has no {@code mmap_lock}, so
     * the filesystem then takes the inode lock shared around read() as XFS's buffered read takes
     * its IOLOCK, and mmap() waits for a running punch.
     */
    default boolean invalidationTakesMmapLocks() {
        return false;
    }

    // The waits below without a deadline are written out rather than wrapped in a lambda: they
    // sit on the fault path, and a capturing lambda would allocate on every call.

    /** {@link #lockInstantiate(long, IndexEntry, long)} without a deadline, deaf to interrupts. */
    default Instantiation lockInstantiate(long index, IndexEntry page) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return lockInstantiate(index, page, Timeouts.FOREVER);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link #lockMkwrite(long, long)} without a deadline, deaf to interrupts. */
    default void lockMkwrite(long index) {
        boolean interrupted = false;
        while (true) {
            try {
                lockMkwrite(index, Timeouts.FOREVER);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #lockInvalidate(long, long, long)} without a deadline, deaf to interrupts. */
    default void lockInvalidate(long first, long last) {
        boolean interrupted = false;
        while (true) {
            try {
                lockInvalidate(first, last, Timeouts.FOREVER);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
