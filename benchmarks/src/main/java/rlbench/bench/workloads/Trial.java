package rlbench.bench.workloads;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The workload a trial runs, for its thread states ({@link OpThread}). JMH hands a state to
 * another state's setup only by its concrete class, and there are four workload classes; so the
 * workload's trial setup binds itself here and the thread states, written once for all four, take
 * this one class instead of the workload's.
 *
 * <p>Order: a thread state's trial setup reads {@link #workload} after the workload has bound
 * itself, because JMH initialises the benchmark's own state (the instance its {@code @Benchmark}
 * method runs on, here the workload) before the states passed to that method: in the generated
 * {@code *_jmhTest} classes the {@code _jmh_tryInit_} of the benchmark class comes first, and it
 * runs the trial setup under JMH's lock, which publishes the workload's fields to every thread.
 * Should that ever change, {@link #workload} says so instead of a null pointer.
 */
@State(Scope.Benchmark)
public class Trial {

    /** Written once by the workload's trial setup, read by the thread states' setups. */
    private volatile SimulationState workload;

    void bind(SimulationState w) {
        workload = w;
    }

    /** The workload of this trial, once its setup has run. */
    SimulationState workload() {
        SimulationState w = workload;
        if (w == null) {
            throw new IllegalStateException("a thread state's setup ran before the workload's: JMH no longer "
                    + "initialises the benchmark's own state first (see Trial)");
        }
        return w;
    }
}
