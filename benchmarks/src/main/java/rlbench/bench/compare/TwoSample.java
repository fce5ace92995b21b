package rlbench.bench.compare;

import org.apache.commons.math3.stat.StatUtils;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Two-sided two-sample t-tests (Commons Math) that also answer where the t statistic is
 * undefined: two sides with no spread at all give p = 0 when their levels differ (a clean step,
 * common with quantised percentiles) and 1 when they are the same. Shared by {@code compare} and
 * {@code history}.
 */
public final class TwoSample {

    private static final TTest T_TEST = new TTest();

    private TwoSample() {
    }

    /** Welch's t-test, which does not assume equal variances. */
    public static double welchP(double[] a, double[] b) {
        return noSpread(a) && noSpread(b) ? sameLevel(a, b) : T_TEST.tTest(a, b);
    }

    /** Student's t-test with pooled variance. */
    public static double studentP(double[] a, double[] b) {
        return noSpread(a) && noSpread(b) ? sameLevel(a, b) : T_TEST.homoscedasticTTest(a, b);
    }

    private static double sameLevel(double[] a, double[] b) {
        return a[0] == b[0] ? 1.0 : 0.0;
    }

    private static boolean noSpread(double[] x) {
        return StatUtils.min(x) == StatUtils.max(x);
    }
}
