package rlbench.fs.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A lockdep-like lock-order checker for the simulated filesystem: it learns, from what threads
 * actually do, the order in which {@linkplain LockClass lock classes} are taken, and reports any
 * cycle in that order as a possible deadlock, naming both orders and where each was first seen.
 *
 * <h2>Why</h2>
 *
 * The designs under benchmark differ precisely in where they put the lock that serialises page
 * instantiation against hole punch, and some placements that look attractive deadlock. The rule
 * every design must respect (DESIGN.md section 1, Linux's documented order) is
 * {@code i_rwsem -> mmap_lock -> invalidation lock -> page lock}. The classic trap: a page fault
 * already holds {@code mmap_lock}, and the buffered-write path faults in the user's source
 * buffer, which takes {@code mmap_lock}. A design that held a page-cache-level invalidation range
 * across that fault-in would record {@code invalidation -> mmap_lock}, the inverse of the fault
 * path's {@code mmap_lock -> invalidation}; {@code write(fd, mmap_of_same_file_range)} against a
 * concurrent fault (or the write's own fault) on that mapping would then deadlock. Linux avoids
 * it by faulting the buffer in first and then locking and copying one page at a time
 * ({@code generic_perform_write}); this checker proves our simulated filesystem and every design
 * do the same.
 *
 * <h2>What it reports</h2>
 *
 * Like lockdep, it reports <em>possible</em> deadlocks, not only real ones: an order observed on
 * one thread and the opposite order observed on another thread, even at a different time and even
 * on different lock instances of the same classes, is an inversion. A test therefore does not need
 * to hit the unlucky interleaving to catch the bug; it only needs to exercise both paths once.
 * Orders are tracked per {@link LockClass} (not per lock instance), and transitively: {@code A -> B}
 * on one thread, {@code B -> C} on another and {@code C -> A} on a third form a cycle. Taking a
 * second lock of a class already held (two page locks, say) records no edge; ordering among the
 * instances of one class is the caller's business (ascending index, as the kernel does).
 *
 * <p>Each distinct inversion (the unordered pair of classes joined by the edge that closes a
 * cycle) is reported once and counted once, however often it recurs: see {@link #violations()}
 * and {@link #reports()}.
 *
 * <h2>Cost: nothing in benchmarks</h2>
 *
 * {@link #ENABLED} is a {@code static final} read once from the system property
 * {@code rlbench.lockdep} when this class is initialised. Call sites on hot paths use the idiom
 *
 * <pre>{@code
 * if (LockOrderChecker.ENABLED) LockOrderChecker.GLOBAL.acquired(LockClass.PAGE);
 * ...
 * if (LockOrderChecker.ENABLED) LockOrderChecker.GLOBAL.released(LockClass.PAGE);
 * }</pre>
 *
 * so the JIT treats the guard as a constant and removes the whole call when the property is not
 * set, which benchmarks never do. Tests turn it on through Surefire's
 * {@code <systemPropertyVariables><rlbench.lockdep>true</rlbench.lockdep></systemPropertyVariables>};
 * any other command must pass {@code -Drlbench.lockdep=true} (or call {@code System.setProperty})
 * <em>before</em> this class is first touched, since the value is never read again.
 *
 * <p>Unit tests of the checker itself need it working whatever the property says, so the instance
 * methods take effect when the instance was constructed enabled ({@link #LockOrderChecker(boolean)});
 * {@link #GLOBAL} is constructed with {@link #ENABLED}. On a disabled instance every method that
 * records returns at once.
 *
 * <h2>Threading</h2>
 *
 * Each thread's held stack is thread-confined (a {@link ThreadLocal} per checker instance). The
 * order graph is shared; it has {@code LockClass.values().length} squared possible edges, so it is
 * a boolean adjacency matrix guarded by one monitor, plus a volatile bitmask of known edges that
 * the acquire fast path reads without locking. When enabled, an acquire whose edges are all known
 * does not allocate (once the thread's stack array exists) and takes no lock; only a new edge takes
 * the monitor and captures a short stack trace.
 */
public final class LockOrderChecker {

    /**
     * Whether the checker is on in this JVM: {@code Boolean.getBoolean("rlbench.lockdep")}, read
     * once at class initialisation. A {@code static final}, so a JIT-compiled
     * {@code if (ENABLED)} guard folds to nothing when false. Immutable after class initialisation
     * (safely published by the class-initialisation lock).
     */
    public static final boolean ENABLED = Boolean.getBoolean("rlbench.lockdep");

    private static final LockClass[] CLASSES = LockClass.values();
    private static final int N = CLASSES.length;
    /** Frames of the caller's stack kept in a report. */
    private static final int STACK_FRAMES = 6;
    private static final String SELF = LockOrderChecker.class.getName();

    static {
        if (N * N > Long.SIZE) {
            throw new AssertionError("too many lock classes for the edge bitmask: " + N);
        }
    }

    /**
     * The checker for the whole JVM (lockdep has one graph per kernel), enabled iff {@link #ENABLED}.
     * Published by class initialisation; declared after {@code N} so that its arrays get their size.
     */
    public static final LockOrderChecker GLOBAL = new LockOrderChecker(ENABLED);


    /** Whether this instance records anything. Final, so safely published with the instance. */
    private final boolean enabled;

    /**
     * This instance's per-thread held stacks. Each {@link Held} is confined to its thread; the
     * {@code ThreadLocal} itself is final and safely published.
     */
    private final ThreadLocal<Held> held = ThreadLocal.withInitial(Held::new);

    /** Monitor guarding every graph field below except {@link #knownEdges}'s lock-free reads. */
    private final Object graphLock = new Object();

    /**
     * Bit {@code from * N + to} is set iff edge {@code from -> to} is in the graph. Written only while
     * holding {@link #graphLock}, after the edge's {@link #adjacency} and {@link #firstSeen} entries
     * (so the volatile write publishes them); read without the lock by the acquire fast path. A stale
     * read can only miss a bit, which sends the reader to the slow path where it rechecks under the
     * lock, so a known edge is never recorded twice. (After {@link #reset()} a racing thread may read
     * a stale set bit and skip recording an edge; reset is meant for quiescent tests.)
     */
    private volatile long knownEdges;

    /** {@code adjacency[from][to]}: the order graph. Guarded by {@link #graphLock}. */
    private final boolean[][] adjacency = new boolean[N][N];

    /**
     * {@code firstSeen[from][to]}: thread and short stack where edge {@code from -> to} was first
     * recorded, or null. Guarded by {@link #graphLock}.
     */
    private final String[][] firstSeen = new String[N][N];

    /**
     * {@code reportedPair[min][max]}: whether the inversion between these two classes was already
     * reported and counted. Guarded by {@link #graphLock}.
     */
    private final boolean[][] reportedPair = new boolean[N][N];

    /** The inversion reports in discovery order. Guarded by {@link #graphLock}. */
    private final List<String> reports = new ArrayList<>();

    /**
     * The number of distinct inversions found. Written only under {@link #graphLock}; volatile so
     * {@link #violations()} can read it without the lock and see the latest count.
     */
    private volatile long violations;

    /**
     * Creates a checker with its own order graph and held stacks. Tests use private instances;
     * production code uses {@link #GLOBAL}.
     *
     * @param enabled whether this instance records anything; a disabled instance's methods return at once
     */
    public LockOrderChecker(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether this instance records anything. */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Records that the calling thread has just acquired a lock of class {@code c}. For every class
     * already held by this thread other than {@code c}, records the edge {@code held -> c} if it is
     * new, and checks whether the new edge closes a cycle (an inversion). Then pushes {@code c} on
     * the thread's held stack. Reentrancy within a class (two page locks) records no self-edge.
     *
     * @param c the class of the lock just acquired
     */
    public void acquired(LockClass c) {
        if (!enabled) {
            return;
        }
        Held h = held.get();
        int to = c.ordinal();
        LockClass[] stack = h.stack;
        int size = h.size;
        if (size > 0) {
            long known = knownEdges;
            for (int i = 0; i < size; i++) {
                int from = stack[i].ordinal();
                if (from != to && (known & bit(from, to)) == 0) {
                    addEdge(from, to);
                    known = knownEdges;
                }
            }
        }
        h.push(c);
    }

    /**
     * Records that the calling thread has released a lock of class {@code c}: removes the most
     * recent occurrence of {@code c} from its held stack. Locks may be released in any order.
     *
     * @param c the class of the lock just released
     * @throws IllegalStateException if the calling thread holds no lock of class {@code c}
     */
    public void released(LockClass c) {
        if (!enabled) {
            return;
        }
        Held h = held.get();
        if (!h.removeLast(c)) {
            throw new IllegalStateException(c.label() + " released but not held by thread "
                    + Thread.currentThread().getName() + "; held: " + h.describe());
        }
    }

    /**
     * The classes the calling thread holds, outermost first (a copy). Empty on a disabled instance.
     */
    public List<LockClass> heldByCurrentThread() {
        if (!enabled) {
            return List.of();
        }
        Held h = held.get();
        return List.of(Arrays.copyOf(h.stack, h.size));
    }

    /** The number of distinct inversions found since construction or the last {@link #reset()}. */
    public long violations() {
        return violations;
    }

    /** The inversion reports, one per distinct inversion, in discovery order (a copy). */
    public List<String> reports() {
        synchronized (graphLock) {
            return List.copyOf(reports);
        }
    }

    /**
     * The recorded order edges, e.g. {@code "mmap_lock -> page lock"}, in {@link LockClass} order
     * of the source then the target (an unmodifiable copy), for diagnostics and tests.
     */
    public Set<String> edges() {
        long known = knownEdges;
        Set<String> out = new LinkedHashSet<>();
        for (int from = 0; from < N; from++) {
            for (int to = 0; to < N; to++) {
                if ((known & bit(from, to)) != 0) {
                    out.add(CLASSES[from].label() + " -> " + CLASSES[to].label());
                }
            }
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * Whether the edge {@code from -> to} has been recorded (directly, not transitively).
     */
    public boolean hasEdge(LockClass from, LockClass to) {
        return (knownEdges & bit(from.ordinal(), to.ordinal())) != 0;
    }

    /**
     * Forgets the order graph, the reports and the violation count, and clears the calling thread's
     * held stack; for tests. Other threads' held stacks are left alone (they are thread-confined).
     * Call it while no other thread is using this checker.
     */
    public void reset() {
        synchronized (graphLock) {
            for (int i = 0; i < N; i++) {
                Arrays.fill(adjacency[i], false);
                Arrays.fill(firstSeen[i], null);
                Arrays.fill(reportedPair[i], false);
            }
            reports.clear();
            violations = 0;
            knownEdges = 0;
        }
        if (enabled) {
            held.get().size = 0;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Slow path: a new edge.

    private static long bit(int from, int to) {
        return 1L << (from * N + to);
    }

    /** Records edge {@code from -> to} unless already known, and checks it for an inversion. */
    private void addEdge(int from, int to) {
        String now = where();
        synchronized (graphLock) {
            if (adjacency[from][to]) {
                return; // another thread recorded it between our fast-path read and here
            }
            int[] reverse = path(to, from);
            adjacency[from][to] = true;
            firstSeen[from][to] = now;
            knownEdges |= bit(from, to); // volatile write under the lock: publishes the two above
            if (reverse != null) {
                int lo = Math.min(from, to);
                int hi = Math.max(from, to);
                if (!reportedPair[lo][hi]) {
                    reportedPair[lo][hi] = true;
                    reports.add(report(reverse, from, to, now));
                    violations = violations + 1; // only writer holds graphLock
                }
            }
        }
    }

    /**
     * A shortest path {@code start ->* goal} in the graph as a list of class ordinals, or null.
     * Caller holds {@link #graphLock}.
     */
    private int[] path(int start, int goal) {
        int[] prev = new int[N];
        Arrays.fill(prev, -1);
        boolean[] seen = new boolean[N];
        int[] queue = new int[N];
        int head = 0;
        int tail = 0;
        queue[tail++] = start;
        seen[start] = true;
        while (head < tail) {
            int u = queue[head++];
            if (u == goal) {
                int len = 1;
                for (int v = u; v != start; v = prev[v]) {
                    len++;
                }
                int[] out = new int[len];
                for (int v = u, i = len - 1; i >= 0; v = prev[v], i--) {
                    out[i] = v;
                }
                return out;
            }
            for (int v = 0; v < N; v++) {
                if (adjacency[u][v] && !seen[v]) {
                    seen[v] = true;
                    prev[v] = u;
                    queue[tail++] = v;
                }
            }
        }
        return null;
    }

    /** Caller holds {@link #graphLock}. */
    private String report(int[] earlier, int from, int to, String now) {
        StringBuilder sb = new StringBuilder("lock order inversion: ");
        sb.append(Arrays.stream(earlier).mapToObj(i -> CLASSES[i].label())
                .collect(Collectors.joining(" -> ")));
        sb.append(" first seen at ");
        if (earlier.length == 2) {
            sb.append(firstSeen[earlier[0]][earlier[1]]);
        } else {
            for (int i = 0; i + 1 < earlier.length; i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append('{').append(CLASSES[earlier[i]].label()).append(" -> ")
                        .append(CLASSES[earlier[i + 1]].label()).append(": ")
                        .append(firstSeen[earlier[i]][earlier[i + 1]]).append('}');
            }
        }
        sb.append(" ; now ").append(CLASSES[from].label()).append(" -> ").append(CLASSES[to].label())
                .append(" at ").append(now);
        return sb.toString();
    }

    /** The calling thread's name and a few frames of its stack, the checker's own frames skipped. */
    private static String where() {
        String frames = StackWalker.getInstance().walk(s -> s
                .dropWhile(f -> isSelf(f.getClassName()))
                .limit(STACK_FRAMES)
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":"
                        + f.getLineNumber() + ")")
                .collect(Collectors.joining(" < ")));
        return "[" + Thread.currentThread().getName() + "] " + frames;
    }

    private static boolean isSelf(String className) {
        return className.equals(SELF) || className.startsWith(SELF + "$");
    }

    /** One thread's held classes, outermost first. Thread-confined: touched only by its owner. */
    private static final class Held {
        LockClass[] stack = new LockClass[16];
        int size;

        void push(LockClass c) {
            if (size == stack.length) {
                stack = Arrays.copyOf(stack, size * 2);
            }
            stack[size++] = c;
        }

        boolean removeLast(LockClass c) {
            for (int i = size - 1; i >= 0; i--) {
                if (stack[i] == c) {
                    System.arraycopy(stack, i + 1, stack, i, size - i - 1);
                    stack[--size] = null;
                    return true;
                }
            }
            return false;
        }

        String describe() {
            return Arrays.stream(stack, 0, size).map(LockClass::label)
                    .collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
