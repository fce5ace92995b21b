package rlbench.bench.workloads;

import java.util.SplittableRandom;
import org.openjdk.jmh.infra.ThreadParams;
import rlbench.fs.CacheMode;
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;
import rlbench.fs.block.BlockDevice;
import rlbench.locks.Design;
import rlbench.locks.DesignRegistry;

/**
 * What the workloads share outside JMH: building the simulated filesystem their parameters
 * describe, and splitting threads into regions. Used in trial setup and in the untimed part of an
 * operation, never on a timed path.
 */
final class Sim {

    static final int PAGE_SIZE = 4096;
    static final int READAHEAD_PAGES = 8;

    private Sim() {
    }

    /**
     * A filesystem with the named design, {@link SimulationState#blocksFor} blocks for
     * {@code filePages}, the device latency and mode, and a pool of {@code framePoolPages} free
     * page frames. The values were checked against their declarations first
     * ({@link SimulationState#check}); the design is checked here, by the registry.
     */
    static FileSystem newFileSystem(String design, long filePages, long deviceLatencyNs, BlockDevice.Mode mode,
                                    int framePoolPages, CacheMode cacheMode) {
        Design d = DesignRegistry.get(design);
        return new FileSystem(new FileSystem.Config(PAGE_SIZE, Math.toIntExact(SimulationState.blocksFor(filePages)), mode, deviceLatencyNs,
                READAHEAD_PAGES, framePoolPages, cacheMode), d::create);
    }

    /** The page-cache occupancy of [first, last]: cached pages counted one by one. */
    static long cachedPages(Inode f, long first, long last) {
        long n = 0;
        for (long i = f.cache().nextPage(first, last); i >= 0; i = i < last ? f.cache().nextPage(i + 1, last) : -1) {
            n++;
        }
        return n;
    }

    /** A per-thread generator: deterministic for a thread index and a role. */
    static SplittableRandom rng(int threadIndex, long role) {
        return new SplittableRandom(0x2545F4914F6CDD1DL ^ (role * 0xBF58476D1CE4E5B9L)
                ^ ((threadIndex + 1L) * 0x9E3779B97F4A7C15L));
    }

    /**
     * This thread's index among all threads running the same benchmark method, over every group:
     * its index within its subgroup, after those of earlier groups. In a plain benchmark every
     * thread is a group of its own, so this is the thread index.
     */
    static int workerIndex(ThreadParams t) {
        return t.getGroupIndex() * t.getSubgroupThreadCount() + t.getSubgroupThreadIndex();
    }

    /** How many threads run the same benchmark method as this one, over every group. */
    static int workerCount(ThreadParams t) {
        return t.getGroupCount() * t.getSubgroupThreadCount();
    }
}
