package rlbench.bench.history;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;
import rlbench.bench.compare.TwoSample;

/**
 * Change points in a series by E-divisive means (Matteson and James, "A nonparametric approach for
 * multiple change point analysis of multivariate data", JASA 2014), with the significance of each
 * candidate decided by a t-test instead of the paper's permutation test, as Hunter (Apache Otava)
 * does. No randomness: the same series always gives the same change points.
 *
 * <p>Within a segment {@code [from, to)} of the series, a split at {@code tau} leaves {@code X} on
 * the left ({@code m} values) and {@code Y} on the right ({@code n} values). Its divergence, with
 * distance {@code |a - b|} (the paper's alpha = 1), is
 *
 * <pre>
 *   E = 2/(mn) sum|x - y|  -  1/C(m,2) sum_{i&lt;k}|x_i - x_k|  -  1/C(n,2) sum_{i&lt;k}|y_i - y_k|
 *   Q = mn/(m+n) E
 * </pre>
 *
 * <p>Two passes, as in Hunter:
 * <ol>
 * <li>Split. The split of a segment with the largest Q, among those leaving {@code minSegment}
 *     values on each side, is the segment's candidate. It is kept when the t-test between its two
 *     sides gives p below {@value #SPLIT_P} (or {@code maxPValue}, if larger), a loose first cut
 *     that the merge tightens, and both halves are searched the same way; a segment whose
 *     candidate fails is left whole. (Hunter cuts at ten times {@code maxPValue}; when the level
 *     changes every few runs, A A B B C C A A B B C C ..., the two sides of the best split have
 *     nearly the same mean and so strict a cut stops at once.) The search runs over windows of
 *     {@value #WINDOW} values (more when {@code minSegment} is large), each starting half a window
 *     after the previous one, or at the last point found if that is later: over a whole long
 *     series, a short-lived change (five bad runs, then a fix) barely moves the means of the two
 *     sides, and the first split would be rejected before the change is ever looked at.</li>
 * <li>Merge. Each kept point is tested again between its final neighbours, and its p-value is
 *     multiplied by the number of places the split could have been put between them
 *     (Bonferroni), because the point was chosen as the best of those places. A t-test p-value
 *     alone takes the split as fixed in advance, and on flat noise of 30 values finds a "change"
 *     at p &lt; 0.001 in about one series in 70; corrected, in about one in 1000. The weakest
 *     point is dropped while any has a corrected p-value of {@code maxPValue} or more.</li>
 * </ol>
 *
 * <p>The test is Student's two-sample t-test with pooled variance (Commons Math
 * {@link TTest#homoscedasticTTest(double[], double[])}), the one Hunter uses: the hypothesis it
 * rejects is "no change", under which both sides share one distribution and so one variance.
 * Welch's test, which does not assume that, is liberal with three or four values on one side:
 * on flat noise it rejects at the series' ends several times more often than its p-value says.
 *
 * <p>Cost: O(n W) time for n values and windows of W, O(n) memory; no distance matrix is kept.
 */
public final class EDivisive {

    /**
     * A change point: the level changes from {@code meanBefore} to {@code meanAfter} at
     * {@code index}; {@code pValue} is the corrected one of the merge pass.
     */
    public record ChangePoint(int index, double meanBefore, double meanAfter, double pValue) {
    }

    /** The default significance level, Hunter's. */
    public static final double DEFAULT_MAX_P = 0.001;
    /** The default least number of values on either side of a change point. */
    public static final int DEFAULT_MIN_SEGMENT = 3;
    /** The split pass's p-value threshold, loose on purpose: the merge pass decides. */
    public static final double SPLIT_P = 0.05;
    /** The values searched at a time in the split pass, Hunter's window. */
    public static final int WINDOW = 50;

    private final double maxPValue;
    /** The largest minimum segment: four of them still make a whole window ({@code 4 * minSegment} fits an int). */
    static final int MAX_MIN_SEGMENT = Integer.MAX_VALUE / 4;

    private final int minSegment;

    /**
     * @param maxPValue  a point is kept only when its p-value is below this; in (0, 1)
     * @param minSegment the least number of values on either side of a change point; at least 2,
     *                   since a t-test needs two values a side
     */
    public EDivisive(double maxPValue, int minSegment) {
        if (!(maxPValue > 0 && maxPValue < 1)) {
            throw new IllegalArgumentException("the p-value must be between 0 and 1, got " + maxPValue);
        }
        if (minSegment < 2 || minSegment > MAX_MIN_SEGMENT) {
            throw new IllegalArgumentException("the minimum segment must be from 2 to " + MAX_MIN_SEGMENT + ", got " + minSegment);
        }
        this.maxPValue = maxPValue;
        this.minSegment = minSegment;
    }

    /** The indices where a new level starts, ascending. */
    public int[] changePointIndices(double[] series) {
        return changePoints(series).stream().mapToInt(ChangePoint::index).toArray();
    }

