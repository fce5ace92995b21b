package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import rlbench.bench.results.Row;
import rlbench.locks.DesignRegistry;

class RoundsTest {

    @Test
    void eachRoundIsAFreshPermutationDrawnFromTheSeed() {
        Rounds a = Rounds.draw(5, 7, 20);
        assertEquals(a, Rounds.draw(5, 7, 20), "the same seed draws the same orders");
        assertNotEquals(a.orders(), Rounds.draw(5, 8, 20).orders(), "another seed, other orders");
        for (List<Integer> order : a.orders()) {
            assertEquals(new TreeSet<>(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList()), new TreeSet<>(order),
                    "every benchmark once a round");
            assertEquals(20, order.size());
        }
        assertEquals(5, new TreeSet<>(a.orders().stream().map(Object::toString).toList()).size(), "each round its own order");
        Map<String, Object> json = a.toJson(List.of("b"));
        assertEquals(List.of("count", "seed", "benchmarks", "orders"), new ArrayList<>(json.keySet()));
        assertEquals(7L, json.get("seed"));
    }

    @Test
    void outOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Rounds.draw(0, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Rounds.draw(Rounds.MAX + 1, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> Rounds.draw(2, -1, 3));
    }

    /**
     * Over rounds: ops/s is the rounds' mean with a 95% t-interval across them and n the rounds;
     * each latency comes from the rounds' histograms merged; the .hlog keeps one interval a round.
     */
    @Test
    void aggregatesOverRounds() {
        RunPlan plan = RunPlan.expand(Profile.SMOKE, List.of(DesignRegistry.names().get(0)), List.of(Workload.FAULT), List.of(1), Map.of());
        RunPlan.Spec s = plan.specs().get(0);
        List<SuiteRunner.Measured> rounds = new ArrayList<>();
        double[] ops = {100, 110, 120};
        long[] latency = {1000, 2000, 3000};
        for (int r = 0; r < 3; r++) {
            Histogram first = new Histogram(3);
            first.recordValueWithCount(latency[r], 100);
            Histogram second = new Histogram(3);
            second.recordValueWithCount(latency[r], 100);
            Histogram waited = new Histogram(3);
            waited.recordValueWithCount(0, 99);
            waited.recordValue(1000L * (r + 1));
            Histogram wait = new Histogram(3);
            wait.recordValue(500L * (r + 1));
            rounds.add(new SuiteRunner.Measured(
                    List.of(new Row(s.design(), "fault", "fault", 1, s.recordedParams(), "ops_per_s", ops[r], "ops/s", 0, 1000, 3),
                            new Row(s.design(), "fault", "fault", 1, s.recordedParams(), "lock_wait_max_ns", 1000L * (r + 1), "ns",
                                    Double.NaN, Double.NaN, 100)),
                    Map.of("fault", List.of(first, second)), Map.of("fault", List.of(waited)),
                    List.of(new rlbench.bench.workloads.LockStatLog.Point("instantiate", 100, 1, wait, new Histogram(3)))));
        }
        SuiteRunner.Measured agg = SuiteRunner.aggregate(s, rounds);
        Row o = agg.rows().stream().filter(r -> r.metric().equals("ops_per_s")).findFirst().orElseThrow();
        assertEquals(110, o.value(), 1e-9);
        assertEquals(3, o.n());
        // sd 10, se 5.774, t(2, 0.975) 4.303: half width 24.84
        assertEquals(110 - 24.84, o.ciLow(), 0.01);
        assertEquals(110 + 24.84, o.ciHigh(), 0.01);
        Row p50 = agg.rows().stream().filter(r -> r.metric().equals("p50_ns")).findFirst().orElseThrow();
        assertEquals(2000, p50.value(), 2, "the median of the merged rounds");
        assertEquals(600, p50.n(), "every op of every round");
        Row max = agg.rows().stream().filter(r -> r.metric().equals("max_ns")).findFirst().orElseThrow();
        assertEquals(3000, max.value(), 3);
        assertEquals(3, agg.intervals().get("fault").size(), "one interval a round");
        assertTrue(agg.intervals().get("fault").stream().allMatch(h -> h.getTotalCount() == 200));
        Row waitMax = agg.rows().stream().filter(r -> r.metric().equals("lock_wait_max_ns")).findFirst().orElseThrow();
        assertEquals(3000, waitMax.value(), 3, "the longest wait of any round");
        assertEquals(300, waitMax.n(), "every op of every round");
        Row waitedPct = agg.rows().stream().filter(r -> r.metric().equals("lock_contended_pct")).findFirst().orElseThrow();
        assertEquals(1.0, waitedPct.value(), 1e-9, "3 of 300 ops waited");
        assertEquals(agg.rows().size(), agg.rows().stream().map(Row::key).distinct().count(),
                "each value once: a round's lock-wait rows are merged from histograms, not averaged beside them");
        assertEquals(1, agg.points().size(), "one lock point, its rounds merged");
        assertEquals(300, agg.points().get(0).acquisitions());
        assertEquals(3, agg.points().get(0).contended());
        assertEquals(3, agg.points().get(0).waitNs().getTotalCount());
    }
}
