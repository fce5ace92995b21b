package rlbench.bench.results;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One measured value: a line of {@code results.csv}. Written by the runner, read back by every
 * command. {@code ciLow} and {@code ciHigh} are NaN when no confidence interval was computed for
 * the metric (latency percentiles have none: their samples are single operations).
 *
 * @param params the benchmark parameters that were recorded, by name; a parameter the benchmark
 *               does not have is absent, not empty
 */
public record Row(String design, String workload, String op, int threads, Map<String, String> params,
                  String metric, double value, String unit, double ciLow, double ciHigh, long n) {

    /** A row's identity across runs: what is measured, under which parameters. */
    public record Key(String design, String workload, String op, int threads, Map<String, String> params, String metric) {

        public Key {
            params = sorted(params);
        }

        /** The same key with the parameters {@code ignored} left out. */
        public Key without(Set<String> ignored) {
            Map<String, String> kept = new TreeMap<>(params);
            kept.keySet().removeAll(ignored);
            return new Key(design, workload, op, threads, kept, metric);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(design + " " + workload + "/" + op + " t" + threads);
            params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.append(' ').append(metric).toString();
        }
    }

    public Row {
        params = sorted(params);
    }

    public Key key() {
        return new Key(design, workload, op, threads, params, metric);
    }

    /** Parameters in name order, whatever map they come in, so keys and names do not depend on it. */
    private static Map<String, String> sorted(Map<String, String> params) {
        return Collections.unmodifiableMap(new TreeMap<>(params));
    }
}
