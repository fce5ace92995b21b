package rlbench.bench.report;

import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;
import rlbench.bench.results.Row;

/**
 * A design's value over the floor's, paired round by round: in each round the two ran under the
 * same conditions of the machine (the same stretch of the run, in a random order), so the ratio of
 * the pair cancels much of what moves both, and the rounds' ratios are independent replicates of
 * it. The ratio is their mean, with a 95% t-interval across the rounds (n: the rounds both have).
 *
 * @param mean      the mean of the per-round ratios
 * @param halfWidth the 95% interval's half width
 * @param rounds    the rounds paired
 */
record PairedRatio(double mean, double halfWidth, int rounds) {

    /** The paired ratio of {@code design} over {@code floor}; empty with fewer than 2 rounds in common or a floor of 0. */
    static Optional<PairedRatio> of(SortedMap<Integer, Row> design, SortedMap<Integer, Row> floor) {
        if (design == null || floor == null) {
            return Optional.empty();
        }
        double[] ratios = design.entrySet().stream()
                .filter(e -> floor.containsKey(e.getKey()) && floor.get(e.getKey()).value() > 0)
                .mapToDouble(e -> e.getValue().value() / floor.get(e.getKey()).value())
                .toArray();
        if (ratios.length < 2) {
            return Optional.empty();
        }
        double half = new TDistribution(ratios.length - 1).inverseCumulativeProbability(0.975)
                * Math.sqrt(StatUtils.variance(ratios) / ratios.length);
        return Optional.of(new PairedRatio(StatUtils.mean(ratios), half, ratios.length));
    }

    /** As the report prints it: {@code 1.15x ±0.04}. */
    String text() {
        return String.format(Locale.ROOT, "%.2fx ±%.2f", mean, halfWidth);
    }
}
