package rlbench.bench.workloads;

/**
 * Where the puncher of the fault and write workloads' {@code withPuncher} groups punches
 * ({@code -p punchTarget}); lower case for JMH, as {@link FaultKind} explains.
 */
public enum PunchTarget {
    /** Anywhere in the file, over the workers' pages: every safe design makes them wait (the default). */
    overlap,
    /**
     * The first half of the file, while the workers work in the second: a punch the workers never
     * touch, which only a whole-file lock makes them wait for.
     */
    disjoint
}
