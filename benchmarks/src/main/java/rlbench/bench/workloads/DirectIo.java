package rlbench.bench.workloads;

import java.util.SplittableRandom;
import rlbench.bench.targets.TargetFile;

/**
 * One thread's direct IO ({@code O_DIRECT}) of {@code pagesPerIo} pages at random aligned offsets
 * within a region: writes, or reads with {@code read}. Only the {@link TargetFile#writeDirect} or
 * {@link TargetFile#readDirect} call is timed. Allocation-free apart from the filesystem's own.
 */
final class DirectIo extends TimedOp {

    private final TargetFile file;
    private final long first;
    private final long slots;
    private final int pagesPerIo;
    private final boolean read;
    private final long[] out;
    private final SplittableRandom rng;

    DirectIo(TargetFile file, long first, long regionPages, int pagesPerIo, boolean read, SplittableRandom rng,
             OpLatency latency) {
        super(latency);
        if (regionPages < pagesPerIo) {
            throw new IllegalArgumentException("a region of " + regionPages + " pages cannot take direct IO of "
                    + pagesPerIo + " pages: more filePages or fewer threads");
        }
        this.file = file;
        file.prepareThread(pagesPerIo); // built by the thread that runs it: no allocation in its first timed call
        this.first = first;
        this.slots = regionPages / pagesPerIo;
        this.pagesPerIo = pagesPerIo;
        this.read = read;
        this.out = new long[pagesPerIo];
        this.rng = rng;
    }

    @Override
    long run() {
        long at = first + rng.nextLong(slots) * pagesPerIo;
        long t0 = begin();
        long locked = lockMark();
        long r = read ? file.readDirect(at, pagesPerIo, out) : file.writeDirect(at, pagesPerIo);
        end(t0);
        recordLockWait(locked);
        return r;
    }
}
