package rlbench.locks.rwsem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import rlbench.locks.Intent;
import rlbench.locks.stat.LockStat;
import rlbench.locks.wait.Timeouts;
import rlbench.locks.wait.WakeQueue;

/**
 * A non-reentrant reader/writer semaphore that behaves like the Linux kernel's
 * {@code struct rw_semaphore} ({@code kernel/locking/rwsem.c}, Linux 6.x, the
 * non-{@code PREEMPT_RT} build): the simulated filesystem's {@code i_rwsem}, {@code mmap_lock}
 * and the {@code rwsem} design's {@code invalidate_lock}.
 *
 * <h2>The count word</h2>
 * One {@code long}, {@code count}, laid out as the kernel's {@code sem->count} on 64-bit:
 * bit 0 {@code WRITER_LOCKED}, bit 1 {@code FLAG_WAITERS} (the wait list is not empty), bit 2
 * {@code FLAG_HANDOFF}, bits 8..62 the reader count in units of {@code READER_BIAS}, bit 63
 * {@code FLAG_READFAIL} (reader-count overflow guard, never expected to be set). Beside it,
 * {@code owner} holds the writing thread (the kernel's {@code sem->owner}, a hint for spinners),
 * and a FIFO wait list guarded by {@code waitLock} (the kernel's {@code wait_lock} and
 * {@code wait_list}).
 *
 * <h2>What follows which kernel function</h2>
 * <ul>
 *   <li><b>Reader fast path</b> ({@link #acquire} and {@link #lock} with
 *       {@link Intent#SHARED}): {@code rwsem_read_trylock}: one {@code getAndAdd} of
 *       {@code READER_BIAS}, then a test of {@code READ_FAILED_MASK} = writer, waiters,
 *       handoff, read-fail. Because {@code FLAG_WAITERS} is in the mask, a new reader does not
 *       pass a queued waiter on the fast path (the slow path may steal a free lock; below).</li>
 *   <li><b>Reader try</b> ({@link #tryLock}, or {@link Timeouts#TRY}): {@code __down_read_trylock}:
 *       a CAS loop that adds the bias only while none of the failure bits is set, so a failed
 *       try leaves the word untouched.</li>
 *   <li><b>Reader slow path</b>: {@code rwsem_down_read_slowpath}: first the optimistic steal (a
 *       lock neither writer-held nor handed off, with no other reader's bias in it, is kept, and
 *       queued readers at the head are woken with it); then, under the wait lock, a reader
 *       that finds the list empty and no writer keeps the bias it already added; otherwise it
 *       queues at the tail, gives the bias back (setting {@code FLAG_WAITERS} if it is first) in
 *       one atomic add and, when no writer holds the lock, runs {@code rwsem_cond_wake_waiter}
 *       (its own bias may have been what made a woken writer fail). It then sleeps until a
 *       waker grants it the lock (its node's {@code granted} flag, the kernel's
 *       {@code waiter->task = NULL}).</li>
 *   <li><b>Writer fast path and try</b>: {@code rwsem_write_trylock} (a CAS from 0 to
 *       {@code WRITER_LOCKED}), and when the word is not 0,
 *       {@code rwsem_try_write_lock_unqueued}: a writer may steal a lock that is neither held
 *       nor reserved by {@code FLAG_HANDOFF}, even with waiters queued.</li>
 *   <li><b>Writer optimistic spinning</b>: {@code rwsem_optimistic_spin} /
 *       {@code rwsem_spin_on_owner}: before queueing, a writer spins (with
 *       {@link Thread#onSpinWait}) while the lock is held by a writer that is "running", and
 *       steals it the moment it is free and no handoff is pending. See the departures for how
 *       "running" is approximated.</li>
 *   <li><b>Writer slow path</b>: {@code rwsem_down_write_slowpath} and
 *       {@code rwsem_try_write_lock}: the writer queues at the tail (setting
 *       {@code FLAG_WAITERS} if first, else running {@code rwsem_cond_wake_waiter}), then, under
 *       the wait lock, tries to take the lock as the first waiter; it sleeps between tries. A
 *       woken writer is not handed the lock: it takes it itself, so another writer may steal it
 *       first unless {@code FLAG_HANDOFF} is set.</li>
 *   <li><b>Handoff</b>: a first waiter that has waited at least {@code handoffNanos} (the
 *       kernel's {@code RWSEM_WAIT_TIMEOUT}, 4 ms at HZ=250; {@link #DEFAULT_HANDOFF_NANOS}) sets
 *       {@code FLAG_HANDOFF} when it finds the lock held: a writer in
 *       {@code rwsem_try_write_lock}, a reader in {@code rwsem_mark_wake} when a writer stole the
 *       lock from under it. From then on no writer steals (both steal paths test the flag), no
 *       reader enters by the fast path (the flag is in {@code READ_FAILED_MASK}), and the lock,
 *       once free, is taken by that waiter. A writer that has set the flag spins on the owner
 *       after a failed try instead of sleeping at once, as the kernel's slow path does when
 *       {@code waiter.handoff_set}.</li>
 *   <li><b>Release</b>: {@code __up_read} (one {@code getAndAdd} of {@code -READER_BIAS}; wakes
 *       when the result is exactly "unlocked, waiters") and {@code __up_write} (clear the owner,
 *       one {@code getAndAdd} of {@code -WRITER_LOCKED}; wakes when {@code FLAG_WAITERS} was
 *       set), both going to {@code rwsem_wake}.</li>
 *   <li><b>Waking</b>: {@code rwsem_mark_wake}. When the first waiter is a writer, it is woken
 *       (only for a "wake any"). When the first waiter is a reader, the waker first adds one
 *       reader bias and backs off if a writer stole the lock meanwhile (setting the handoff flag
 *       if that reader has waited too long); otherwise it grants the lock to <em>every reader in
 *       the queue, up to {@code MAX_READERS_WAKEUP} = 256, skipping over the writers between
 *       them</em> (the current kernel's adaptation of phase-fair locks: readers behind a queued
 *       writer are woken with the head reader, the writers keep their order). It adds the
 *       readers' biases in one atomic add before granting any of them (the kernel's two passes),
 *       clears {@code FLAG_WAITERS} if the list became empty and {@code FLAG_HANDOFF} if a reader
 *       was woken, and wakes the threads only after dropping the wait lock (the kernel's
 *       {@code wake_q}).</li>
 *   <li><b>Giving up</b> (timeout, interrupt): {@code rwsem_del_wake_waiter}: the waiter leaves
 *       the list (clearing {@code FLAG_WAITERS} and {@code FLAG_HANDOFF} when the list empties)
 *       and, if it was first, runs {@code rwsem_mark_wake} so that readers queued behind a writer
 *       that gave up, or the next writer, are not stranded. A reader that was granted the lock
 *       while giving up keeps it, as the kernel's reader does when {@code waiter.task} is
 *       already cleared.</li>
 * </ul>
 *
 * <h2>Departures from the kernel</h2>
 * <ul>
 *   <li><b>Reader lock stealing, simplified.</b> Like the 6.x {@code rwsem_down_read_slowpath},
 *       a reader whose fast path failed keeps the lock when it is neither writer-locked nor
 *       handed off, even with waiters queued, and then wakes the readers at the head. The kernel
 *       declines to steal when the lock is "probably owned by readers" (its owner field says
 *       reader-owned and other readers' biases are in); with no owner field here, the test is
 *       only the second part: another reader's bias in the word means queue. So a reader
 *       barges only into a lock that was free at that moment, which is the window between a
 *       release and the woken waiter's own acquire, until the handoff closes it.</li>
 *   <li><b>{@link #tryLock}({@code EXCLUSIVE}) may steal.</b> The kernel's
 *       {@code down_write_trylock} succeeds only from the fully unlocked value 0, so it fails
 *       whenever {@code FLAG_WAITERS} is set; stealing happens only inside {@code down_write}'s
 *       optimistic spin. Here the try (and {@link Timeouts#TRY}) is
 *       {@code rwsem_try_write_lock_unqueued}: it takes a free lock with waiters queued unless
 *       {@code FLAG_HANDOFF} is set. This is the same steal {@code down_write} would make; it
 *       only makes it observable without spinning.</li>
 *   <li><b>"Owner running" is approximated.</b> The kernel spins while {@code owner->on_cpu}
 *       and not {@code need_resched()}. Java cannot see either, so a writer spins while the
 *       same writer thread holds the lock and its {@link Thread#getState()} is
 *       {@code RUNNABLE} (which includes a thread the OS has preempted; a thread blocked, waiting
 *       or sleeping inside its critical section stops the spin), for at most
 *       {@code SPIN_NANOS} in all.</li>
 *   <li><b>No OSQ; one spinner at a time.</b> The kernel queues spinners on an MCS lock
 *       ({@code osq_lock}) so only one polls the owner. Here a writer that finds another writer
 *       already spinning does not spin: it queues at once.</li>
 *   <li><b>No spinning on a reader-owned lock.</b> The kernel's writer also spins on a
 *       reader-owned lock for (10 + readers/2) us, at most 25 us, and then marks it
 *       {@code RWSEM_NONSPINNABLE}. Here a writer that finds readers in the lock queues; there
 *       is no reader-owned hint in {@code owner} and no non-spinnable bit. A spinner also gives
 *       up as soon as it sees {@code FLAG_HANDOFF}, where the kernel keeps spinning through the
 *       handoff.</li>
 *   <li><b>Only the first waiter takes the lock.</b> The kernel's
 *       {@code rwsem_try_write_lock} lets any queued writer that happens to run (spurious
 *       wake-up) take a free lock unless the first waiter set the handoff; here only the first
 *       waiter may, so the queue is strictly FIFO. Likewise only the first waiter sets the
 *       handoff flag.</li>
 *   <li><b>A waiter that gives up clears the handoff it set.</b> The kernel leaves
 *       {@code FLAG_HANDOFF} set when the waiter that set it leaves a non-empty list (the next
 *       first waiter inherits it); here it is cleared, so the semaphore is left as if that
 *       waiter had never asked, and the next first waiter sets it again once it has waited long
 *       enough itself. So {@code FLAG_HANDOFF} is set exactly when the first waiter set it.</li>
 *   <li><b>Handoff timing.</b> Measured with {@link System#nanoTime()} from the moment the
 *       waiter queued, and due once it has waited {@code handoffNanos} or more ({@code 0}: at
 *       the first failed try; {@link Long#MAX_VALUE}: never). The kernel counts jiffies and needs
 *       the deadline strictly passed; it also hands off at once for RT and deadline tasks, which
 *       have no counterpart here.</li>
 *   <li><b>Timeouts and interrupts.</b> The kernel has no timed {@code down_read}/{@code
 *       down_write}; here a deadline leaves the queue the same way a fatal signal does in
 *       {@code down_*_killable}. As there, interrupts are noticed only while waiting (an
 *       uncontended acquire succeeds with the interrupt status set), and a grant that raced with
 *       the interrupt is kept: {@link #acquire} then returns {@code true} with the interrupt
 *       status set again. {@link InterruptedException} always means nothing is held.</li>
 *   <li><b>Ownership checks.</b> {@link #release}({@code EXCLUSIVE}) must come from the thread
 *       that acquired (the kernel only warns, under {@code CONFIG_DEBUG_RWSEMS}); a shared
 *       release is checked against the count only (writer bit clear, readers present), so a
 *       thread that holds nothing but releases while others read is not caught. No
 *       {@code downgrade_write}, no {@code *_non_owner}, no lockdep.</li>
 *   <li><b>The wait lock</b> is a Java monitor (HotSpot spins adaptively, then blocks), not a
 *       raw spinlock with interrupts off; the {@code wake_q} is a per-thread buffer of threads
 *       unparked after the monitor is released. Woken threads may have moved on by then; an
 *       extra {@link LockSupport#unpark} is a spurious wake-up, which every park loop
 *       tolerates.</li>
 * </ul>
 *
 * <h2>Memory ordering</h2>
 * Every state change is an atomic read-modify-write on the one word {@code count}. All RMWs on
 * one variable are totally ordered and each reads the latest value, which is what makes the
 * "set WAITERS, then look" / "release, then look at WAITERS" pairs safe without any store-load
 * fence: a releaser's RMW either comes after a waiter's {@code FLAG_WAITERS} RMW (the releaser
 * sees the flag and wakes) or before it (the waiter, whose try reads the word after its own RMW,
 * sees the lock free). The modes, as in the kernel:
 * <ul>
 *   <li>Acquisitions use <em>acquire</em> ({@code getAndAddAcquire},
 *       {@code compareAndExchangeAcquire}; the kernel's {@code atomic_long_add_return_acquire},
 *       {@code atomic_long_try_cmpxchg_acquire}): the critical section cannot move above them.</li>
 *   <li>Releases use <em>release</em> ({@code getAndAddRelease}; the kernel's
 *       {@code atomic_long_fetch_add_release}): the critical section cannot move below them, and
 *       the next acquirer that reads the word (directly, or through a chain of RMWs on it)
 *       sees everything the releaser wrote.</li>
 *   <li>Slow-path RMWs under the wait lock use full volatile mode ({@code getAndAdd},
 *       {@code getAndBitwiseOr/And}); the kernel gets by with relaxed atomics there plus control
 *       dependencies, which is not worth reproducing off the fast path.</li>
 *   <li>A queued reader is granted through its node's volatile {@code granted} flag, written by
 *       the waker after it has added the readers' biases to the word (the kernel's
 *       {@code smp_store_release(&waiter->task, NULL)}) and read by the reader (its
 *       {@code smp_load_acquire}). The waker's RMW on the word read the last writer's release,
 *       so the reader's critical section happens-after that writer's.</li>
 *   <li>{@code owner} is opaque ({@code WRITE_ONCE}/{@code READ_ONCE}): a hint for spinners,
 *       written after the acquiring CAS and cleared before the releasing add (whose release
 *       mode orders the clear before the lock is seen free). Correctness never depends on it,
 *       except {@link #release}({@code EXCLUSIVE})'s ownership check, where a thread reads its
 *       own last write.</li>
 *   <li>The wait list, its length, and each node's {@code reader}, {@code queuedAt},
 *       {@code handoffSet}, {@code prev}, {@code next} and {@code wakeNext} are read and written
 *       under {@code waitLock} only. {@code FLAG_HANDOFF} and {@code FLAG_WAITERS} are changed
 *       only under it too, which is why {@code rwsem_mark_wake} may read the word and then add
 *       a flag correction.</li>
 * </ul>
 *
 * <h2>Allocation</h2>
 * None on any path in steady state. The uncontended paths touch only the word (and the
 * {@code owner} hint). A thread that has to wait uses its one reusable node, kept in a static
 * {@link ThreadLocal} shared by every semaphore (a thread waits on one semaphore at a time); a
 * waker uses the wake buffer of its own node, which grows only while warming up (at most to
 * {@code MAX_READERS_WAKEUP} threads). The wait lock is a monitor, which allocates nothing on the
 * Java heap when contended.
 */
