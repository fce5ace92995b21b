package rlbench.bench.compare;

import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.StatUtils;

/**
 * The moderated t-test of Smyth's empirical Bayes method (limma, 2004), for rows measured over a
 * few rounds. With 3 rounds a side, a row's own variance estimate has 4 degrees of freedom and is
 * itself so uncertain that Welch's t-test cannot give a p-value small enough to survive
 * Benjamini-Hochberg across hundreds of rows, even for a doubling. But a comparison holds many rows
 * of the same metric, measured on the same machine in the same way, and their variances resemble
 * each other. The method fits one prior distribution to the variances of all rows of a metric
 * (a scaled inverse chi-square with {@code d0} degrees of freedom around {@code s0^2}) and shrinks
 * each row's variance toward it; the row's t statistic then has {@code d0 + d} degrees of freedom
 * instead of {@code d}. How much it shrinks is estimated from the data: rows whose variances are
 * alike borrow a lot, rows whose variances differ widely borrow little.
 *
 * <p>Values are compared on a log scale: a latency or a rate scatters in proportion to its size,
 * so the log puts a 1 us and a 1 ms row on one variance scale, and a difference of means of logs
 * is a ratio. The prior is fitted with limma's method of moments on the log variances (its
 * {@code fitFDist}, without covariates), using the digamma and trigamma functions.
 */
final class ModeratedT {

    /** Fewest rows of one metric that a prior is fitted from; with fewer, the metric is not moderated. */
    static final int MIN_ROWS = 10;

    /** A variance at or below this share of the median is raised to it for the fit (log of 0). */
    private static final double SMALL_VARIANCE = 1e-5;

    /**
     * The prior of a metric's variances: {@code d0} degrees of freedom (infinite when the rows'
     * variances vary no more than sampling alone explains) around {@code s0Squared}.
     */
    record Prior(double d0, double s0Squared) {
    }

    /**
     * One row's two samples of logs: the difference of their means, the pooled variance with its
     * degrees of freedom, and {@code 1/n1 + 1/n2}.
     */
    record Row(double meanDiff, double variance, int df, double scale) {

        static Row of(double[] logBase, double[] logNext) {
            int n1 = logBase.length;
            int n2 = logNext.length;
            int df = n1 + n2 - 2;
            double ss = StatUtils.variance(logBase) * (n1 - 1) + StatUtils.variance(logNext) * (n2 - 1);
            return new Row(StatUtils.mean(logNext) - StatUtils.mean(logBase), ss / df, df, 1.0 / n1 + 1.0 / n2);
        }
    }

    /** A row's test: two-sided p, and the interval of the ratio new/base as percent changes. */
    record Result(double p, double ciLowPct, double ciHighPct, double df) {
    }

    private ModeratedT() {
    }

    /** The natural logs of {@code x}, or null when a value is not positive (no log to take). */
    static double[] logs(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] > 0) || Double.isInfinite(x[i])) {
                return null;
            }
            out[i] = Math.log(x[i]);
        }
        return out;
    }

    /**
     * Fits the prior to the rows' variances by the method of moments on their logs. With fewer
     * than {@link #MIN_ROWS} rows, or no row with spread, there is nothing to fit: null.
     */
    static Prior fit(Row[] rows) {
        if (rows.length < MIN_ROWS) {
            return null;
        }
        double[] positive = java.util.Arrays.stream(rows).mapToDouble(Row::variance).filter(v -> v > 0).toArray();
        if (positive.length == 0) {
            return null;
        }
        double floor = SMALL_VARIANCE * StatUtils.percentile(positive, 50);
        double[] e = new double[rows.length];
        double trigammaMean = 0;
        for (int i = 0; i < rows.length; i++) {
            double half = rows[i].df() / 2.0;
            // E[log s^2] = log sigma^2 + digamma(d/2) - log(d/2), Var[log s^2] = trigamma(d/2)
            e[i] = Math.log(Math.max(rows[i].variance(), floor)) - Gamma.digamma(half) + Math.log(half);
            trigammaMean += Gamma.trigamma(half) / rows.length;
        }
        double eMean = StatUtils.mean(e);
        double excess = StatUtils.variance(e) - trigammaMean;
        if (excess <= 0) {
            return new Prior(Double.POSITIVE_INFINITY, Math.exp(eMean));
        }
        double d0 = 2 * trigammaInverse(excess);
        return new Prior(d0, Math.exp(eMean + Gamma.digamma(d0 / 2) - Math.log(d0 / 2)));
    }

    /** Tests one row against its metric's prior: the posterior variance, t, p and the interval. */
    static Result test(Row row, Prior prior, double alpha) {
        double variance;
        RealDistribution t;
        double df;
        if (Double.isInfinite(prior.d0())) {
            variance = prior.s0Squared();
            df = Double.POSITIVE_INFINITY;
            t = new NormalDistribution(null, 0, 1);
        } else {
            variance = (prior.d0() * prior.s0Squared() + row.df() * row.variance()) / (prior.d0() + row.df());
            df = prior.d0() + row.df();
            t = new TDistribution(null, df);
        }
        double se = Math.sqrt(variance * row.scale());
        double p;
        if (se == 0) {
            p = row.meanDiff() == 0 ? 1 : 0;
        } else {
            p = 2 * t.cumulativeProbability(-Math.abs(row.meanDiff() / se));
        }
        double q = t.inverseCumulativeProbability(1 - alpha / 2);
        return new Result(p, Math.expm1(row.meanDiff() - q * se) * 100, Math.expm1(row.meanDiff() + q * se) * 100, df);
    }

    /**
     * The y with trigamma(y) = x, for x > 0 (trigamma falls from infinity at 0 to 0 at infinity,
     * so there is exactly one); solved by bracketing, as Commons Math has no tetragamma for Newton.
     */
    static double trigammaInverse(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("trigamma takes only positive values: " + x);
        }
        if (x > 1e7) {
            return 1 / Math.sqrt(x); // trigamma(y) ~ 1/y^2 near 0
        }
        if (x < 1e-6) {
            return 1 / x; // trigamma(y) ~ 1/y for large y
        }
        return new BrentSolver(1e-12, 1e-12).solve(200, y -> Gamma.trigamma(y) - x, 1e-4, 2e6);
    }
}
