package rlbench.bench.workloads;

import org.openjdk.jmh.infra.IterationParams;

/**
 * One kind of operation a benchmark thread repeats (a fault, a write, a read, a punch), with the
 * histogram it records into. {@link #run} is the JMH operation; {@link #iteration} switches
 * recording on for measurement iterations only.
 */
abstract class TimedOp {

    final OpLatency latency;

    TimedOp(OpLatency latency) {
        this.latency = latency;
    }

    /** Per iteration: recording on or off. Subclasses with more per-iteration state add to it. */
    void iteration(IterationParams params) {
        latency.iteration(params);
    }

    /** One operation; returns a value for JMH to consume (JMHSample_08 DeadCode). */
    abstract long run();
}