public final class RwSemaphore {

    // ---------------------------------------------------------------- the count word

    /** Bit 0: a writer holds the lock ({@code RWSEM_WRITER_LOCKED}). */
    static final long WRITER_LOCKED = 1L;
    /** Bit 1: the wait list is not empty ({@code RWSEM_FLAG_WAITERS}). */
    static final long FLAG_WAITERS = 1L << 1;
    /** Bit 2: the first waiter has waited too long; no stealing ({@code RWSEM_FLAG_HANDOFF}). */
    static final long FLAG_HANDOFF = 1L << 2;
    /** Bit 63: reader-count overflow guard ({@code RWSEM_FLAG_READFAIL}). */
    static final long FLAG_READFAIL = 1L << 63;
    static final int READER_SHIFT = 8;
    /** One reader ({@code RWSEM_READER_BIAS}). */
    static final long READER_BIAS = 1L << READER_SHIFT;
    /** The reader count, bits 8..63 ({@code RWSEM_READER_MASK}, which includes the guard bit). */
    static final long READER_MASK = ~(READER_BIAS - 1);
    /** Held at all, by anyone ({@code RWSEM_LOCK_MASK}). */
    static final long LOCK_MASK = WRITER_LOCKED | READER_MASK;
    /** A reader's fast path fails on any of these ({@code RWSEM_READ_FAILED_MASK}). */
    static final long READ_FAILED_MASK = WRITER_LOCKED | FLAG_WAITERS | FLAG_HANDOFF | FLAG_READFAIL;

