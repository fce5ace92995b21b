package rlbench.bench.workloads;

import java.util.SplittableRandom;
import rlbench.bench.targets.Refill;
import rlbench.bench.targets.TargetFile;

/**
 * The puncher thread: punches {@code punchPages} at a random offset within an area of the file,
 * at a fixed rate ({@link FixedRatePacer}; an interval of 0 punches back to back), times each
 * punch from its scheduled start and records it with the coordinated-omission correction
 * ({@link OpLatency#recordAtFixedRate}). After the timed punch, untimed, it refills the range
 * into the {@link Refill} state (blocks and cache as before the punch), so that the file does
 * not drift towards all holes and the next punch meets the same state. The refill runs inside the
 * punch's slot: it delays the next punch only if punch plus refill overrun the interval, and
 * then the delay counts as the next punch's latency.
 */
final class RandomPuncher extends TimedOp {

    private final TargetFile file;
    private final long first;
    private final long offsets;
    private final int punchPages;
    private final Refill refill;
    private final SplittableRandom rng;
    /** The last range punched, for tests. */
    long lastFirst = -1;

    RandomPuncher(TargetFile file, long first, long areaPages, int punchPages, long intervalNanos,
                  Refill refill, SplittableRandom rng, OpLatency latency) {
        super(latency);
        if (areaPages < punchPages) {
            throw new IllegalArgumentException("cannot punch " + punchPages + " pages out of an area of "
                    + areaPages + ": more filePages or a smaller punchPages");
        }
        this.file = file;
        this.first = first;
        this.offsets = areaPages - punchPages + 1;
        this.punchPages = punchPages;
        this.refill = refill;
        this.rng = rng;
        pace(intervalNanos);
    }

    @Override
    long run() {
        long at = first + rng.nextLong(offsets);
        long last = at + punchPages - 1;
        long slot = begin();
        long locked = lockMark();
        file.punch(at, last);
        end(slot);
        recordLockWait(locked);
        file.fill(at, punchPages, refill);
        lastFirst = at;
        return at;
    }
}
