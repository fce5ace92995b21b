package rlbench.bench.workloads;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;

/**
 * What every workload benchmark shares: the design and device-latency parameters, the filesystem
 * and file under test, and the latency recorder's life cycle (record in measurement iterations
 * only, write the merged histograms when the trial ends). Each workload extends it and builds its
 * file in its own trial setup.
 */
@State(Scope.Benchmark)
public abstract class SimulationState {

    @Param({"none", "rwsem", "page-lock", "range-tree", "lock-entries"})
    public String design;

    /** What a cache miss waits for the device (0 = ramdisk). */
    @Param("0")
    public long deviceLatencyNs;

    /** Free page frames the filesystem keeps for reuse (its page allocator's free lists). */
    @Param("4096")
    public int framePoolPages = 4096;

    FileSystem fs;
    Inode file;
    final LatencyRecorder recorder = new LatencyRecorder();

    @Setup(Level.Iteration)
    public void iterationStarted(IterationParams params) {
        recorder.iterationStarted(params);
    }

    @TearDown(Level.Iteration)
    public void iterationEnded(IterationParams params) {
        recorder.iterationEnded(params);
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        recorder.writeLogsIfRequested(params, Sim.oracleSummary(fs, design));
    }
}
