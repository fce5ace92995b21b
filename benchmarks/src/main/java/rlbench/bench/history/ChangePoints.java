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
        List<Change> out = new ArrayList<>();
        for (RunHistory.Series s : series) {
            List<EDivisive.ChangePoint> points = detector.changePoints(s.values());
            for (int i = 0; i < points.size(); i++) {
                EDivisive.ChangePoint p = points.get(i);
                double pct = p.meanBefore() == 0 ? Double.NaN : (p.meanAfter() - p.meanBefore()) / Math.abs(p.meanBefore()) * 100;
                out.add(new Change(s.key(), s.runs().get(p.index()), p.meanBefore(), p.meanAfter(), pct, p.pValue(),
                        verdict(s.key().metric(), p.meanAfter() - p.meanBefore()), i == points.size() - 1));
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
