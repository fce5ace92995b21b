package rlbench.bench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import rlbench.locks.stat.LockStat;

/**
 * The latency histograms of one trial (one fork's run of one benchmark with one set of
 * parameters): a concurrent registry of every thread's {@link OpLatency}, merged per operation
 * at the end and written as HdrHistogram logs for the runner to merge across forks.
 *
 * <p>Life cycle inside a benchmark: the benchmark's {@code Scope.Benchmark} state owns one
 * recorder; each thread state, in its {@code @Setup(Level.Trial)}, calls {@link #register} once
 * per operation it performs and records into what it gets back (only during measurement
 * iterations, see {@link OpLatency#iteration}). The benchmark state tells the recorder when
 * measurement iterations start and end ({@link #iterationStarted}, {@link #iterationEnded}), which
 * become the interval's timestamps, and in its {@code @TearDown(Level.Trial)} calls
 * {@link #writeLogsIfRequested}. JMH runs Benchmark-scope tear-downs only after every thread has
 * left the measurement loop, so the histograms are quiet when they are merged.
 *
 * <p>Files: if the system property {@value #DIR_PROPERTY} names a directory (created if needed),
 * one file per operation, {@code <dir>/<op>.<pid>.<System.nanoTime()>.hlog}, holding comment lines
 * that say which benchmark, parameters and threads produced it, then one interval histogram per
 * measurement iteration: every thread's histogram of that operation in that iteration, merged,
 * stamped with the iteration's wall-clock start and end. Without the property, nothing is written.
 *
 * <p>While lock statistics are on ({@link LockStat#on}), two more kinds of file go beside them:
 * each op's lock-wait histograms (the time each op waited for locks), in {@value #LOCK_WAIT_DIR}/
 * under the same names, and the fork's per-lock-point statistics, in {@value #LOCK_STAT_DIR}/
 * ({@link LockStatLog}).
 */
public final class LatencyRecorder {

    /** The system property naming the directory for .hlog files. */
    public static final String DIR_PROPERTY = "rlbench.hgrm.dir";
    /** The subdirectory of that directory for the per-op lock-wait logs, named as the latency logs are. */
    public static final String LOCK_WAIT_DIR = "lockwait";
    /** The subdirectory for the per-fork lock statistics ({@link LockStatLog}). */
    public static final String LOCK_STAT_DIR = "lockstat";

    private final ConcurrentLinkedQueue<OpLatency> registered = new ConcurrentLinkedQueue<>();
    /**
     * Start and end of each measurement iteration, in ms. JMH may run the Benchmark-scope setup
     * and tear-down on different threads; entries are replaced, never changed in place, so the
     * copy-on-write list's volatile array publishes each one whole to the thread that reads it.
     */
    private final List<long[]> measurementMillis = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A new pre-sized histogram for {@code op}, owned by the calling thread. */
    public OpLatency register(String op) {
        if (op == null || !op.matches("[a-z][a-zA-Z0-9-]*")) {
            throw new IllegalArgumentException("op names are file-name safe words: " + op);
        }
        OpLatency l = new OpLatency(op);
        registered.add(l);
        return l;
    }

    /** Call from a {@code Scope.Benchmark} {@code @Setup(Level.Iteration)}. */
    public void iterationStarted(IterationParams params) {
        if (params.getType() == IterationType.MEASUREMENT) {
            long now = System.currentTimeMillis();
            measurementMillis.add(new long[] {now, now});
        }
    }

    /** Call from a {@code Scope.Benchmark} {@code @TearDown(Level.Iteration)}. */
    public void iterationEnded(IterationParams params) {
        if (params.getType() == IterationType.MEASUREMENT && !measurementMillis.isEmpty()) {
            int last = measurementMillis.size() - 1;
            measurementMillis.set(last, new long[] {measurementMillis.get(last)[0], System.currentTimeMillis()});
        }
    }

