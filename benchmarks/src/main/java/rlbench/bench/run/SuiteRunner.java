package rlbench.bench.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import rlbench.bench.results.Histograms;
import rlbench.bench.results.LockStatCsv;
import rlbench.bench.results.JmhResults;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.Row;
import rlbench.bench.results.RunFolder;
import rlbench.bench.workloads.LatencyRecorder;
import rlbench.bench.workloads.LockStatLog;
import rlbench.bench.workloads.OpThreads;

/**
 * Runs a {@link RunPlan}: one JMH invocation per benchmark (JMH has no thread-count parameter, so
 * the runner sets threads or thread groups and records them), then appends that benchmark's rows
 * to {@code results.csv}, writes its merged histograms to {@code hgrm/} and keeps JMH's own JSON
 * and log under {@code jmh/}, with every benchmark's JSON also gathered in {@code jmh/results.json}.
 * With lock statistics on, each op also gets {@link Metrics#LOCK_WAIT} rows (and its lock-wait
 * histograms in {@code hgrm/}), and the benchmark's lock points go to {@code lockstat.csv}.
 * Prints a progress line as each benchmark starts.
 */
public final class SuiteRunner {

    private final Profile profile;
    private final Path out;
    private final ResultsCsv csv;
    private final PrintWriter console;
    private final ForkJvm jvm;
    private final JmhResults jmhResults;
    private final List<Row> allRows = new ArrayList<>();
    private volatile int finished;
    private Path forkLauncher;
    /** {@code lockstat.csv}, appended after each benchmark's rows; null when not written. */
    private LockStatCsv lockStats;
    /** The lock-statistics rows of the benchmark {@link #measure} just ran, for {@link #run} to append. */
    private List<LockStatCsv.Row> pendingLockStats = List.of();

    /** {@code jvm}: the options every fork gets appended, from {@code --jvm-args}. */
    public SuiteRunner(Profile profile, Path out, ResultsCsv csv, PrintWriter console, ForkJvm jvm) {
        this.profile = profile;
        this.jvm = jvm;
        this.out = out;
        this.csv = csv;
        this.console = console;
        this.jmhResults = new JmhResults(RunFolder.at(out).jmhResults());
    }

    /** Starts every fork with {@code launcher} in place of {@code java}: the script {@code run --cpus} pins them with. */
    public void forkThrough(Path launcher) {
        this.forkLauncher = launcher;
    }

    /** Appends each benchmark's lock statistics to {@code file} after its rows. */
    public void lockStatsTo(LockStatCsv file) {
        this.lockStats = file;
    }

    /** How many benchmarks have their rows written; read by the interrupt hook. */
    public int finished() {
        return finished;
    }

    /** Runs every spec; returns how many failed. */
    public int run(RunPlan plan) {
        List<RunPlan.Spec> specs = plan.specs();
        long start = System.nanoTime();
        int failures = 0;
        for (int k = 0; k < specs.size(); k++) {
            RunPlan.Spec s = specs.get(k);
            long elapsed = System.nanoTime() - start;
            long perBenchmark = k == 0 ? TimeUnit.MILLISECONDS.toNanos(profile.estimatedMillisPerBenchmark()) : elapsed / k;
            console.printf("[%d/%d] %s %s/%s threads=%d %s  elapsed %s, about %s left%n", k + 1, specs.size(), s.design(),
                    s.workload().lowerName(), s.variant().method(), s.threads(), describe(s),
                    duration(elapsed), duration(perBenchmark * (specs.size() - k)));
            console.flush();
            String base = String.format("%03d-%s-%s-%s-t%d", k + 1, s.design(), s.workload().lowerName(), s.variant().method(),
                    s.threads());
            try {
                List<Row> rows = runOne(s, base);
                // Rows last: they name histograms that are written by now, and a row is what makes a
                // benchmark count as finished, in results.csv and in jmh/results.json alike.
                csv.append(rows);
                if (lockStats != null) {
                    lockStats.append(pendingLockStats);
                }
                jmhResults.add(RunFolder.at(out).jmh().resolve(base + ".json"));
                allRows.addAll(rows);
                finished = k + 1;
            } catch (RunnerException | RuntimeException | IOException e) {
                failures++;
                console.printf("[%d/%d] FAILED: %s (JMH's log: %s)%n", k + 1, specs.size(), e.getMessage(),
                        RunFolder.at(out).jmh().resolve(base + ".log"));
            }
        }
        console.printf("%d of %d benchmarks done in %s%s%n", specs.size() - failures, specs.size(),
                duration(System.nanoTime() - start), failures == 0 ? "" : " (" + failures + " failed)");
        return failures;
    }

    public List<Row> rows() {
        return allRows;
    }

    /**
     * Runs one benchmark and writes its histograms; returns its rows, checked but not yet written.
     * {@code base}: the name of its JMH files in {@code jmh/}.
     */
    private List<Row> runOne(RunPlan.Spec s, String base) throws RunnerException, IOException {
        Path jmhDir = RunFolder.at(out).jmh();
        Files.createDirectories(jmhDir);
        Path scratch = Files.createTempDirectory("rlbench-hgrm-");
        try {
            return measure(s, base, jmhDir, scratch);
        } finally {
            deleteQuietly(scratch);
        }
    }