    /** Readers granted by one wake-up at most ({@code MAX_READERS_WAKEUP}). */
    static final int MAX_READERS_WAKEUP = 0x100;

    /** The kernel's {@code RWSEM_WAIT_TIMEOUT}: 4 ms (one jiffy at HZ=250, four at HZ=1000). */
    public static final long DEFAULT_HANDOFF_NANOS = 4_000_000L;

    /**
     * How long in all a writer spins on a running owner before it queues (or, with the handoff
     * flag set, before it sleeps): the stand-in for the kernel's {@code need_resched()} bound,
     * sized like its reader-owned spin limit (10 to 25 us).
     */
    static final long SPIN_NANOS = 20_000L;

    private static final int ACQUIRED = 0;
    private static final int TIMED_OUT = 1;
    private static final int INTERRUPTED = 2;

    private static final boolean WAKE_ANY = true;
    private static final boolean WAKE_READERS = false;

    private static final VarHandle COUNT;
    private static final VarHandle OWNER;
    private static final VarHandle SPINNING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(RwSemaphore.class, "count", long.class);
            OWNER = l.findVarHandle(RwSemaphore.class, "owner", Thread.class);
            SPINNING = l.findVarHandle(RwSemaphore.class, "spinning", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A waiting thread's node, one per thread, reused for every wait on every semaphore.
     *
     * <p>{@code reader}, {@code queuedAt}, {@code handoffSet}, {@code prev}, {@code next} and
     * {@code wakeNext} belong to the wait lock of the semaphore the node is queued on (the owner
     * sets the first ones under that lock as it queues). {@code granted} is volatile: set by a
     * waker under the wait lock, polled by the owner without it. The wake buffer is used by the
     * node's own thread only, when it wakes others.
     */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        boolean reader;
        /** {@link System#nanoTime()} when queued; the handoff clock. */
        long queuedAt;
        /** This (first) waiter set {@code FLAG_HANDOFF} ({@code waiter->handoff_set}). */
        boolean handoffSet;
        Waiter prev;
        Waiter next;
        /** Chain of readers being granted by one {@code markWake}; waker-private while it runs. */
        Waiter wakeNext;
        /** Set when a waker has granted this reader the lock ({@code waiter->task == NULL}). */
        volatile boolean granted;

        /** Threads to unpark once the wait lock is dropped ({@code wake_q}). */
        final WakeQueue wakes = new WakeQueue();

        /** {@code wake_up_q}: called with no wait lock held. */
        void wakeAll() {
            wakes.wakeAll(thread);
        }
    }