    /** How many thread histograms were registered for {@code op}. */
    public int threads(String op) {
        int n = 0;
        for (OpLatency l : registered) {
            if (l.op().equals(op)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Every operation's histograms merged over threads, one per measurement iteration, by
     * operation name, each stamped with its iteration's start and end. Call only once the
     * recording threads have stopped.
     */
    public SortedMap<String, List<Histogram>> perIteration() {
        return perIteration(false);
    }

    /** {@link #perIteration()} of the latencies, or of the per-op lock waits. */
    SortedMap<String, List<Histogram>> perIteration(boolean lockWait) {
        SortedMap<String, List<Histogram>> out = new TreeMap<>();
        for (OpLatency l : registered) {
            List<Histogram> merged = out.computeIfAbsent(l.op(), k -> new ArrayList<>());
            List<Histogram> mine = lockWait ? l.lockWaitIterations() : l.iterations();
            for (int i = 0; i < mine.size(); i++) {
                if (merged.size() <= i) {
                    merged.add(OpLatency.newHistogram());
                }
                merged.get(i).add(mine.get(i));
            }
        }
        for (List<Histogram> iterations : out.values()) {
            for (int i = 0; i < iterations.size(); i++) {
                long[] t = i < measurementMillis.size() ? measurementMillis.get(i)
                        : new long[] {System.currentTimeMillis(), System.currentTimeMillis()};
                iterations.get(i).setStartTimeStamp(t[0]);
                iterations.get(i).setEndTimeStamp(Math.max(t[0], t[1]));
            }
        }
        return out;
    }

    /** Every operation's histograms merged over threads and iterations, by operation name. */
    public SortedMap<String, Histogram> merged() {
        SortedMap<String, Histogram> out = new TreeMap<>();
        perIteration().forEach((op, iterations) -> {
            Histogram h = OpLatency.newHistogram();
            iterations.forEach(h::add);
            if (!iterations.isEmpty()) {
                h.setStartTimeStamp(iterations.get(0).getStartTimeStamp());
                h.setEndTimeStamp(iterations.get(iterations.size() - 1).getEndTimeStamp());
            }
            out.put(op, h);
        });
        return out;
    }

    /**
     * Writes one .hlog file per operation into {@code dir} (created if missing), each with the
     * {@code comments} as comment lines, and returns the files written.
     */
    public List<Path> writeLogs(Path dir, List<String> comments) {
        return writeLogs(dir, comments, false);
    }

    /** {@link #writeLogs(Path, List)} of the latencies, or of the per-op lock waits. */
    List<Path> writeLogs(Path dir, List<String> comments, boolean lockWait) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            long pid = ProcessHandle.current().pid();
            for (Map.Entry<String, List<Histogram>> e : perIteration(lockWait).entrySet()) {
                String op = e.getKey();
                List<Histogram> iterations = e.getValue();
                if (iterations.isEmpty()) {
                    continue;
                }
                long count = iterations.stream().mapToLong(Histogram::getTotalCount).sum();
                long start = iterations.get(0).getStartTimeStamp();
                Path file = dir.resolve(op + "." + pid + "." + System.nanoTime() + ".hlog");
                HistogramLogWriter w = new HistogramLogWriter(file.toFile());
                try {
                    w.outputLogFormatVersion();
                    for (String c : comments) {
                        w.outputComment(c.replace('\n', ' '));
                    }
                    w.outputComment("op=" + op + " threads=" + threads(op) + " count=" + count + " iterations="
                            + iterations.size() + " unit=ns");
                    w.outputStartTime(start);
                    w.setBaseTime(start);
                    w.outputBaseTime(start);
                    w.outputLegend();
                    for (Histogram h : iterations) {
                        w.outputIntervalHistogram(h);
                    }
                } finally {
                    w.close();
                }
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write latency logs to " + dir, e);
        }
        return written;
    }

    /**
     * Writes the logs into the directory named by {@value #DIR_PROPERTY}, if it is set, with
     * comment lines naming the benchmark, its parameters and its thread layout; does nothing
     * otherwise. Call from the benchmark state's {@code @TearDown(Level.Trial)}.
     */
    public List<Path> writeLogsIfRequested(BenchmarkParams params, String... extraComments) {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return List.of();
        }
        List<String> comments = new ArrayList<>();
        if (params != null) {
            comments.add("rlbench benchmark=" + params.getBenchmark());
            StringBuilder p = new StringBuilder("rlbench params");
            for (String key : params.getParamsKeys()) {
                p.append(' ').append(key).append('=').append(params.getParam(key));
            }
            comments.add(p.toString());
            comments.add("rlbench threads=" + params.getThreads() + " threadGroups="
                    + Arrays.toString(params.getThreadGroups()).replace(" ", "")
                    + " groupLabels=" + String.join(",", params.getThreadGroupLabels()));
        }
        for (String c : extraComments) {
            comments.add("rlbench " + c);
        }
        List<Path> written = new ArrayList<>(writeLogs(Path.of(dir), comments));
        if (LockStat.on()) {
            written.addAll(writeLogs(Path.of(dir).resolve(LOCK_WAIT_DIR), comments, true));
            written.add(LockStatLog.write(Path.of(dir).resolve(LOCK_STAT_DIR), comments, LockStat.snapshot()));
        }
        return written;
    }
}
