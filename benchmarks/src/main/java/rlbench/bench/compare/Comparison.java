package rlbench.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.StatisticalSummaryValues;
import org.apache.commons.math3.stat.inference.TTest;
import rlbench.bench.run.Histograms;

/**
 * Two runs, row by row: the change of every metric both measured, with a confidence interval and a
 * p-value where the data allow one, and a verdict that knows each metric's direction (ops/s:
 * bigger is better; latencies: smaller is better).
 *
 * <p>Tests: ops/s rows carry JMH's 99.9% confidence interval and sample count, from which each
 * side's standard deviation is recovered for Welch's t-test (Commons Math {@link TTest}). Latency
 * rows have no interval, but the runs keep their merged histograms ({@code hgrm/*.hlog}); those
 * hold every recorded operation, so the two distributions are compared with a Mann-Whitney U
 * test computed over the histogram buckets (tie-corrected normal approximation, p from Commons
 * Math's {@link NormalDistribution}). A row with neither gets no p-value and can never be called
 * a regression.
 */
public final class Comparison {

    /** JMH's default confidence level for the intervals the runner stores. */
    private static final double JMH_CONFIDENCE = 0.999;

    /** The outcome of one row. */
    public enum Verdict { UNCHANGED, IMPROVED, REGRESSED, CHANGED_NOT_SIGNIFICANT, UNTESTED }

    /** One compared row. NaN where a figure could not be computed. */
    public record Line(ResultsTable.Key key, double base, double next, double changePct, double ciLowPct,
                       double ciHighPct, double pValue, String test, Verdict verdict) {
    }

    private Comparison() {
    }