    private static final ThreadLocal<Waiter> WAITER = ThreadLocal.withInitial(Waiter::new);

    // ---------------------------------------------------------------- fields

    /** The count word; every change is an atomic RMW through {@code COUNT} (see the class comment). */
    private volatile long count;

    /**
     * The writer holding the lock, or null ({@code sem->owner} without the reader hint): written
     * opaque by the writer right after its acquiring CAS and cleared right before its releasing
     * add; read opaque by spinners. A hint, except for the owner's own release check.
     */
    private Thread owner;

    /** A writer is spinning in {@code optimisticSpin} (our one-spinner stand-in for the OSQ). */
    private boolean spinning;

    /** The kernel's {@code wait_lock}: guards the wait list and every queued node's list fields. */
    private final Object waitLock = new Object();
    /** First waiter ({@code rwsem_first_waiter}); waitLock. */
    private Waiter head;
    /** Last waiter; waitLock. */
    private Waiter tail;
    /** Length of the wait list; waitLock. */
    private int waiters;

    private final long handoffNanos;

    /** A semaphore with the kernel's handoff timeout, {@link #DEFAULT_HANDOFF_NANOS}. */
    public RwSemaphore() {
        this(DEFAULT_HANDOFF_NANOS);
    }

    /**
     * @param handoffNanos how long the first waiter waits before it may set the handoff flag:
     *     {@code 0} sets it at the first failed try after queueing, {@link Long#MAX_VALUE} never
     */
    public RwSemaphore(long handoffNanos) {
        if (handoffNanos < 0) {
            throw new IllegalArgumentException("negative handoff timeout: " + handoffNanos);
        }
        this.handoffNanos = handoffNanos;
    }

