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

    /** The largest file a workload accepts: 2^26 pages (256 GiB of 4 KiB pages). */
    public static final long MAX_FILE_PAGES = 1L << 26;

    /** Device blocks for a file of {@code filePages}: the file, an eighth more, and 1024, so no workload runs out. */
    public static long blocksFor(long filePages) {
        return filePages + filePages / 8 + 1024;
    }

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
