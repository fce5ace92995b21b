package rlbench.bench.results;

import java.util.List;

/** The metrics a run records, and which way is better for each. */
public final class Metrics {

    /**
     * The metrics, in the order the runner writes a benchmark's rows: JMH's score
     * ({@code ops_per_s}, or {@link #AVGT} for a workload scored by the average time per call),
     * then the latency histogram's.
     */
    public static final List<String> ALL = List.of("ops_per_s", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns");

    /** The latency histogram's metrics, in {@link #ALL}'s order. */
    public static final List<String> LATENCY = ALL.subList(1, ALL.size());

    /**
     * The lock-wait metrics of an op, after its latency rows: the time each op spent waiting for
     * locks (the sum of its waits, 0 for an op that never waited) at p50, p99 and its maximum,
     * and the percentage of ops that waited at all. Written while lock statistics are on.
     */
    public static final List<String> LOCK_WAIT = List.of("lock_wait_p50_ns", "lock_wait_p99_ns", "lock_wait_max_ns",
            "lock_contended_pct");

    /**
     * An optimistic design's instantiations backed out and made again, over the ops of the
     * benchmark's busiest op (its workers'): written only when there was a retry, so a missing row
     * means none. Counted from the lock statistics' {@code instantiate.retry} point, so only while
     * lock statistics are on.
     */
    public static final String RETRIES_PER_OP = "retries_per_op";

    /** JMH's average time per call, the score of workloads too fast for a latency histogram. */
    public static final String AVGT = "avgt_ns";

    private Metrics() {
    }

    /**
     * +1 when bigger is better ({@code ops_per_s}), -1 when smaller is better (latencies and
     * times, {@code *_ns}, and {@code lock_contended_pct}), 0 when the metric is unknown.
     */
    public static int direction(String metric) {
        if (metric.startsWith("ops_per_s")) {
            return 1;
        }
        if (metric.endsWith("_ns") || metric.equals("lock_contended_pct") || metric.equals(RETRIES_PER_OP)) {
            return -1;
        }
        return 0;
    }
}
