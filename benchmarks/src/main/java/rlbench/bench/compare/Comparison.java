package rlbench.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.apache.commons.math3.stat.inference.TTest;
import rlbench.bench.results.Histograms;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.ResultsTable;
import rlbench.bench.results.Row;
import rlbench.bench.results.RunFolder;

/**
 * Two runs, row by row: the change of every metric both measured, with a confidence interval and a
 * p-value where the data allow one, and a verdict that knows each metric's direction (ops/s:
 * bigger is better; latencies: smaller is better).
 *
 * <p>Tests, always over independent samples of the run, never over single operations: the
 * operations inside one JMH iteration share the JVM's state, so a p-value over hundreds of
 * thousands of them calls every run-to-run wobble significant (two quick runs of the same code
 * differed "significantly" in 475 of 1,719 rows that way).
 * <ul>
 * <li>ops/s rows carry JMH's 99.9% confidence interval over its measurement iterations and their
 *     count, from which each side's standard deviation is recovered for Welch's t-test (Commons
 *     Math {@link TTest}).</li>
 * <li>Latency rows: the runs keep one histogram per measurement iteration and fork
 *     ({@code hgrm/*.hlog}). The row's metric (p50, p99, ...) is taken from each of them, and the
 *     two sets of per-iteration values are compared with Mann-Whitney U (Commons Math
 *     {@link MannWhitneyUTest}) when each side has {@value #MANN_WHITNEY_MIN} or more, else with
 *     Welch's t-test, which can still see a large shift in three iterations.</li>
 * </ul>
 * With rounds ({@code run --rounds R}, R of 2 or more in both runs) every row is instead tested
 * over its per-round values: a round is a fresh JVM at a fresh point of the run's random order,
 * so its values are independent replicates, where the iterations of one JVM are not. Three rounds
 * a side leave a row's own variance with 4 degrees of freedom, too few for any p-value to survive
 * the correction below (a doubling of one design's faults went unflagged), so the rows of one
 * metric lend each other their variance: the moderated t-test on the logs of the round values
 * ({@link ModeratedT}, {@code moderated-t/round}). A row with a zero among its round values (no
 * log), or a metric with too few rows for a prior, keeps Welch's t-test on the values
 * ({@code welch-t/round}).
 *
 * <p>One comparison tests hundreds of rows at once, and at a per-row level alpha a few of them
 * would be called significant by chance alone. Significance is therefore decided across all the
 * tested rows of the comparison with the Benjamini-Hochberg procedure, which holds the expected
 * share of false discoveries among the rows called significant to {@code alpha} (the false
 * discovery rate); the p-value shown is each row's own. {@code thresholdPct} stays the smallest
 * change worth reporting: a significant change within it is "unchanged".
 *
 * <p>A row with neither (a run written before per-iteration histograms, or with one iteration) gets
 * no p-value and can never be called a regression. A histogram file that is there but corrupt or
 * cut short is bad input, refused by name: never read as "no data", which would let any change
 * through as "untested". With a single fork, a shift that lasts a whole
 * JVM run (JIT decisions, memory placement) is in every iteration and still looks significant:
 * gate CI on runs with several forks.
 */
public final class Comparison {

    /** JMH's default confidence level for the intervals the runner stores. */
    private static final double JMH_CONFIDENCE = 0.999;
    /** The confidence of the intervals the runner stores on rows aggregated over rounds. */
    private static final double ROUNDS_CONFIDENCE = 0.95;
    /** Per-iteration samples a side needs before Mann-Whitney U is used instead of Welch's t-test. */
    static final int MANN_WHITNEY_MIN = 5;

    /** The outcome of one row. */
    public enum Verdict { UNCHANGED, IMPROVED, REGRESSED, CHANGED_NOT_SIGNIFICANT, UNTESTED }

    /** One compared row. NaN where a figure could not be computed. */
    public record Line(Row.Key key, double base, double next, double changePct, double ciLowPct,
                       double ciHighPct, double pValue, String test, Verdict verdict) {
    }

    private Comparison() {
    }

