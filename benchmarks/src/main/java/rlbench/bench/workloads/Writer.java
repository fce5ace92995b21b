package rlbench.bench.workloads;

import java.util.SplittableRandom;
import rlbench.bench.targets.TargetFile;

/**
 * One thread's buffered writes of {@code pagesPerWrite} pages at random aligned offsets within
 * a region. With probability {@code 1 - hitRatio} the range is first written back and dropped
 * from the cache (untimed), so the write must instantiate its pages. Only the
 * {@link TargetFile#writeBuffered} call is timed. Allocation-free apart from the filesystem's own
 * pages.
 */
final class Writer extends TimedOp {

    private final TargetFile file;
    private final long first;
    private final long slots;
    private final int pagesPerWrite;
    private final double hitRatio;
    private final SplittableRandom rng;

    Writer(TargetFile file, long first, long regionPages, int pagesPerWrite, double hitRatio,
           SplittableRandom rng, OpLatency latency) {
        super(latency);
        if (regionPages < pagesPerWrite) {
            throw new IllegalArgumentException("a region of " + regionPages + " pages cannot take writes of "
                    + pagesPerWrite + " pages: more filePages or fewer threads");
        }
        this.file = file;
        file.prepareThread(pagesPerWrite); // built by the thread that runs it: no allocation in its first timed call
        this.first = first;
        this.slots = regionPages / pagesPerWrite;
        this.pagesPerWrite = pagesPerWrite;
        this.hitRatio = hitRatio;
        this.rng = rng;
    }

    @Override
    long run() {
        long at = first + rng.nextLong(slots) * pagesPerWrite;
        if (hitRatio < 1 && rng.nextDouble() >= hitRatio) {
            long last = at + pagesPerWrite - 1;
            file.writeback(at, last);
            file.dropCache(at, last);
        }
        long t0 = begin();
        long locked = lockMark();
        long r = file.writeBuffered(at, pagesPerWrite);
        end(t0);
        recordLockWait(locked);
        return r;
    }
}