    /** The change points of {@code series}, ascending by index; empty when it is shorter than two segments. */
    public List<ChangePoint> changePoints(double[] series) {
        for (double v : series) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("the series holds a value that is not a finite number: " + v);
            }
        }
        TreeSet<Integer> points = new TreeSet<>();
        int window = Math.max(WINDOW, 4 * minSegment);
        for (int start = 0; ; ) {
            int end = Math.min(series.length, start + window);
            int last = split(series, start, end, points);
            if (end == series.length) {
                break;
            }
            // every point found so far lies at or before the next start, every later one at
            // least minSegment after it: no two points end up closer than minSegment
            start = Math.max(last, start + window / 2);
        }
        return merge(series, points);
    }

    /**
     * The split pass over {@code [from, to)}: adds the points it finds to {@code points} and
     * returns the last of them, or -1.
     */
    private int split(double[] x, int from, int to, TreeSet<Integer> points) {
        double splitP = Math.max(SPLIT_P, maxPValue);
        int last = -1;
        Deque<int[]> segments = new ArrayDeque<>();
        segments.push(new int[] {from, to});
        while (!segments.isEmpty()) {
            int[] s = segments.pop();
            int tau = bestSplit(x, s[0], s[1]);
            if (tau < 0 || tTestP(x, s[0], tau, s[1]) >= splitP) {
                continue;
            }
            points.add(tau);
            last = Math.max(last, tau);
            segments.push(new int[] {tau, s[1]});
            segments.push(new int[] {s[0], tau});
        }
        return last;
    }

    /**
     * Drops the least significant point while any fails against its neighbours. Removing a point
     * changes only its two neighbours' segments, so only they are tested again.
     */
    private List<ChangePoint> merge(double[] x, TreeSet<Integer> points) {
        TreeMap<Integer, ChangePoint> kept = new TreeMap<>();
        for (int tau : points) {
            kept.put(tau, between(x, points.lower(tau), tau, points.higher(tau)));
        }
        while (!kept.isEmpty()) {
            ChangePoint weakest = null;
            for (ChangePoint c : kept.values()) {
                if (weakest == null || c.pValue() > weakest.pValue()) {
                    weakest = c;
                }
            }
            if (weakest.pValue() < maxPValue) {
                break;
            }
            kept.remove(weakest.index());
            Integer before = kept.lowerKey(weakest.index());
            Integer after = kept.higherKey(weakest.index());
            if (before != null) {
                kept.put(before, between(x, kept.lowerKey(before), before, after));
            }
            if (after != null) {
                kept.put(after, between(x, before, after, kept.higherKey(after)));
            }
        }
        return List.copyOf(kept.values());
    }

    /** The point at {@code tau} between neighbours {@code before} and {@code after} (null: the series' ends). */
    private ChangePoint between(double[] x, Integer before, int tau, Integer after) {
        int from = before == null ? 0 : before;
        int to = after == null ? x.length : after;
        return new ChangePoint(tau, mean(x, from, tau), mean(x, tau, to), correctedP(x, from, tau, to));
    }

    /**
     * The split of {@code [from, to)} with the largest Q that leaves {@code minSegment} values on
     * each side (the first such split on a tie), or -1 when the segment is too short.
     */
    int bestSplit(double[] x, int from, int to) {
        double[] q = qHat(x, from, to, minSegment);
        int best = -1;
        double bestQ = Double.NEGATIVE_INFINITY;
        for (int tau = from + minSegment; tau <= to - minSegment; tau++) {
            if (q[tau - from] > bestQ) {
                bestQ = q[tau - from];
                best = tau;
            }
        }
        return best;
    }

    /**
     * Q for every split {@code tau} of {@code [from, to)} with {@code minSide} values or more on
     * each side, at index {@code tau - from}; NaN elsewhere.
     *
     * <p>Moving the split from {@code tau} to {@code tau + 1} moves {@code x[tau]} from the right
     * side to the left: its distances to the left values leave the between-sides sum and join the
     * left's within sum, its distances to the values right of it leave the right's within sum and
     * join the between-sides sum. Each step costs O(L), the whole sweep O(L^2).
     */
    static double[] qHat(double[] x, int from, int to, int minSide) {
        int len = to - from;
        double[] q = new double[len + 1];
        java.util.Arrays.fill(q, Double.NaN);
        if (len < 2 * minSide) {
            return q;
        }
        double withinLeft = 0;
        double withinRight = 0;
        for (int i = from; i < to; i++) {
            for (int k = i + 1; k < to; k++) {
                withinRight += Math.abs(x[i] - x[k]);
            }
        }
        double between = 0;
        for (int tau = from; tau < to - minSide; tau++) {
            // the split moves from tau to tau + 1
            double toLeft = 0;
            for (int i = from; i < tau; i++) {
                toLeft += Math.abs(x[i] - x[tau]);
            }
            double toRight = 0;
            for (int k = tau + 1; k < to; k++) {
                toRight += Math.abs(x[tau] - x[k]);
            }
            withinLeft += toLeft;
            between += toRight - toLeft;
            withinRight -= toRight;
            int split = tau + 1;
            double m = split - from;
            double n = to - split;
            if (m < minSide) {
                continue;
            }
            double e = 2 * between / (m * n) - withinLeft / (m * (m - 1) / 2) - withinRight / (n * (n - 1) / 2);
            q[split - from] = m * n / (m + n) * e;
        }
        return q;
    }

    /**
     * The t-test's p for a point at {@code tau} between neighbours {@code from} and {@code to},
     * times the number of places it could have been put there (at most 1).
     */
    double correctedP(double[] x, int from, int tau, int to) {
        int places = to - from - 2 * minSegment + 1;
        return Math.min(1.0, tTestP(x, from, tau, to) * places);
    }

    /** Student's two-sided p for {@code [from, tau)} against {@code [tau, to)}. */
    double tTestP(double[] x, int from, int tau, int to) {
        return TwoSample.studentP(java.util.Arrays.copyOfRange(x, from, tau), java.util.Arrays.copyOfRange(x, tau, to));
    }

    private static double mean(double[] x, int from, int to) {
        return StatUtils.mean(x, from, to - from);
    }
}