    // ---------------------------------------------------------------- public API

    /**
     * Acquires in {@code intent}'s mode, waiting at most {@code timeoutNanos} ({@link Timeouts}:
     * {@link Timeouts#TRY} never waits, {@link Timeouts#FOREVER} has no deadline).
     *
     * @return true when held; false when the deadline passed first, with the semaphore as if this
     *     call had never been made
     * @throws InterruptedException if interrupted while waiting; nothing is held, the interrupt
     *     status is cleared, and waiters queued behind this one are woken if it was in their way
     */
    public boolean acquire(Intent intent, long timeoutNanos) throws InterruptedException {
        Objects.requireNonNull(intent, "intent");
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("negative timeout: " + timeoutNanos);
        }
        int r;
        if (intent == Intent.SHARED) {
            if (timeoutNanos == Timeouts.TRY) {
                return readTrylock();
            }
            long c = (long) COUNT.getAndAddAcquire(this, READER_BIAS) + READER_BIAS;
            if ((c & READ_FAILED_MASK) == 0) {
                return true;
            }
            r = readSlowpath(Timeouts.deadline(timeoutNanos), true);
        } else {
            if (writeTrylock()) {
                return true;
            }
            if (timeoutNanos == Timeouts.TRY) {
                return false;
            }
            r = writeSlowpath(Timeouts.deadline(timeoutNanos), true);
        }
        if (r == INTERRUPTED) {
            throw new InterruptedException("interrupted waiting for " + intent + " " + this);
        }
        return r == ACQUIRED;
    }

    /**
     * Acquires without a deadline and deaf to interrupts ({@code down_read}/{@code down_write}):
     * an interrupt while waiting is remembered and the interrupt status set again on return.
     */
    public void lock(Intent intent) {
        Objects.requireNonNull(intent, "intent");
        if (intent == Intent.SHARED) {
            long c = (long) COUNT.getAndAddAcquire(this, READER_BIAS) + READER_BIAS;
            if ((c & READ_FAILED_MASK) != 0) {
                readSlowpath(Timeouts.NO_DEADLINE, false);
            }
        } else if (!writeTrylock()) {
            writeSlowpath(Timeouts.NO_DEADLINE, false);
        }
    }

    /**
     * Acquires only if that is possible at once: {@code down_read_trylock} for
     * {@link Intent#SHARED} (fails while anyone waits); for {@link Intent#EXCLUSIVE}, takes a
     * lock that nobody holds unless a handoff is pending, even with waiters queued (see the class
     * comment). Never changes the semaphore when it fails.
     */
    public boolean tryLock(Intent intent) {
        Objects.requireNonNull(intent, "intent");
        return intent == Intent.SHARED ? readTrylock() : writeTrylock();
    }

    /**
     * Releases a hold in {@code intent}'s mode ({@code up_read}/{@code up_write}).
     *
     * @throws IllegalMonitorStateException if the semaphore is not held in that mode (for
     *     {@link Intent#EXCLUSIVE}: not by this thread)
     */
    public void release(Intent intent) {
        Objects.requireNonNull(intent, "intent");
        if (intent == Intent.SHARED) {
            long c = count;
            if ((c & WRITER_LOCKED) != 0 || (c & READER_MASK) == 0) {
                throw new IllegalMonitorStateException("not held shared: " + this);
            }
            long n = (long) COUNT.getAndAddRelease(this, -READER_BIAS) - READER_BIAS;
            if ((n & (LOCK_MASK | FLAG_WAITERS)) == FLAG_WAITERS) {
                wake();
            }
        } else {
            if ((Thread) OWNER.getOpaque(this) != Thread.currentThread()) {
                throw new IllegalMonitorStateException(
                        "not held exclusive by " + Thread.currentThread().getName() + ": " + this);
            }
            OWNER.setOpaque(this, (Thread) null);
            long old = (long) COUNT.getAndAddRelease(this, -WRITER_LOCKED);
            if ((old & FLAG_WAITERS) != 0) {
                wake();
            }
        }
    }

    /** Threads in the wait list (readers granted but not yet running are no longer in it). */
    public int queuedThreads() {
        synchronized (waitLock) {
            return waiters;
        }
    }

    /** Whether {@code FLAG_HANDOFF} is set: the first waiter has reserved the lock. */
    public boolean handoffPending() {
        return (count & FLAG_HANDOFF) != 0;
    }

    /** The count decoded, the owning writer, and the queue length. */
    @Override
    public String toString() {
        long c = count;
        Thread o = (Thread) OWNER.getOpaque(this);
        StringBuilder sb = new StringBuilder("RwSemaphore[readers=").append(c >>> READER_SHIFT);
        if ((c & WRITER_LOCKED) != 0) {
            sb.append(", writer=").append(o == null ? "?" : o.getName());
        }
        if ((c & FLAG_WAITERS) != 0) {
            sb.append(", WAITERS");
        }
        if ((c & FLAG_HANDOFF) != 0) {
            sb.append(", HANDOFF");
        }
        return sb.append(", queued=").append(queuedThreads()).append(']').toString();
    }

    // ---------------------------------------------------------------- fast paths

    /** {@code __down_read_trylock}: add a bias only while no failure bit is set. */
    private boolean readTrylock() {
        long c = count;
        while ((c & READ_FAILED_MASK) == 0) {
            long w = (long) COUNT.compareAndExchangeAcquire(this, c, c + READER_BIAS);
            if (w == c) {
                return true;
            }
            c = w;
        }
        return false;
    }

    /**
     * {@code rwsem_write_trylock}, falling back to {@code rwsem_try_write_lock_unqueued}: CAS
     * from 0 first (one atomic when uncontended), then steal while the lock is neither held nor
     * reserved by a handoff.
     */
    private boolean writeTrylock() {
        long c = 0L;
        while (true) {
            long w = (long) COUNT.compareAndExchangeAcquire(this, c, c | WRITER_LOCKED);
            if (w == c) {
                OWNER.setOpaque(this, Thread.currentThread());
                return true;
            }
            if ((w & (LOCK_MASK | FLAG_HANDOFF)) != 0) {
                return false;
            }
            c = w;
        }
    }

    // ---------------------------------------------------------------- reader slow path

    /**
     * {@code rwsem_down_read_slowpath}, entered with this reader's bias already in the word.
     *
     * Timed for the lock statistics around {@link #readWait}, which does the work: it waits, or is about to.
     *
     * @return ACQUIRED, TIMED_OUT or INTERRUPTED (only when {@code interruptible})
     */
    private int readSlowpath(long deadline, boolean interruptible) {
        long waitStart = LockStat.waitStart();
        try {
            return readWait(deadline, interruptible);
        } finally {
            LockStat.waitEnd(waitStart);
        }
    }

    private int readWait(long deadline, boolean interruptible) {
        Waiter me = WAITER.get();
        // Reader optimistic lock stealing: with no writer holding it and no handoff pending, a
        // reader that found the lock free (its own bias the only one) keeps it, waiters or not,
        // and lets the readers at the head of the queue in with it. A lock that is probably
        // held by other readers is not stolen, so a stream of readers cannot starve a writer.
        long c0 = count;
        if ((c0 & (WRITER_LOCKED | FLAG_HANDOFF | FLAG_READFAIL)) == 0 && (c0 & READER_MASK) == READER_BIAS) {
            if ((c0 & FLAG_WAITERS) != 0) {
                synchronized (waitLock) {
                    if (head != null) {
                        markWake(WAKE_READERS, me);
                    }
                }
                me.wakeAll();
            }
            return ACQUIRED;
        }
        long adjustment = -READER_BIAS;
        synchronized (waitLock) {
            if (head == null) {
                // Nobody waits: if no writer holds it either, our bias already is the lock.
                // The acquire read pairs with the release of the writer that let go meanwhile.
                if (((long) COUNT.getAcquire(this) & WRITER_LOCKED) == 0) {
                    return ACQUIRED;
                }
                adjustment += FLAG_WAITERS;
            }
            me.reader = true;
            me.handoffSet = false;
            me.granted = false;
            me.queuedAt = System.nanoTime();
            enqueue(me);
            // Give our bias back (and flag the list as non-empty) in one RMW. If no writer holds
            // the lock now, our transient bias may have made a woken writer fail, or the lock is
            // free with us at the head: wake whoever can run.
            long c = (long) COUNT.getAndAdd(this, adjustment) + adjustment;
            condWakeWaiter(c, me);
        }
        me.wakeAll();

        boolean interrupted = false;
        int result = ACQUIRED;
        while (!me.granted) {
            if (Thread.interrupted()) {
                if (interruptible) {
                    result = INTERRUPTED;
                    break;
                }
                interrupted = true;
                continue;
            }
            if (deadline == Timeouts.NO_DEADLINE) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    result = TIMED_OUT;
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        }
        if (result != ACQUIRED) {
            synchronized (waitLock) {
                if (me.granted) {
                    // A waker granted us while we were giving up: keep it (the kernel does too).
                    if (result == INTERRUPTED) {
                        interrupted = true;
                    }
                    result = ACQUIRED;
                } else {
                    delWakeWaiter(me, me);
                }
            }
            me.wakeAll();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    // ---------------------------------------------------------------- writer slow path

    /**
     * {@code rwsem_down_write_slowpath}: spin optimistically, then queue and try as the first
     * waiter until the lock is ours, sleeping between tries. Timed for the lock statistics around
     * {@link #writeWait}, which does the work.
     */
    private int writeSlowpath(long deadline, boolean interruptible) {
        long waitStart = LockStat.waitStart();
        try {
            return writeWait(deadline, interruptible);
        } finally {
            LockStat.waitEnd(waitStart);
        }
    }

    private int writeWait(long deadline, boolean interruptible) {
        if (optimisticSpin()) {
            return ACQUIRED;
        }
        Waiter me = WAITER.get();
        synchronized (waitLock) {
            me.reader = false;
            me.handoffSet = false;
            me.queuedAt = System.nanoTime();
            boolean first = head == null;
            enqueue(me);
            if (first) {
                COUNT.getAndBitwiseOr(this, FLAG_WAITERS);
            } else {
                // Waiters ahead of us may be able to run (the lock is not writer-held).
                condWakeWaiter(count, me);
            }
        }
        me.wakeAll();

        boolean interrupted = false;
        int result;
        while (true) {
            synchronized (waitLock) {
                if (tryWriteLockQueued(me)) {
                    result = ACQUIRED;
                    break;
                }
            }
            if (Thread.interrupted()) {
                if (interruptible) {
                    result = INTERRUPTED;
                    break;
                }
                interrupted = true;
            }
            long left = Timeouts.remaining(deadline);
            if (left == 0L) {
                result = TIMED_OUT;
                break;
            }
            // Having set the handoff flag, the lock is reserved for us: watch the owner leave
            // rather than sleep through it.
            if (me.handoffSet && spinOnOwner()) {
                continue;
            }
            if (deadline == Timeouts.NO_DEADLINE) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, left);
            }
        }
        if (result != ACQUIRED) {
            synchronized (waitLock) {
                delWakeWaiter(me, me);
            }
            me.wakeAll();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /**
     * {@code rwsem_try_write_lock}, under the wait lock: the first waiter takes a free lock
     * (clearing the handoff flag, and the waiters flag if it is alone), or, finding it held and
     * having waited long enough, sets the handoff flag.
     */
    private boolean tryWriteLockQueued(Waiter me) {
        if (head != me) {
            return false; // departure: only the first waiter may take the lock
        }
        long c = count;
        long n;
        while (true) {
            n = c;
            if ((c & LOCK_MASK) != 0) {
                if ((c & FLAG_HANDOFF) != 0 || !handoffDue(me)) {
                    return false;
                }
                n |= FLAG_HANDOFF;
            } else {
                n = (n | WRITER_LOCKED) & ~FLAG_HANDOFF;
                if (waiters == 1) {
                    n &= ~FLAG_WAITERS;
                }
            }
            long w = (long) COUNT.compareAndExchangeAcquire(this, c, n);
            if (w == c) {
                break;
            }
            c = w;
        }
        if ((n & FLAG_HANDOFF) != 0) {
            me.handoffSet = true;
            return false;
        }
        unlink(me);
        OWNER.setOpaque(this, me.thread);
        return true;
    }

    /**
     * {@code rwsem_can_spin_on_owner} + {@code rwsem_optimistic_spin}, for a writer not yet
     * queued: spin while a running writer holds the lock, steal it when it is free and not
     * handed off. Gives up when readers hold it, a handoff is pending, the owner is not
     * runnable, another writer is already spinning, or {@code SPIN_NANOS} have passed.
     */
    private boolean optimisticSpin() {
        if (!SPINNING.compareAndSet(this, false, true)) {
            return false;
        }
        try {
            long until = System.nanoTime() + SPIN_NANOS;
            for (int i = 1; ; i++) {
                long c = count;
                if ((c & (LOCK_MASK | FLAG_HANDOFF)) == 0) {
                    if (COUNT.weakCompareAndSetAcquire(this, c, c | WRITER_LOCKED)) {
                        OWNER.setOpaque(this, Thread.currentThread());
                        return true;
                    }
                    continue;
                }
                if ((c & (WRITER_LOCKED | FLAG_HANDOFF)) != WRITER_LOCKED) {
                    return false; // reader-owned, or reserved for the first waiter
                }
                Thread o = (Thread) OWNER.getOpaque(this);
                // A null owner with the bit set is a writer between its CAS and its owner store.
                if (o != null && o.getState() != Thread.State.RUNNABLE) {
                    return false;
                }
                if ((i & 15) == 0 && System.nanoTime() - until >= 0) {
                    return false;
                }
                Thread.onSpinWait();
            }
        } finally {
            SPINNING.setRelease(this, false);
        }
    }

    /**
     * {@code rwsem_spin_on_owner} for the first waiter that has set the handoff flag: true when
     * it should try again at once (the writing owner left, or the lock is free), false when it
     * should sleep (readers hold it, the owner is not runnable, or the spin ran out).
     */
    private boolean spinOnOwner() {
        Thread o = (Thread) OWNER.getOpaque(this);
        if (o == null) {
            return (count & LOCK_MASK) == 0;
        }
        long until = System.nanoTime() + SPIN_NANOS;
        for (int i = 1; ; i++) {
            Thread now = (Thread) OWNER.getOpaque(this);
            if (now != o) {
                return now == null;
            }
            if (o.getState() != Thread.State.RUNNABLE) {
                return false;
            }
            if ((i & 15) == 0 && System.nanoTime() - until >= 0) {
                return false;
            }
            Thread.onSpinWait();
        }
    }

    /** Whether waiter {@code w} (the first) has waited long enough to ask for a handoff. */
    private boolean handoffDue(Waiter w) {
        long h = handoffNanos;
        return h == 0L || (h != Long.MAX_VALUE && System.nanoTime() - w.queuedAt >= h);
    }

    // ---------------------------------------------------------------- waking

    /** {@code rwsem_wake}, after a release that saw waiters. */
    private void wake() {
        Waiter me = WAITER.get();
        synchronized (waitLock) {
            if (head != null) {
                markWake(WAKE_ANY, me);
            }
        }
        me.wakeAll();
    }

    /** {@code rwsem_cond_wake_waiter}, under the wait lock with the list not empty. */
    private void condWakeWaiter(long c, Waiter me) {
        if ((c & WRITER_LOCKED) != 0) {
            return;
        }
        markWake((c & READER_MASK) != 0 ? WAKE_READERS : WAKE_ANY, me);
    }

    /**
     * {@code rwsem_mark_wake}, under the wait lock with the list not empty: wakes the first
     * waiter if it is a writer (for {@code wakeAny}), or grants the lock to up to
     * {@code MAX_READERS_WAKEUP} readers from anywhere in the queue if the first is a reader.
     * The threads to unpark go into {@code me}'s buffer.
     */
    private void markWake(boolean wakeAny, Waiter me) {
        Waiter first = head;
        if (!first.reader) {
            if (wakeAny) {
                me.wakes.add(first.thread);
            }
            return;
        }
        if (count < 0) {
            return; // reader count overflowed: no reader wake-up
        }
        // Grant the first reader before counting the others, so a writer that stole the lock
        // meanwhile is seen at once.
        long adjustment = READER_BIAS;
        long old = (long) COUNT.getAndAdd(this, adjustment);
        if ((old & WRITER_LOCKED) != 0) {
            if (handoffDue(first)) {
                if ((old & FLAG_HANDOFF) == 0) {
                    adjustment -= FLAG_HANDOFF;
                }
                first.handoffSet = true;
            }
            COUNT.getAndAdd(this, -adjustment);
            return;
        }
        // First pass: take the readers out of the queue, wherever they are, writers staying.
        Waiter chain = null;
        Waiter last = null;
        int woken = 0;
        for (Waiter w = head; w != null; ) {
            Waiter next = w.next;
            if (w.reader) {
                unlink(w);
                if (last == null) {
                    chain = w;
                } else {
                    last.wakeNext = w;
                }
                last = w;
                if (++woken >= MAX_READERS_WAKEUP) {
                    break;
                }
            }
            w = next;
        }
        adjustment = woken * READER_BIAS - adjustment;
        long c = count; // the flags below change only under the wait lock, which we hold
        if (head == null) {
            adjustment -= FLAG_WAITERS;
        }
        if ((c & FLAG_HANDOFF) != 0) {
            adjustment -= FLAG_HANDOFF; // the reader that asked for it is among the woken
        }
        if (adjustment != 0) {
            COUNT.getAndAdd(this, adjustment);
        }
        // Second pass: only now that every bias is in the word may a reader run (and release).
        for (Waiter w = chain; w != null; ) {
            Waiter next = w.wakeNext;
            w.wakeNext = null;
            me.wakes.add(w.thread);
            w.granted = true; // after this the node may be reused by its thread: touch it no more
            w = next;
        }
    }

    /**
     * {@code rwsem_del_wake_waiter}, under the wait lock: {@code w} leaves the queue; the flags
     * follow; if it was first, whoever is first now is woken as the kernel does.
     */
    private void delWakeWaiter(Waiter w, Waiter me) {
        boolean first = head == w;
        unlink(w);
        if (head == null) {
            COUNT.getAndBitwiseAnd(this, ~(FLAG_HANDOFF | FLAG_WAITERS));
            return;
        }
        if (w.handoffSet) {
            // Departure from the kernel: the handoff was this waiter's; leave no trace of it.
            COUNT.getAndBitwiseAnd(this, ~FLAG_HANDOFF);
        }
        if (first) {
            markWake(WAKE_ANY, me);
        }
    }

    // ---------------------------------------------------------------- the wait list (waitLock)

    private void enqueue(Waiter w) {
        Waiter t = tail;
        w.prev = t;
        w.next = null;
        if (t == null) {
            head = w;
        } else {
            t.next = w;
        }
        tail = w;
        waiters++;
    }

    private void unlink(Waiter w) {
        Waiter p = w.prev;
        Waiter n = w.next;
        if (p == null) {
            head = n;
        } else {
            p.next = n;
        }
        if (n == null) {
            tail = p;
        } else {
            n.prev = p;
        }
        w.prev = null;
        w.next = null;
        waiters--;
    }
}
