package rlbench.bench.workloads;

import java.util.SplittableRandom;
import org.openjdk.jmh.infra.ThreadParams;
import rlbench.fs.FileSystem;
import rlbench.fs.Inode;
import rlbench.fs.block.BlockDevice;
import rlbench.fs.check.StaleDataOracle;
import rlbench.locks.Design;
import rlbench.locks.DesignRegistry;

/**
 * What the workloads share outside JMH: building the filesystem their parameters describe,
 * putting a range of a file into a known cache state, and splitting threads into regions. Used in
 * trial setup and in the untimed part of an operation, never on a timed path.
 */
final class Sim {

    static final int PAGE_SIZE = 4096;
    static final int READAHEAD_PAGES = 8;
    /** Pages per readahead call when filling a range: short enough not to hog the readahead lock. */
    static final int FILL_CHUNK = 64;
    /** In a sparse range, one page in this many stays cached: a handful, not none. */
    static final int SPARSE_STRIDE = 4096;

    /** The state a range is left in after it is (re)filled. */
    enum Refill {
        /** Punched ranges stay holes. */
        NONE,
        /** Every page has a block and is cached, clean. */
        DENSE,
        /** Every page has a block; only every {@link #SPARSE_STRIDE}th page is cached. */
        SPARSE
    }

    private Sim() {
    }

    /**
     * A filesystem with the named design, {@link SimulationState#blocksFor} blocks for
     * {@code filePages}, the device latency and mode, and a pool of {@code framePoolPages} free
     * page frames. The values were checked against their declarations first
     * ({@link SimulationState#check}); the design is checked here, by the registry.
     */
    static FileSystem newFileSystem(String design, long filePages, long deviceLatencyNs, BlockDevice.Mode mode,
                                    int framePoolPages) {
        Design d = DesignRegistry.get(design);
        return new FileSystem(new FileSystem.Config(PAGE_SIZE, Math.toIntExact(SimulationState.blocksFor(filePages)), mode, deviceLatencyNs,
                READAHEAD_PAGES, framePoolPages), d::create);
    }

    /**
     * Gives pages [first, first + count) blocks (fallocate: extents, reading as zeroes) and leaves
     * them in the {@code refill} state: every page cached, clean ({@code DENSE}, by readahead in
     * chunks), or one page in {@value #SPARSE_STRIDE} cached ({@code SPARSE}). Costs O(extents)
     * for the blocks and O(pages cached) for the cache. Returns false if the device ran out of
     * blocks (only possible when the unsafe design leaks them).
     */
    static boolean fill(FileSystem fs, Inode f, long first, long count, Refill refill) {
        if (refill == Refill.NONE || count <= 0) {
            return true;
        }
        long last = first + count - 1;
        boolean ok = fs.fallocate(f, first, last);
        if (refill == Refill.DENSE) {
            for (long i = first; i <= last; i += FILL_CHUNK) {
                fs.readahead(f, i, (int) Math.min(FILL_CHUNK, last - i + 1));
            }
        } else {
            fs.dropCache(f, first, last);
            long s = (first + SPARSE_STRIDE - 1) / SPARSE_STRIDE * SPARSE_STRIDE;
            for (; s <= last; s += SPARSE_STRIDE) {
                fs.readahead(f, s, 1);
            }
        }
        return ok;
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

    /** A line for the .hlog comments: the stale-data oracle's verdict on this trial, or that it was off. */
    static String oracleSummary(FileSystem fs, String design) {
        boolean safe = DesignRegistry.get(design).safe();
        if (!StaleDataOracle.ENABLED) {
            return "oracle design=" + design + " safe=" + safe + " off (compiled out of benchmarks; rlbench stress checks)";
        }
        long v = fs == null ? 0 : fs.oracle().total();
        if (v > 0 && safe) {
            System.err.println("rlbench: design " + design + " showed " + v + " stale-data violations: "
                    + fs.oracle().messages().stream().findFirst().orElse(""));
        }
        return "oracle design=" + design + " safe=" + safe + " violations=" + v;
    }
}