    /**
     * @param baseRun the base run's folder, for its histograms; null when it has none
     * @param nextRun the new run's folder, likewise
     * @throws IllegalArgumentException when the runs share no rows, or a histogram file is corrupt
     */
    public static List<Line> compare(ResultsTable base, ResultsTable next, RunFolder baseRun, RunFolder nextRun,
                                     double thresholdPct, double alpha) {
        Map<String, List<Histogram>> baseHist = new TreeMap<>();
        Map<String, List<Histogram>> nextHist = new TreeMap<>();
        List<Line> lines = new ArrayList<>();
        Map<String, List<RoundRow>> byMetric = new TreeMap<>();
        for (Map.Entry<Row.Key, Row> e : base.rows().entrySet()) {
            Row n = next.rows().get(e.getKey());
            if (n == null) {
                continue;
            }
            double[] baseRounds = base.roundValues(e.getKey());
            double[] nextRounds = next.roundValues(e.getKey());
            if (baseRounds.length >= 2 && nextRounds.length >= 2) {
                // Tested below, once every row of its metric is known (the prior needs them all).
                byMetric.computeIfAbsent(e.getKey().metric(), m -> new ArrayList<>())
                        .add(new RoundRow(lines.size(), e.getKey(), e.getValue(), n, baseRounds, nextRounds));
                lines.add(null);
                continue;
            }
            lines.add(line(e.getKey(), e.getValue(), n, confidence(base), confidence(next), baseRun, nextRun,
                    baseHist, nextHist, thresholdPct, alpha));
        }
        byMetric.values().forEach(rows -> testRounds(rows, lines, thresholdPct, alpha));
        if (lines.isEmpty()) {
            List<String> differing = differingParams(base, next);
            throw new IllegalArgumentException("the runs share no rows: " + base.file() + " and " + next.file()
                    + " measured nothing in common (design, workload, op, threads, parameters, metric)"
                    + (differing.isEmpty() ? "" : "; they differ in " + String.join(", ", differing)
                    + ", which --ignore-param leaves out of the match"));
        }
        return decide(lines, thresholdPct, alpha);
    }