    /**
     * @throws IllegalArgumentException when the runs share no rows
     */
    public static List<Line> compare(ResultsTable base, ResultsTable next, Path baseDir, Path nextDir,
                                     double thresholdPct, double alpha) {
        Map<String, Histogram> baseHist = new TreeMap<>();
        Map<String, Histogram> nextHist = new TreeMap<>();
        List<Line> lines = new ArrayList<>();
        for (Map.Entry<ResultsTable.Key, ResultsTable.Value> e : base.rows().entrySet()) {
            ResultsTable.Value n = next.rows().get(e.getKey());
            if (n == null) {
                continue;
            }
            lines.add(line(e.getKey(), e.getValue(), n, baseDir, nextDir, baseHist, nextHist, thresholdPct, alpha));
        }
        if (lines.isEmpty()) {
            List<String> differing = differingParams(base, next);
            throw new IllegalArgumentException("the runs share no rows: " + base.file() + " and " + next.file()
                    + " measured nothing in common (design, workload, op, threads, parameters, metric)"
                    + (differing.isEmpty() ? "" : "; they differ in " + String.join(", ", differing)
                    + ", which --ignore-param leaves out of the match"));
        }
        return lines;
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
     * +1 when bigger is better ({@code ops_per_s}), -1 when smaller is better (latencies,
     * {@code *_ns}), 0 when the metric is unknown. Shared with {@code history} and {@code export}.
     */
    public static int direction(String metric) {
        if (metric.startsWith("ops_per_s")) {
            return 1;
        }
        if (metric.endsWith("_ns")) {
            return -1;
        }
        return 0;
    }

    private static Line line(ResultsTable.Key k, ResultsTable.Value b, ResultsTable.Value n, Path baseDir, Path nextDir,
                             Map<String, Histogram> baseHist, Map<String, Histogram> nextHist,
                             double thresholdPct, double alpha) {
        double change = b.value() == 0 ? (n.value() == 0 ? 0 : Double.NaN) : (n.value() - b.value()) / b.value() * 100;
        double p = Double.NaN;
        double lo = Double.NaN;
        double hi = Double.NaN;
        String test = "none";
        if (hasInterval(b) && hasInterval(n)) {
            double sb = sd(b);
            double sn = sd(n);
            p = new TTest().tTest(summary(b, sb), summary(n, sn));
            double se = Math.sqrt(sb * sb / b.n() + sn * sn / n.n());
            double df = welchDf(sb, b.n(), sn, n.n());
            double t = new TDistribution(df).inverseCumulativeProbability(1 - alpha / 2);
            double diff = n.value() - b.value();
            lo = (diff - t * se) / b.value() * 100;
            hi = (diff + t * se) / b.value() * 100;
            test = "welch-t";
        } else if (k.metric().endsWith("_ns") && !k.metric().equals("max_ns")) {
            // max_ns is one sample of each run: no test of the distributions speaks for it.
            Histogram hb = histogram(baseDir, b.measured(), baseHist);
            Histogram hn = histogram(nextDir, n.measured(), nextHist);
            if (hb != null && hn != null && hb.getTotalCount() > 0 && hn.getTotalCount() > 0) {
                double signedZ = mannWhitneyZ(hb, hn);
                p = twoSidedP(signedZ);
                test = "mann-whitney";
                if (Math.signum(signedZ) != Math.signum(change)) {
                    // The samples as a whole moved the other way from this percentile: the test
                    // does not support this row's change, whatever its p-value.
                    return new Line(k, b.value(), n.value(), change, lo, hi, p, test,
                            Math.abs(change) <= thresholdPct ? Verdict.UNCHANGED : Verdict.CHANGED_NOT_SIGNIFICANT);
                }
            }
        }
        return new Line(k, b.value(), n.value(), change, lo, hi, p, test, verdict(k.metric(), change, p, thresholdPct, alpha));
    }

    static Verdict verdict(String metric, double changePct, double p, double thresholdPct, double alpha) {
        if (Double.isNaN(changePct)) {
            return Verdict.UNTESTED;
        }
        if (Math.abs(changePct) <= thresholdPct) {
            return Verdict.UNCHANGED;
        }
        if (Double.isNaN(p)) {
            return Verdict.UNTESTED;
        }
        if (p >= alpha) {
            return Verdict.CHANGED_NOT_SIGNIFICANT;
        }
        int dir = direction(metric);
        if (dir == 0) {
            return Verdict.CHANGED_NOT_SIGNIFICANT;
        }
        return Math.signum(changePct) == dir ? Verdict.IMPROVED : Verdict.REGRESSED;
    }

    private static boolean hasInterval(ResultsTable.Value v) {
        return v.n() >= 2 && !Double.isNaN(v.ciLow()) && !Double.isNaN(v.ciHigh()) && v.ciHigh() >= v.ciLow();
    }

    /** The standard deviation behind a symmetric t-interval of the given confidence and n. */
    private static double sd(ResultsTable.Value v) {
        double half = (v.ciHigh() - v.ciLow()) / 2;
        double t = new TDistribution(v.n() - 1).inverseCumulativeProbability(1 - (1 - JMH_CONFIDENCE) / 2);
        return half / t * Math.sqrt(v.n());
    }

    private static StatisticalSummaryValues summary(ResultsTable.Value v, double sd) {
        return new StatisticalSummaryValues(v.value(), sd * sd, v.n(), v.ciHigh(), v.ciLow(), v.value() * v.n());
    }

    private static double welchDf(double s1, long n1, double s2, long n2) {
        double a = s1 * s1 / n1;
        double b = s2 * s2 / n2;
        double den = a * a / (n1 - 1) + b * b / (n2 - 1);
        return den == 0 ? n1 + n2 - 2 : (a + b) * (a + b) / den;
    }

    private static Histogram histogram(Path runDir, ResultsTable.Key k, Map<String, Histogram> cache) {
        if (runDir == null) {
            return null;
        }
        String name = Histograms.fileName(k.design(), k.workload(), k.op(), k.threads(), k.params());
        return cache.computeIfAbsent(name, n -> {
            Path f = runDir.resolve("hgrm").resolve(n + ".hlog");
            return Files.isRegularFile(f) ? Histograms.read(f) : null;
        });
    }

    /**
     * Two-sided Mann-Whitney U p-value over every recorded value of two histograms, ranks taken
     * bucket by bucket with ties averaged, normal approximation with tie correction.
     */
    static double mannWhitneyP(Histogram a, Histogram b) {
        return twoSidedP(mannWhitneyZ(a, b));
    }

    private static double twoSidedP(double z) {
        return Math.min(1.0, 2 * (1 - new NormalDistribution().cumulativeProbability(Math.abs(z))));
    }

    /** The Mann-Whitney statistic as a z-score: positive when {@code b}'s values tend to be larger. */
    static double mannWhitneyZ(Histogram a, Histogram b) {
        TreeMap<Long, long[]> counts = new TreeMap<>();
        for (HistogramIterationValue v : a.recordedValues()) {
            counts.computeIfAbsent(a.highestEquivalentValue(v.getValueIteratedTo()), x -> new long[2])[0] += v.getCountAtValueIteratedTo();
        }
        for (HistogramIterationValue v : b.recordedValues()) {
            counts.computeIfAbsent(b.highestEquivalentValue(v.getValueIteratedTo()), x -> new long[2])[1] += v.getCountAtValueIteratedTo();
        }
        double na = a.getTotalCount();
        double nb = b.getTotalCount();
        double total = na + nb;
        double rankSumA = 0;
        double below = 0;
        double tieTerm = 0;
        for (long[] c : counts.values()) {
            double t = c[0] + c[1];
            double averageRank = below + (t + 1) / 2;
            rankSumA += c[0] * averageRank;
            tieTerm += t * t * t - t;
            below += t;
        }
        double u = rankSumA - na * (na + 1) / 2;
        double mean = na * nb / 2;
        double variance = na * nb / 12 * ((total + 1) - tieTerm / (total * (total - 1)));
        if (variance <= 0) {
            return 0.0;
        }
        // u counts pairs where a's value is the larger, so b tends larger when u is below its mean.
        return (mean - u) / Math.sqrt(variance);
    }
}
