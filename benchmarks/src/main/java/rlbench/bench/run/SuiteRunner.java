package rlbench.bench.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import rlbench.locks.stat.LockPoint;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import rlbench.bench.targets.KernelFs;
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
    /** Where the linux target's forks make their files, per -p kernelFs; empty when the run has no linux target. */
    private final Map<KernelFs, Path> kernelFiles = new java.util.EnumMap<>(KernelFs.class);
    /** {@code lockstat.csv}, appended after each benchmark's rows; null when not written. */
    private LockStatCsv lockStats;
    /** The lock-statistics rows of the benchmark {@link #measure} just ran, for {@link #run} to append. */

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

    /** Tells every fork where the linux target makes its files on {@code fs} ({@link KernelFs#property}). */
    public void kernelFilesIn(KernelFs fs, Path dir) {
        kernelFiles.put(fs, dir);
    }

    /** Appends each benchmark's lock statistics to {@code file} after its rows. */
    public void lockStatsTo(LockStatCsv file) {
        this.lockStats = file;
    }

    /** How many benchmarks have their rows written; read by the interrupt hook. */
    public int finished() {
        return finished;
    }

    /** Runs every spec once, in plan order; returns how many failed. */
    public int run(RunPlan plan) {
        int n = plan.specs().size();
        return run(plan, new Rounds(1, 0, List.of(java.util.stream.IntStream.rangeClosed(1, n).boxed().toList())));
    }

    /**
     * Runs every spec once per round, each round in its order; returns how many benchmark runs
     * failed. A single round writes each benchmark's rows as it finishes, as ever. Several rounds
     * write each benchmark's rows of a round as it finishes, with the round's number, and after
     * the last round the rows aggregated over the rounds it finished in: latencies from its
     * histograms merged over the rounds, each score the mean of the rounds' with a 95% interval
     * across them (n: the rounds). Its {@code .hlog} then holds one interval per round.
     */
    public int run(RunPlan plan, Rounds rounds) {
        List<RunPlan.Spec> specs = plan.specs();
        int total = specs.size() * rounds.count();
        boolean multi = rounds.count() > 1;
        List<List<Measured>> perSpec = new ArrayList<>();
        specs.forEach(s -> perSpec.add(new ArrayList<>()));
        long start = System.nanoTime();
        int failures = 0;
        int k = 0;
        for (int r = 1; r <= rounds.count(); r++) {
            for (int index : rounds.orders().get(r - 1)) {
                RunPlan.Spec s = specs.get(index - 1);
                long elapsed = System.nanoTime() - start;
                long perBenchmark = k == 0 ? TimeUnit.MILLISECONDS.toNanos(profile.estimatedMillisPerBenchmark()) : elapsed / k;
                console.printf("[%d/%d] %s%s %s/%s threads=%d %s  elapsed %s, about %s left%n", k + 1, total,
                        multi ? "round " + r + ": " : "", s.design(), s.workload().lowerName(), s.variant().method(), s.threads(),
                        describe(s), duration(elapsed), duration(perBenchmark * (total - k)));
                console.flush();
                String base = String.format("%03d-%s%s-%s-%s-t%d", index, multi ? "r" + r + "-" : "", s.design(),
                        s.workload().lowerName(), s.variant().method(), s.threads());
                try {
                    Measured m = runOne(s, base);
                    if (multi) {
                        csv.append(m.rows, r);
                        perSpec.get(index - 1).add(m);
                    } else {
                        writeHistograms(s, m);
                        // Rows last: they name histograms that are written by now, and a row is what makes a
                        // benchmark count as finished, in results.csv and in jmh/results.json alike.
                        csv.append(m.rows);
                        appendLockStats(s, m.points);
                        allRows.addAll(m.rows);
                    }
                    jmhResults.add(RunFolder.at(out).jmh().resolve(base + ".json"));
                    finished = k + 1;
                } catch (RunnerException | RuntimeException | IOException e) {
                    failures++;
                    console.printf("[%d/%d] FAILED: %s (JMH's log: %s)%n", k + 1, total, e.getMessage(),
                            RunFolder.at(out).jmh().resolve(base + ".log"));
                }
                k++;
            }
        }
        if (multi) {
            for (int i = 0; i < specs.size(); i++) {
                if (perSpec.get(i).isEmpty()) {
                    continue;
                }
                try {
                    RunPlan.Spec s = specs.get(i);
                    Measured agg = aggregate(s, perSpec.get(i));
                    csv.check(agg.rows);
                    writeHistograms(s, agg);
                    csv.append(agg.rows);
                    appendLockStats(s, agg.points);
                    allRows.addAll(agg.rows);
                } catch (RuntimeException e) {
                    failures++;
                    console.printf("FAILED to aggregate %s over its rounds: %s%n", describe(specs.get(i)), e.getMessage());
                }
            }
        }
        console.printf("%d of %d benchmarks done in %s%s%n", total - failures, total,
                duration(System.nanoTime() - start), failures == 0 ? "" : " (" + failures + " failed)");
        return failures;
    }

    /**
     * One benchmark's rows from one round (or aggregated over rounds), its latency histograms and
     * its ops' lock-wait histograms (op to interval histograms), and its lock points' statistics.
     */
    record Measured(List<Row> rows, Map<String, List<Histogram>> intervals, Map<String, List<Histogram>> lockWaits,
                    List<LockStatLog.Point> points) {
    }

    /**
     * One benchmark's rows over its rounds: each score the mean of the rounds' values with a 95%
     * t-interval across them (none from one round), n the rounds; each latency from the rounds'
     * histograms merged. The intervals returned are one per round: each round's merged histogram.
     */
    static Measured aggregate(RunPlan.Spec s, List<Measured> rounds) {
        Map<Row.Key, List<Row>> scores = new LinkedHashMap<>();
        for (Measured m : rounds) {
            for (Row row : m.rows) {
                // histogram metrics are merged below, over the rounds' histograms, not averaged
                if (!Metrics.LATENCY.contains(row.metric()) && !Metrics.LOCK_WAIT.contains(row.metric())) {
                    scores.computeIfAbsent(row.key(), x -> new ArrayList<>()).add(row);
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (List<Row> rs : scores.values()) {
            Row first = rs.get(0);
            double[] v = rs.stream().mapToDouble(Row::value).toArray();
            double mean = StatUtils.mean(v);
            double lo = Double.NaN;
            double hi = Double.NaN;
            if (v.length >= 2) {
                double half = new TDistribution(v.length - 1).inverseCumulativeProbability(0.975)
                        * Math.sqrt(StatUtils.variance(v) / v.length);
                lo = mean - half;
                hi = mean + half;
            }
            rows.add(new Row(first.design(), first.workload(), first.op(), first.threads(), first.params(), first.metric(),
                    mean, first.unit(), lo, hi, v.length));
        }
        Map<String, List<Histogram>> perRound = new TreeMap<>();
        for (Measured m : rounds) {
            m.intervals.forEach((op, hs) -> perRound.computeIfAbsent(op, x -> new ArrayList<>()).add(Histograms.sum(hs)));
        }
        rows.addAll(latencyRows(s, perRound));
        Map<String, List<Histogram>> waitsPerRound = new TreeMap<>();
        for (Measured m : rounds) {
            m.lockWaits.forEach((op, hs) -> waitsPerRound.computeIfAbsent(op, x -> new ArrayList<>()).add(Histograms.sum(hs)));
        }
        rows.addAll(lockWaitRows(s, waitsPerRound));
        Map<String, LockStatLog.Point> points = new LinkedHashMap<>();
        for (Measured m : rounds) {
            for (LockStatLog.Point p : m.points) {
                points.merge(p.name(), p, (a, b) -> {
                    Histogram wait = a.waitNs().copy();
                    wait.add(b.waitNs());
                    Histogram hold = a.holdNs().copy();
                    hold.add(b.holdNs());
                    return new LockStatLog.Point(a.name(), a.acquisitions() + b.acquisitions(), a.contended() + b.contended(),
                            wait, hold);
                });
            }
        }
        return new Measured(rows, perRound, waitsPerRound, List.copyOf(points.values()));
    }

    public List<Row> rows() {
        return allRows;
    }

    /**
     * Runs one benchmark; returns its rows, checked but not yet written, and its histograms.
     * {@code base}: the name of its JMH files in {@code jmh/}.
     */
    private Measured runOne(RunPlan.Spec s, String base) throws RunnerException, IOException {
        Path jmhDir = RunFolder.at(out).jmh();
        Files.createDirectories(jmhDir);
        Path scratch = Files.createTempDirectory("rlbench-hgrm-");
        try {
            return measure(s, base, jmhDir, scratch);
        } finally {
            deleteQuietly(scratch);
        }
    }

    private Measured measure(RunPlan.Spec s, String base, Path jmhDir, Path scratch) throws RunnerException {
        Workload.Score score = s.workload().score;
        List<String> forkArgs = new ArrayList<>(jvm.args());
        forkArgs.add("-Drlbench.hgrm.dir=" + scratch);
        kernelFiles.forEach((fs, dir) -> forkArgs.add("-D" + fs.property() + "=" + dir));
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
        rows.addAll(latencyRows(s, intervals));
        Map<String, List<Histogram>> lockWaits = Histograms.intervalsByOp(scratch.resolve(LatencyRecorder.LOCK_WAIT_DIR));
        rows.addAll(lockWaitRows(s, lockWaits));
        List<LockStatLog.Point> points = LockStatLog.merge(scratch.resolve(LatencyRecorder.LOCK_STAT_DIR));
        rows.addAll(retryRows(s, intervals, points));
        csv.check(rows); // before any histogram is written: a refused benchmark leaves nothing behind
        return new Measured(rows, intervals, lockWaits, points);
    }

    /**
     * The {@link Metrics#RETRIES_PER_OP} row: the benchmark's {@code instantiate.retry} count over
     * the recorded ops of its busiest op (the workers'; a puncher's refill may retry too, and is
     * counted in), or nothing when no instantiation was retried.
     */
    static List<Row> retryRows(RunPlan.Spec s, Map<String, List<Histogram>> intervals, List<LockStatLog.Point> points) {
        long retries = points.stream().filter(p -> p.name().equals(LockPoint.INSTANTIATE_RETRY.name()))
                .mapToLong(LockStatLog.Point::acquisitions).sum();
        if (retries == 0 || intervals.isEmpty()) {
            return List.of();
        }
        String busiest = null;
        long ops = 0;
        for (Map.Entry<String, List<Histogram>> e : intervals.entrySet()) {
            long n = Histograms.sum(e.getValue()).getTotalCount();
            if (n > ops) {
                ops = n;
                busiest = e.getKey();
            }
        }
        if (busiest == null) {
            return List.of();
        }
        return List.of(new Row(s.design(), s.workload().lowerName(), busiest, s.threads(), s.recordedParams(),
                Metrics.RETRIES_PER_OP, (double) retries / ops, "retries/op", Double.NaN, Double.NaN, 1));
    }

    /** Each op's {@link Metrics#LOCK_WAIT} rows, from its lock-wait interval histograms merged. */
    private static List<Row> lockWaitRows(RunPlan.Spec s, Map<String, List<Histogram>> lockWaits) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Histogram>> e : lockWaits.entrySet()) {
            rows.addAll(lockWaitRows(s.design(), s.workload().lowerName(), e.getKey(), s.threads(), s.recordedParams(),
                    Histograms.sum(e.getValue())));
        }
        return rows;
    }

    /**
     * An op's {@link Metrics#LOCK_WAIT} rows from its lock-wait histogram (one value per op: the
     * sum of its waits): p50, p99 and max, and the share of ops that waited at all.
     */
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

    /** The lock points' rows of one benchmark into {@code lockstat.csv}, when the run keeps one. */
    private void appendLockStats(RunPlan.Spec s, List<LockStatLog.Point> points) {
        if (lockStats == null) {
            return;
        }
        List<LockStatCsv.Row> rows = new ArrayList<>();
        for (LockStatLog.Point p : points) {
            rows.add(LockStatCsv.Row.of(s.design(), s.workload().lowerName(), p.name(), s.threads(), s.recordedParams(),
                    p.acquisitions(), p.contended(), p.waitNs(), p.holdNs()));
        }
        lockStats.append(rows);
    }

    /** Each op's latency rows, from its interval histograms merged. */
    private static List<Row> latencyRows(RunPlan.Spec s, Map<String, List<Histogram>> intervals) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, List<Histogram>> e : intervals.entrySet()) {
            Histogram h = Histograms.sum(e.getValue());
            long n = h.getTotalCount();
            // In Metrics.LATENCY order.
            double[] latencies = {h.getMean(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                h.getValueAtPercentile(99), h.getValueAtPercentile(99.9), h.getMaxValue()};
            for (int i = 0; i < latencies.length; i++) {
                rows.add(new Row(s.design(), s.workload().lowerName(), e.getKey(), s.threads(), s.recordedParams(),
                        Metrics.LATENCY.get(i), latencies[i], "ns", Double.NaN, Double.NaN, n));
            }
        }
        return rows;
    }

    private void writeHistograms(RunPlan.Spec s, Measured m) {
        for (Map.Entry<String, List<Histogram>> e : m.intervals.entrySet()) {
            Histograms.write(e.getValue(), RunFolder.at(out).hgrm(), Histograms.fileName(s.design(), s.workload().lowerName(),
                    e.getKey(), s.threads(), s.recordedParams()));
        }
        for (Map.Entry<String, List<Histogram>> e : m.lockWaits.entrySet()) {
            Histograms.write(e.getValue(), RunFolder.at(out).hgrm(), Histograms.fileName(s.design(), s.workload().lowerName(),
                    e.getKey(), s.threads(), s.recordedParams()) + Histograms.LOCK_WAIT_SUFFIX);
        }
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