    /**
     * The lines with their verdicts: a row is significant when Benjamini-Hochberg at false
     * discovery rate {@code alpha} rejects it among every line with a p-value. A line already
     * judged not significant (its test contradicts the row's change) keeps that verdict.
     */
    static List<Line> decide(List<Line> lines, double thresholdPct, double alpha) {
        List<Integer> tested = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!Double.isNaN(lines.get(i).pValue())) {
                tested.add(i);
            }
        }
        double[] p = tested.stream().mapToDouble(i -> lines.get(i).pValue()).toArray();
        boolean[] rejected = benjaminiHochberg(p, alpha);
        boolean[] significant = new boolean[lines.size()];
        for (int j = 0; j < tested.size(); j++) {
            significant[tested.get(j)] = rejected[j];
        }
        List<Line> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            Verdict v = l.verdict() == Verdict.CHANGED_NOT_SIGNIFICANT ? l.verdict()
                    : verdict(l.key().metric(), l.changePct(), l.pValue(), significant[i], thresholdPct);
            out.add(new Line(l.key(), l.base(), l.next(), l.changePct(), l.ciLowPct(), l.ciHighPct(), l.pValue(), l.test(), v));
        }
        return out;
    }

    /**
     * Benjamini-Hochberg at false discovery rate {@code q}: with the m p-values sorted,
     * p(1) <= ... <= p(m), find the largest k with p(k) <= k/m q and reject the k smallest.
     * Holds the expected share of false discoveries to q for independent (or positively
     * dependent) tests. Returns, for each p-value in its own place, whether it is rejected.
     */
    public static boolean[] benjaminiHochberg(double[] p, double q) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        int k = 0;
        for (int rank = 1; rank <= m; rank++) {
            if (p[order[rank - 1]] <= (double) rank / m * q) {
                k = rank;
            }
        }
        boolean[] out = new boolean[m];
        for (int rank = 1; rank <= k; rank++) {
            out[order[rank - 1]] = true;
        }
        return out;
    }

    /**
     * The confidence of a run's stored intervals: JMH's 99.9% over iterations, or 95% across the
     * rounds on the aggregates of a run of several rounds (met here only when the other run has
     * no rounds to pair with).
     */
    private static double confidence(ResultsTable t) {
        return t.roundCount() >= 2 ? ROUNDS_CONFIDENCE : JMH_CONFIDENCE;
    }

    /** Parameters that both runs have but with no value in common. */
    private static List<String> differingParams(ResultsTable a, ResultsTable b) {
        Map<String, java.util.Set<String>> va = paramValues(a);
        Map<String, java.util.Set<String>> vb = paramValues(b);
        List<String> out = new ArrayList<>();
        va.forEach((name, values) -> {
            java.util.Set<String> other = vb.get(name);
            if (other != null && java.util.Collections.disjoint(values, other)) {
                out.add(name);
            }
        });
        return out;
    }

    private static Map<String, java.util.Set<String>> paramValues(ResultsTable t) {
        Map<String, java.util.Set<String>> out = new TreeMap<>();
        t.rows().keySet().forEach(k -> k.params().forEach((n, v) -> out.computeIfAbsent(n, x -> new java.util.TreeSet<>()).add(v)));
        return out;
    }

    /**
     * One row, tested but not yet judged: its verdict is {@link Verdict#CHANGED_NOT_SIGNIFICANT}
     * when its test contradicts the change, else a placeholder that {@link #decide} replaces.
     */
    private static Line line(Row.Key k, Row b, Row n, double baseConfidence, double nextConfidence, RunFolder baseRun,
                             RunFolder nextRun, Map<String, List<Histogram>> baseHist, Map<String, List<Histogram>> nextHist,
                             double thresholdPct, double alpha) {
        double change = change(b, n);
        double p = Double.NaN;
        double lo = Double.NaN;
        double hi = Double.NaN;
        String test = "none";
        if (hasInterval(b) && hasInterval(n)) {
            double sb = sd(b, baseConfidence);
            double sn = sd(n, nextConfidence);
            p = new TTest().tTest(summary(b, sb), summary(n, sn));
            double se = Math.sqrt(sb * sb / b.n() + sn * sn / n.n());
            double df = welchDf(sb, b.n(), sn, n.n());
            double t = new TDistribution(df).inverseCumulativeProbability(1 - alpha / 2);
            double diff = n.value() - b.value();
            lo = (diff - t * se) / b.value() * 100;
            hi = (diff + t * se) / b.value() * 100;
            test = "welch-t";
        } else if (k.metric().endsWith("_ns") || k.metric().equals("lock_contended_pct")) {
            double[] xb = perIteration(histograms(baseRun, b.key(), baseHist), k.metric());
            double[] xn = perIteration(histograms(nextRun, n.key(), nextHist), k.metric());
            if (xb.length >= 2 && xn.length >= 2) {
                boolean mw = Math.min(xb.length, xn.length) >= MANN_WHITNEY_MIN;
                return sampled(k, b, n, change, xb, xn, mw ? "mann-whitney/iter" : "welch-t/iter", mw, thresholdPct, alpha);
            }
        }
        return new Line(k, b.value(), n.value(), change, lo, hi, p, test, Verdict.UNTESTED);
    }

    /** A matched row with 2 or more rounds on each side, waiting for its metric's prior. */
    private record RoundRow(int slot, Row.Key key, Row base, Row next, double[] baseRounds, double[] nextRounds) {
    }

    /**
     * The rows of one metric tested over their rounds: those whose every round value is positive
     * with the moderated t-test on logs ({@link ModeratedT}, {@code moderated-t/round}), against a
     * prior fitted to all of them; the rest (a zero among the values: no log), and every row when
     * the metric has too few rows for a prior, with Welch's t-test on the values
     * ({@code welch-t/round}). Each line goes into its slot of {@code lines}.
     */
    private static void testRounds(List<RoundRow> rows, List<Line> lines, double thresholdPct, double alpha) {
        ModeratedT.Row[] sampleOf = new ModeratedT.Row[rows.size()];
        List<ModeratedT.Row> samples = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            double[] lb = ModeratedT.logs(rows.get(i).baseRounds());
            double[] ln = ModeratedT.logs(rows.get(i).nextRounds());
            if (lb != null && ln != null) {
                sampleOf[i] = ModeratedT.Row.of(lb, ln);
                samples.add(sampleOf[i]);
            }
        }
        ModeratedT.Prior prior = ModeratedT.fit(samples.toArray(new ModeratedT.Row[0]));
        for (int i = 0; i < rows.size(); i++) {
            RoundRow r = rows.get(i);
            ModeratedT.Row sample = prior == null ? null : sampleOf[i];
            Line line;
            if (sample == null) {
                line = sampled(r.key(), r.base(), r.next(), change(r.base(), r.next()), r.baseRounds(), r.nextRounds(),
                        "welch-t/round", false, thresholdPct, alpha);
            } else {
                ModeratedT.Result t = ModeratedT.test(sample, prior, alpha);
                line = judged(r.key(), r.base(), r.next(), change(r.base(), r.next()), sample.meanDiff(),
                        t.ciLowPct(), t.ciHighPct(), t.p(), "moderated-t/round", thresholdPct);
            }
            lines.set(r.slot(), line);
        }
    }

    private static double change(Row b, Row n) {
        return b.value() == 0 ? (n.value() == 0 ? 0 : Double.NaN) : (n.value() - b.value()) / b.value() * 100;
    }

    /**
     * A row tested over samples of each run (rounds, or a JVM's iterations): the p-value of
     * Mann-Whitney U or Welch's t-test, and the change of the samples' means with its interval.
     */
    private static Line sampled(Row.Key k, Row b, Row n, double change, double[] xb, double[] xn, String test,
                                boolean mannWhitney, double thresholdPct, double alpha) {
        double p = mannWhitney ? new MannWhitneyUTest().mannWhitneyUTest(xb, xn) : TwoSample.welchP(xb, xn);
        double lo = Double.NaN;
        double hi = Double.NaN;
        double mb = StatUtils.mean(xb);
        if (mb > 0) {
            double vb = StatUtils.variance(xb);
            double vn = StatUtils.variance(xn);
            double se = Math.sqrt(vb / xb.length + vn / xn.length);
            double df = welchDf(Math.sqrt(vb), xb.length, Math.sqrt(vn), xn.length);
            double t = new TDistribution(Math.max(1, df)).inverseCumulativeProbability(1 - alpha / 2);
            double diff = StatUtils.mean(xn) - mb;
            lo = (diff - t * se) / mb * 100;
            hi = (diff + t * se) / mb * 100;
        }
        return judged(k, b, n, change, StatUtils.mean(xn) - mb, lo, hi, p, test, thresholdPct);
    }

    /**
     * A tested row before {@link #decide}: {@link Verdict#CHANGED_NOT_SIGNIFICANT} when the row's
     * value (all samples pooled) moved one way and the samples the test saw ({@code testedShift})
     * the other, since the test then does not support the row's change; else a placeholder.
     */
    private static Line judged(Row.Key k, Row b, Row n, double change, double testedShift, double lo, double hi,
                               double p, String test, double thresholdPct) {
        boolean contradicts = Math.signum(testedShift) != Math.signum(change) && Math.abs(change) > thresholdPct;
        return new Line(k, b.value(), n.value(), change, lo, hi, p, test,
                contradicts ? Verdict.CHANGED_NOT_SIGNIFICANT : Verdict.UNTESTED);
    }

    /** The verdict of a row judged alone, significant when p is below alpha (no correction for many rows). */
    static Verdict verdict(String metric, double changePct, double p, double thresholdPct, double alpha) {
        return verdict(metric, changePct, p, p < alpha, thresholdPct);
    }

    /** The verdict of a row whose significance is decided ({@code significant}, e.g. by Benjamini-Hochberg). */
    static Verdict verdict(String metric, double changePct, double p, boolean significant, double thresholdPct) {
        if (Double.isNaN(changePct)) {
            return Verdict.UNTESTED;
        }
        if (Math.abs(changePct) <= thresholdPct) {
            return Verdict.UNCHANGED;
        }
        if (Double.isNaN(p)) {
            return Verdict.UNTESTED;
        }
        if (!significant) {
            return Verdict.CHANGED_NOT_SIGNIFICANT;
        }
        int dir = Metrics.direction(metric);
        if (dir == 0) {
            return Verdict.CHANGED_NOT_SIGNIFICANT;
        }
        return Math.signum(changePct) == dir ? Verdict.IMPROVED : Verdict.REGRESSED;
    }

    private static boolean hasInterval(Row v) {
        return v.n() >= 2 && !Double.isNaN(v.ciLow()) && !Double.isNaN(v.ciHigh()) && v.ciHigh() >= v.ciLow();
    }

    /** The standard deviation behind a symmetric t-interval of the given confidence and n. */
    private static double sd(Row v, double confidence) {
        double half = (v.ciHigh() - v.ciLow()) / 2;
        double t = new TDistribution(v.n() - 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        return half / t * Math.sqrt(v.n());
    }

    private static StatisticalSummaryValues summary(Row v, double sd) {
        return new StatisticalSummaryValues(v.value(), sd * sd, v.n(), v.ciHigh(), v.ciLow(), v.value() * v.n());
    }

    private static double welchDf(double s1, long n1, double s2, long n2) {
        double a = s1 * s1 / n1;
        double b = s2 * s2 / n2;
        double den = a * a / (n1 - 1) + b * b / (n2 - 1);
        return den == 0 ? n1 + n2 - 2 : (a + b) * (a + b) / den;
    }

    /**
     * The row's per-iteration histograms; none when the run kept none for it (an older run, which
     * wrote no {@code .hlog}, or no histogram at all); refused when corrupt, or when the
     * {@code .hlog} is missing beside its {@code .hgrm}: the run's histograms are incomplete, and
     * reading that as "no data" would let a latency change pass untested.
     */
    private static List<Histogram> histograms(RunFolder run, Row.Key k, Map<String, List<Histogram>> cache) {
        if (run == null) {
            return List.of();
        }
        // The lock_* metrics come from the op's lock-wait histograms, kept beside its latency's.
        String suffix = k.metric().startsWith("lock_") ? Histograms.LOCK_WAIT_SUFFIX : "";
        return cache.computeIfAbsent(Histograms.fileName(k) + suffix, n -> {
            Path f = run.histogram(k, suffix + ".hlog");
            if (Files.exists(f)) {
                return Histograms.readIntervals(f);
            }
            if (Files.exists(run.histogram(k, suffix + ".hgrm"))) {
                throw new IllegalArgumentException(f + " is missing beside its .hgrm: the run's histograms are incomplete");
            }
            return List.of();
        });
    }

    /** The metric taken from each non-empty interval histogram: one value per measurement iteration. */
    static double[] perIteration(List<Histogram> intervals, String metric) {
        return intervals.stream().filter(h -> h.getTotalCount() > 0).mapToDouble(h -> switch (metric) {
            case "mean_ns" -> h.getMean();
            case "p50_ns" -> h.getValueAtPercentile(50);
            case "p90_ns" -> h.getValueAtPercentile(90);
            case "p99_ns" -> h.getValueAtPercentile(99);
            case "p999_ns" -> h.getValueAtPercentile(99.9);
            case "max_ns" -> h.getMaxValue();
            case "lock_wait_p50_ns" -> h.getValueAtPercentile(50);
            case "lock_wait_p99_ns" -> h.getValueAtPercentile(99);
            case "lock_wait_max_ns" -> h.getMaxValue();
            case "lock_contended_pct" -> 100.0 * (h.getTotalCount() - h.getCountAtValue(0)) / h.getTotalCount();
            default -> Double.NaN;
        }).filter(v -> !Double.isNaN(v)).toArray();
    }
}
