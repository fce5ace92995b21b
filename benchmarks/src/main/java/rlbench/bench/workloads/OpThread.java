package rlbench.bench.workloads;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What every per-thread benchmark state shares: the operation it runs and the per-iteration
 * switch of its histogram. A workload's thread states extend it and build {@link #op} in their
 * own trial setup (JMH injects the outer benchmark state by its concrete type, so that part stays
 * in each workload).
 *
 * @param <T> the kind of op
 */
@State(Scope.Thread)
public abstract class OpThread<T extends TimedOp> {

    /** The op this thread repeats; {@code null} until the trial setup built it. Owner thread only. */
    T op;

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        op.iteration(params);
    }
}
