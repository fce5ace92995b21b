package rlbench.locks;

import rlbench.locks.index.IndexEntry;
import rlbench.locks.index.PageIndex;
import rlbench.locks.wait.Timeouts;

/**
 * The lock SPI: what serialises page instantiation against invalidation for one mapping (one
 * file's page cache). The filesystem calls a design only at three lock points (DESIGN.md, section
 * 2); ranges are inclusive page indices, never bytes, and a design knows nothing of files.
 *
 * <table>
 *   <caption>Lock points</caption>
 *   <tr><th>lock point</th><th>intent</th><th>the filesystem calls it</th></tr>
 *   <tr><td>{@link #lockInstantiate instantiate(p)}</td><td>shared</td>
 *       <td>to create the page at p and look up its block: fault miss, readahead, write_begin</td></tr>
 *   <tr><td>{@link #lockWrite write(first,last)}</td><td>exclusive for write(), shared for reads</td>
 *       <td>around one buffered write() call, outermost (the {@code i_rwsem} level)</td></tr>
 *   <tr><td>{@link #lockInvalidate invalidate(first,last)}</td><td>exclusive</td>
 *       <td>punch and truncate, from before eviction until the blocks are freed</td></tr>
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

    /** The outcome of {@link #lockInstantiate}. */
    enum Instantiation {
        /** The page is in its slot and the caller holds instantiate(p) until {@link #unlockInstantiate}. */
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

    /** write(first,last): the outermost lock of one read() or write() call. */
    boolean lockWrite(long first, long last, Intent intent, long timeoutNanos) throws InterruptedException;

    void unlockWrite(long first, long last, Intent intent);

    /** invalidate(first,last): held from before eviction of the range until its blocks are freed. */
    boolean lockInvalidate(long first, long last, long timeoutNanos) throws InterruptedException;

    void unlockInvalidate(long first, long last);

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

    /** {@link #lockWrite(long, long, Intent, long)} without a deadline, deaf to interrupts. */
    default void lockWrite(long first, long last, Intent intent) {
        boolean interrupted = false;
        while (true) {
            try {
                lockWrite(first, last, intent, Timeouts.FOREVER);
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
