package rlbench.bench.history;

import java.util.ArrayList;
import java.util.List;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.Row;

/**
 * The change points of every series of a run history, each judged by its metric's direction
 * (the one {@link Metrics#direction} gives: ops/s bigger is better, latencies smaller is better).
 */
public final class ChangePoints {

    /** What a change means for its metric. */
    public enum Verdict {
        REGRESSION, IMPROVEMENT,
        /** The metric's direction is unknown. */
        CHANGE
    }

    /**
     * A level change in one series, starting at run {@code from}. {@code newest} is true for the
     * last change of its series: the level the latest runs are at.
     */
    public record Change(Row.Key key, RunHistory.Run from, double before, double after, double changePct,
                         double pValue, Verdict verdict, boolean newest) {
    }

    private ChangePoints() {
    }

    /** The changes in every series, series by series, oldest first within a series. */
    public static List<Change> find(List<RunHistory.Series> series, EDivisive detector) {
        return find(series, detector, 0);
    }

    /**
     * As {@link #find(List, EDivisive)}, leaving out every change smaller than
     * {@code minMagnitudePct} percent of the level before it (Otava's {@code --min-magnitude}):
     * with many series, a significant but small step is more often noise or a change nobody acts
     * on. {@code newest} then marks the last change reported in its series: the level the latest
     * runs are at, give or take less than the magnitude. A change whose size cannot be put in
     * percent (from a level of 0) is kept.
     */
    public static List<Change> find(List<RunHistory.Series> series, EDivisive detector, double minMagnitudePct) {
        List<Change> out = new ArrayList<>();
        for (RunHistory.Series s : series) {
            List<Change> kept = new ArrayList<>();
            for (EDivisive.ChangePoint p : detector.changePoints(s.values())) {
                double pct = p.meanBefore() == 0 ? Double.NaN : (p.meanAfter() - p.meanBefore()) / Math.abs(p.meanBefore()) * 100;
                if (Math.abs(pct) < minMagnitudePct) {
                    continue;
                }
                kept.add(new Change(s.key(), s.runs().get(p.index()), p.meanBefore(), p.meanAfter(), pct, p.pValue(),
                        verdict(s.key().metric(), p.meanAfter() - p.meanBefore()), false));
            }
            for (int i = 0; i < kept.size(); i++) {
                Change c = kept.get(i);
                out.add(i < kept.size() - 1 ? c : new Change(c.key(), c.from(), c.before(), c.after(), c.changePct(), c.pValue(),
                        c.verdict(), true));
            }
        }
        return out;
    }

    static Verdict verdict(String metric, double difference) {
        int direction = Metrics.direction(metric);
        if (direction == 0 || difference == 0) {
            return Verdict.CHANGE;
        }
        return Math.signum(difference) == direction ? Verdict.IMPROVEMENT : Verdict.REGRESSION;
    }
}
