package rlbench.bench.workloads;

import java.util.SplittableRandom;
import rlbench.bench.targets.TargetFile;

/**
 * One thread's page faults on a region of a shared file, through the thread's own mapping of it
 * (each worker maps the region separately, in one shared process, so its page table is its own:
 * no other thread can make its next access a PTE hit).
 *
 * <p>An operation is {@link #prepare} (untimed: pick a random page, zap this mapping's PTE for it
 * so the access must fault, and with probability {@code 1 - hitRatio} write it back and drop it
 * from the cache so the fault is a miss) then {@link #fault} (timed: the read or write fault
 * alone; then, untimed, the PTE is zapped again so that no mapping keeps the page mapped, which
 * would make other threads' drops of it fail). A drop can still fail, rarely, when another
 * thread is faulting the same page at that moment: the miss becomes a hit.
 *
 * <p>Allocation-free apart from what the filesystem allocates (a page per miss).
 */
final class Faulter extends TimedOp {

    private final TargetFile file;
    private final TargetFile.View mapping;
    private final long first;
    private final long pages;
    private final double hitRatio;
    private final boolean write;
    private final SplittableRandom rng;
    /** The page the next {@link #fault} touches. */
    long page;

    Faulter(TargetFile file, TargetFile.View mapping, long first, long pages, double hitRatio, boolean write,
            SplittableRandom rng, OpLatency latency) {
        super(latency);
        this.file = file;
        this.mapping = mapping;
        this.first = first;
        this.pages = pages;
        this.hitRatio = hitRatio;
        this.write = write;
        this.rng = rng;
    }

    /** Untimed: chooses the page, makes the next access a fault, and a miss if the dice say so. */
    void prepare() {
        long p = first + rng.nextLong(pages);
        page = p;
        mapping.zap(p);
        if (rng.nextDouble() >= hitRatio) {
            if (write) {
                file.writeback(p, p); // a dirty page cannot be dropped
            }
            file.dropCache(p, p);
        }
    }

    /**
     * The fault of the prepared page, timed ({@link #begin} to {@link #end}: in open loop from
     * its scheduled slot, after waiting for it); returns the generation read or written.
     */
    long fault() {
        long p = page;
        long t0 = begin();
        long locked = lockMark();
        long r = write ? mapping.write(p) : mapping.read(p);
        end(t0);
        recordLockWait(locked);
        mapping.zap(p);
        return r;
    }

    /** One whole operation. */
    @Override
    long run() {
        prepare();
        return fault();
    }
}
