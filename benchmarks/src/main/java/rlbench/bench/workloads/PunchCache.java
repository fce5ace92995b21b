package rlbench.bench.workloads;

import rlbench.bench.targets.Refill;

/**
 * The state the fault and write workloads' puncher leaves each punched range in, after the timed
 * punch and untimed ({@code -p punchCache}): so, with {@link PunchTarget#disjoint}, the state of
 * every range before its punch. Lower case for JMH, as {@link FaultKind} explains.
 */
public enum PunchCache {
    /** Blocks again and every page cached: each punch evicts {@code punchPages} pages. */
    dense(Refill.DENSE),
    /** Blocks again, one page in {@value Refill#SPARSE_STRIDE} cached: the punch walks an almost empty cache. */
    sparse(Refill.SPARSE),
    /**
     * Left as holes, for the workers to write again: the write workload's overlapping punches, as
     * before this parameter. Refused where no worker writes the punched range.
     */
    none(Refill.NONE);

    final Refill refill;

    PunchCache(Refill refill) {
        this.refill = refill;
    }
}
