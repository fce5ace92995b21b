package rlbench.bench.workloads;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A benchmark thread's state: the op it repeats, built in its trial setup by the workload of the
 * trial ({@link Trial}), and the per-iteration switch of its histogram. The five roles below are
 * the only thread states of the five file workloads: each workload says where in its file a role
 * works and with which parameters ({@code SimulationState.puncher} and the others), and the role
 * asks it with the thread's JMH parameters. Each is allocated, and its op built, by its own thread
 * (JMHSample_22 FalseSharing); the benchmark methods only call {@code op.run()}.
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

    /** The puncher, op {@value #OP}: one thread beside the workers of a group. */
    public static class Puncher extends OpThread<RandomPuncher> {

        /** The puncher's op and method name; a group with it runs one thread of it beside the workers. */
        public static final String OP = "punch";

        @Setup(Level.Trial)
        public void setUp(Trial trial, ThreadParams t) {
            op = trial.workload().puncher(t);
        }
    }

    /** A faulting thread, op {@code fault}, through its own mapping. */
    public static class FaultWorker extends OpThread<Faulter> {

        @Setup(Level.Trial)
        public void setUp(Trial trial, ThreadParams t) {
            op = trial.workload().faulter(t);
        }
    }

    /** A writing thread, op {@code write}. */
    public static class WriteWorker extends OpThread<Writer> {

        @Setup(Level.Trial)
        public void setUp(Trial trial, ThreadParams t) {
            op = trial.workload().writer(t);
        }
    }

    /** A direct-IO thread, op {@code dio}. */
    public static class DioWorker extends OpThread<DirectIo> {

        @Setup(Level.Trial)
        public void setUp(Trial trial, ThreadParams t) {
            op = trial.workload().directIo(t);
        }
    }

    /** A reading thread, op {@code read}. */
    public static class ReadWorker extends OpThread<Reader> {

        @Setup(Level.Trial)
        public void setUp(Trial trial, ThreadParams t) {
            op = trial.workload().reader(t);
        }
    }
}
