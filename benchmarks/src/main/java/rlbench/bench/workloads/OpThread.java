package rlbench.bench.workloads;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What every per-thread benchmark state shares: the operation it runs and the per-iteration
 * switch of its histogram. A workload's thread states extend it and build their op in their own
 * trial setup (JMH injects the outer benchmark state by its concrete type, so that part stays in
 * each workload).
 */
@State(Scope.Thread)
public abstract class OpThread {

    /** The op this thread repeats; {@code null} until the trial setup built it. */
    abstract TimedOp op();

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        op().iteration(params);
    }
}