    private List<Row> measure(RunPlan.Spec s, String base, Path jmhDir, Path scratch) throws RunnerException {
        Workload.Score score = s.workload().score;
        List<String> forkArgs = new ArrayList<>(jvm.args());
        forkArgs.add("-Drlbench.hgrm.dir=" + scratch);
        ChainedOptionsBuilder ob = new OptionsBuilder()
                .include(s.workload().include(s.variant()))
                .mode(score.mode)
                .timeUnit(score.timeUnit)
                .forks(profile.forks)
                .warmupIterations(profile.warmupIterations)
                .warmupTime(TimeValue.milliseconds(profile.warmupMillis))
                .measurementIterations(profile.measurementIterations)
                .measurementTime(TimeValue.milliseconds(profile.measurementMillis))
                .jvmArgsAppend(forkArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(jmhDir.resolve(base + ".json").toString())
                .output(jmhDir.resolve(base + ".log").toString());
        if (s.variant().isGroup()) {
            ob.threadGroups(s.variant().threadGroups(s.threads()));
        } else {
            ob.threads(s.threads());
        }
        if (forkLauncher != null) {
            ob.jvm(forkLauncher.toString());
        }
        if (s.workload().perDesign()) {
            ob.param("design", s.design());
        }
        s.params().forEach(ob::param);
        Collection<RunResult> results = new Runner(ob.build()).run();
        if (results.isEmpty()) {
            throw new IllegalStateException("JMH produced no result for " + s.workload().include(s.variant()));
        }
        List<Row> rows = new ArrayList<>();
        int threads = s.threads();
        Map<String, String> params = s.recordedParams();
        String workload = s.workload().lowerName();
        Map<String, List<Histogram>> intervals = Histograms.intervalsByOp(scratch);
        for (RunResult rr : results) {
            for (Result<?> r : opResults(rr, s.variant())) {
                double[] ci = r.getScoreConfidence();
                rows.add(new Row(s.design(), workload, opName(r.getLabel()), threads, params, score.metric,
                        r.getScore(), score.unit, ci[0], ci[1], r.getSampleCount()));
            }
        }
        for (Map.Entry<String, List<Histogram>> e : intervals.entrySet()) {
            Histogram h = Histograms.sum(e.getValue());
            String op = e.getKey();
            long n = h.getTotalCount();
            // In Metrics.LATENCY order.
            double[] latencies = {h.getMean(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue()};
            for (int i = 0; i < latencies.length; i++) {
                rows.add(new Row(s.design(), workload, op, threads, params, Metrics.LATENCY.get(i),
                        latencies[i], "ns", Double.NaN, Double.NaN, n));
            }
        }
        Map<String, List<Histogram>> lockWaits = Histograms.intervalsByOp(scratch.resolve(LatencyRecorder.LOCK_WAIT_DIR));
        for (Map.Entry<String, List<Histogram>> e : lockWaits.entrySet()) {
            rows.addAll(lockWaitRows(s.design(), workload, e.getKey(), threads, params, Histograms.sum(e.getValue())));
        }
        List<LockStatCsv.Row> points = new ArrayList<>();
        for (LockStatLog.Point p : LockStatLog.merge(scratch.resolve(LatencyRecorder.LOCK_STAT_DIR))) {
            points.add(LockStatCsv.Row.of(s.design(), workload, p.name(), threads, params, p.acquisitions(), p.contended(),
                    p.waitNs(), p.holdNs()));
        }
        csv.check(rows); // before any histogram is written: a refused benchmark leaves nothing behind
        for (Map.Entry<String, List<Histogram>> e : intervals.entrySet()) {
            Histograms.write(e.getValue(), RunFolder.at(out).hgrm(), Histograms.fileName(s.design(), workload, e.getKey(), threads, params));
        }
        for (Map.Entry<String, List<Histogram>> e : lockWaits.entrySet()) {
            Histograms.write(e.getValue(), RunFolder.at(out).hgrm(),
                    Histograms.fileName(s.design(), workload, e.getKey(), threads, params) + Histograms.LOCK_WAIT_SUFFIX);
        }
        pendingLockStats = points;
        return rows;
    }

    /** An op's {@link Metrics#LOCK_WAIT} rows from its lock-wait histogram (one value per op). */
    static List<Row> lockWaitRows(String design, String workload, String op, int threads, Map<String, String> params,
                                  Histogram h) {
        long n = h.getTotalCount();
        if (n == 0) {
            return List.of(); // no op was measured: no value to write (the latency rows are absent too)
        }
        double waited = 100.0 * (n - h.getCountAtValue(0)) / n;
        double[] values = {h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(), waited};
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            String metric = Metrics.LOCK_WAIT.get(i);
            rows.add(new Row(design, workload, op, threads, params, metric, values[i], metric.endsWith("_pct") ? "%" : "ns",
                    Double.NaN, Double.NaN, n));
        }
        return rows;
    }

    /** The results that carry ops/s per op: the benchmark itself, or each method of a group. */
    private static List<Result<?>> opResults(RunResult rr, Workload.Variant v) {
        List<Result<?>> out = new ArrayList<>();
        if (v.isGroup()) {
            rr.getSecondaryResults().values().stream()
                    .filter(r -> !r.getLabel().startsWith("·")) // JMH's own secondary metrics (profilers), if any
                    .forEach(out::add);
        } else {
            out.add(rr.getPrimaryResult());
        }
        return out;
    }

    /** {@code workerFault} becomes {@code fault}: group methods are named worker + op. */
    static String opName(String method) {
        return OpThreads.op(method);
    }

    private static String describe(RunPlan.Spec s) {
        return s.recordedParams().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    static String duration(long nanos) {
        long s = TimeUnit.NANOSECONDS.toSeconds(nanos);
        return s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover scratch folder in the temp directory harms nothing
        }
    }
}
