package rlbench.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.special.Gamma;
import org.apache.commons.math3.stat.inference.TTest;
import org.junit.jupiter.api.Test;

/**
 * The moderated t-test's pieces. The reference figures were computed independently with SciPy
 * ({@code scipy.special.digamma/polygamma}, {@code scipy.optimize.brentq},
 * {@code scipy.stats.t}) by limma's formulas, not by this code.
 */
class ModeratedTTest {

    /** Twelve rows of 4 degrees of freedom whose variances spread more than sampling explains. */
    private static final double[] SPREAD = {0.002, 0.020, 0.015, 0.090, 0.004, 0.012, 0.150, 0.018, 0.001, 0.011,
            0.060, 0.030};

    private static ModeratedT.Row[] rows(double[] variances, double meanDiff) {
        ModeratedT.Row[] out = new ModeratedT.Row[variances.length];
        for (int i = 0; i < variances.length; i++) {
            out[i] = new ModeratedT.Row(meanDiff, variances[i], 4, 2.0 / 3);
        }
        return out;
    }

    @Test
    void trigammaInverseUndoesTrigamma() {
        for (double y : new double[] {1e-3, 0.01, 0.5, 1, 3, 10, 1000, 1e5}) {
            double back = ModeratedT.trigammaInverse(Gamma.trigamma(y));
            assertEquals(y, back, y * 1e-6, "trigamma^-1(trigamma(" + y + "))");
        }
        assertEquals(1.0, ModeratedT.trigammaInverse(1.6449340668482266), 1e-9, "trigamma(1) = pi^2/6");
    }

    @Test
    void thePriorMatchesAnIndependentFit() {
        ModeratedT.Prior prior = ModeratedT.fit(rows(SPREAD, 0));
        assertNotNull(prior);
        assertEquals(2.0690247175970984, prior.d0(), 1e-6);
        assertEquals(0.011337671208414871, prior.s0Squared(), 1e-9);
    }

    @Test
    void aRowsTestMatchesAnIndependentComputation() {
        ModeratedT.Prior prior = ModeratedT.fit(rows(SPREAD, 0));
        // the row with the smallest but one variance (0.002), logs moved by 0.3 (a ratio of 1.35)
        ModeratedT.Result r = ModeratedT.test(new ModeratedT.Row(0.3, 0.002, 4, 2.0 / 3), prior, 0.01);
        assertEquals(0.002140182631334956, r.p(), 1e-9);
        assertEquals(8.662479566328887, r.ciLowPct(), 1e-6);
        assertEquals(67.68610542135343, r.ciHighPct(), 1e-6);
        assertEquals(prior.d0() + 4, r.df(), 1e-12);
    }

    @Test
    void variancesNoMoreSpreadThanSamplingGiveAnInfinitePrior() {
        double[] alike = {0.010, 0.020, 0.015, 0.030, 0.008, 0.012, 0.050, 0.018, 0.022, 0.011, 0.040, 0.016};
        ModeratedT.Prior prior = ModeratedT.fit(rows(alike, 0));
        assertEquals(Double.POSITIVE_INFINITY, prior.d0());
        assertEquals(0.02366717331955838, prior.s0Squared(), 1e-9);
        ModeratedT.Result r = ModeratedT.test(new ModeratedT.Row(0.3, 0.001, 4, 2.0 / 3), prior, 0.01);
        assertEquals(Double.POSITIVE_INFINITY, r.df());
        // every row then gets the pooled variance: z = 0.3 / sqrt(s0^2 * 2/3)
        double z = 0.3 / Math.sqrt(prior.s0Squared() * 2 / 3);
        assertEquals(2 * new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(-z), r.p(), 1e-12);
    }

    @Test
    void tooFewRowsOrNoSpreadFitNothing() {
        assertNull(ModeratedT.fit(rows(java.util.Arrays.copyOf(SPREAD, ModeratedT.MIN_ROWS - 1), 0)));
        assertNull(ModeratedT.fit(rows(new double[12], 0)), "all variances 0: nothing to fit");
    }

    @Test
    void logsRefuseZeroAndNegativeValues() {
        assertNull(ModeratedT.logs(new double[] {1, 0, 2}));
        assertNull(ModeratedT.logs(new double[] {1, -3}));
        assertEquals(Math.log(2), ModeratedT.logs(new double[] {2})[0], 0);
    }

    /**
     * Variances drawn from a known prior (d0 = 8 around 0.02) with 4 degrees of freedom each: the
     * fit gets them back, roughly, from 400 rows.
     */
    @Test
    void theFitRecoversAKnownPrior() {
        double d0 = 8;
        double s0 = 0.02;
        ChiSquaredDistribution prior = new ChiSquaredDistribution(new Well19937c(11), d0);
        ChiSquaredDistribution sampling = new ChiSquaredDistribution(new Well19937c(12), 4);
        ModeratedT.Row[] rows = new ModeratedT.Row[400];
        for (int i = 0; i < rows.length; i++) {
            double sigma2 = d0 * s0 / prior.sample(); // scaled inverse chi-square
            rows[i] = new ModeratedT.Row(0, sigma2 * sampling.sample() / 4, 4, 0.5);
        }
        ModeratedT.Prior fitted = ModeratedT.fit(rows);
        assertTrue(fitted.d0() > 4 && fitted.d0() < 16, "d0 " + fitted.d0());
        assertEquals(s0, fitted.s0Squared(), s0 * 0.15, "s0^2");
    }

    /**
     * Why it exists: 3 values a side, 40 rows of one metric with log-scale noise of 10%, one row
     * doubled. Welch's t on that row alone has about 4 degrees of freedom; the moderated t borrows
     * the other rows' variance and gives a p-value smaller by orders of magnitude.
     */
    @Test
    void borrowingTheOtherRowsVarianceSharpensASmallSample() {
        SplittableRandom rnd = new SplittableRandom(5);
        ModeratedT.Row[] rows = new ModeratedT.Row[40];
        double[][] base = new double[40][];
        double[][] next = new double[40][];
        for (int i = 0; i < rows.length; i++) {
            double shift = i == 0 ? Math.log(2) : 0;
            base[i] = new double[3];
            next[i] = new double[3];
            for (int k = 0; k < 3; k++) {
                base[i][k] = 0.1 * gaussian(rnd);
                next[i][k] = shift + 0.1 * gaussian(rnd);
            }
            rows[i] = ModeratedT.Row.of(base[i], next[i]);
        }
        ModeratedT.Prior prior = ModeratedT.fit(rows);
        double moderated = ModeratedT.test(rows[0], prior, 0.01).p();
        double welch = new TTest().tTest(base[0], next[0]);
        assertTrue(moderated < welch / 10, "moderated p " + moderated + ", Welch p " + welch);
        assertTrue(moderated < 1e-5, "a doubling over 10% noise: p " + moderated);
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = Math.max(1e-12, rnd.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
