package rlbench.bench.workloads;

/**
 * How a workload's worker threads issue their ops ({@code -p arrival}); lower case for JMH, as
 * {@link FaultKind} explains.
 */
public enum Arrival {
    /**
     * Each worker starts its next op when the last one ends, and each op is timed from its own
     * start: a stall delays the ops behind it without showing in their latency (the default).
     */
    closed,
    /**
     * Each worker issues {@code ratePerThread} ops a second on a fixed schedule, and each op is
     * timed from its scheduled start ({@link FixedRatePacer}): a stall shows in every op it delayed.
     */
    open
}
