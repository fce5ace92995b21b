package rlbench.bench.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Randomized multiple interleaved trials (Abedi and Brecht, ICPE 2017): every benchmark runs once
 * per round, each round in its own random order. A slow spell of the machine (another tenant, a
 * thermal limit, a noisy neighbour) then falls on different benchmarks in different rounds instead
 * of on one design's whole sweep, and the rounds are independent replicates: the unit that
 * {@code compare} tests and the report's ratios pair.
 *
 * <p>The orders are drawn from {@code seed} alone, so a run can be repeated in the same order.
 *
 * @param count  rounds, 1 or more
 * @param seed   the seed the orders were drawn from, 0 or more
 * @param orders each round's order: the plan's benchmark indices (from 1), in running order
 */
public record Rounds(int count, long seed, List<List<Integer>> orders) {

    /** The most rounds a run may ask for: more is surely a typo, and the run would take days. */
    public static final int MAX = 1000;

    public Rounds {
        orders = List.copyOf(orders.stream().map(List::copyOf).toList());
    }

    /**
     * {@code count} orders of {@code benchmarks} benchmarks, each a fresh shuffle drawn from {@code seed}.
     *
     * @throws IllegalArgumentException when count is outside 1 to {@link #MAX} or the seed is negative
     */
    public static Rounds draw(int count, long seed, int benchmarks) {
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("--rounds wants a whole number from 1 to " + MAX + ", got " + count);
        }
        if (seed < 0) {
            throw new IllegalArgumentException("--seed wants a whole number, 0 or more, got " + seed);
        }
        Random random = new Random(seed);
        List<List<Integer>> orders = new ArrayList<>();
        for (int r = 0; r < count; r++) {
            List<Integer> order = new ArrayList<>(IntStream.rangeClosed(1, benchmarks).boxed().toList());
            Collections.shuffle(order, random);
            orders.add(order);
        }
        return new Rounds(count, seed, orders);
    }

    /**
     * What env.json records: the count, the seed, the plan's benchmarks (the orders' index 1 is
     * the first of them) and every round's order.
     */
    public Map<String, Object> toJson(List<String> benchmarks) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("seed", seed);
        m.put("benchmarks", benchmarks);
        m.put("orders", orders);
        return m;
    }
}
