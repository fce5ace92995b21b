package rlbench.bench.workloads;

import java.util.SplittableRandom;
import rlbench.bench.targets.TargetFile;

/**
 * One thread's buffered reads (read() with readahead) of {@code readPages} pages at random
 * offsets within a region. With probability {@code 1 - hitRatio} the range is first dropped from
 * the cache (untimed), so readahead must instantiate and read it. Only the
 * {@link TargetFile#readBuffered} call is timed; its result array is the thread's own, reused.
 */
final class Reader extends TimedOp {

    private final TargetFile file;
    private final long first;
    private final long offsets;
    private final int readPages;
    private final double hitRatio;
    private final SplittableRandom rng;
    private final long[] out;

    Reader(TargetFile file, long first, long regionPages, int readPages, double hitRatio,
           SplittableRandom rng, OpLatency latency) {
        super(latency);
        if (regionPages < readPages) {
            throw new IllegalArgumentException("a region of " + regionPages + " pages cannot take reads of "
                    + readPages + " pages");
        }
        this.file = file;
        file.prepareThread(readPages); // built by the thread that runs it: no allocation in its first timed call
        this.first = first;
        this.offsets = regionPages - readPages + 1;
        this.readPages = readPages;
        this.hitRatio = hitRatio;
        this.rng = rng;
        this.out = new long[readPages];
    }

    @Override
    long run() {
        long at = first + rng.nextLong(offsets);
        if (hitRatio < 1 && rng.nextDouble() >= hitRatio) {
            file.dropCache(at, at + readPages - 1);
        }
        long t0 = begin();
        long locked = lockMark();
        int n = file.readBuffered(at, readPages, out);
        end(t0);
        recordLockWait(locked);
        return out[n > 0 ? n - 1 : 0] + n;
    }
}
