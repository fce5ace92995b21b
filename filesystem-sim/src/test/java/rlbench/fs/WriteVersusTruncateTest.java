package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.locks.Design;

/**
 * A write() that extends a file and a truncate that shrinks it, racing, must end in one of the
 * two orders: the write first (then the truncate cut it off: size k) or the truncate first (then
 * the write extended the file again: size k + 1 and page k holds what the write wrote). The
 * regression: truncate set i_size before it took any lock, so a write landing between the size
 * change and the invalidation lock finished, grew the file, and was then thrown away by the
 * truncate's eviction, leaving size k + 1 over a hole. Truncate now changes the size under the
 * inode lock and the invalidate lock point.
 *
 * <p>Checked by the file's own state, not by the oracle: a truncate over a page rightly excuses
 * a lost write of that page, so the oracle cannot tell this loss from a legal one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WriteVersusTruncateTest {

    private static final int PAGES = 8;
    private static final int CUT = 4;
    private static final int ROUNDS = 5_000;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void aWriteAfterTheTruncateIsNeverThrownAway(Design design) throws Exception {
        FileSystem fs = Designs.newFs(design, 8 * PAGES);
        Inode f = fs.createFile(PAGES);
        CyclicBarrier start = new CyclicBarrier(2);
        long[] written = new long[1];
        AtomicLong writeLast = new AtomicLong();
        long[] out = new long[1];
        int truncateFirst = 0;
        for (int round = 0; round < ROUNDS; round++) {
            fs.truncate(f, PAGES);
            fs.writeBuffered(f, 0, PAGES, null, 0);
            Thread writer = new Thread(() -> {
                await(start);
                written[0] = fs.writeBuffered(f, CUT, 1, null, 0);
            });
            writer.start();
            await(start);
            fs.truncate(f, CUT);
            writer.join();
            long size = f.sizePages();
            if (size == CUT + 1) {
                truncateFirst++;
                assertEquals(1, fs.readBuffered(f, CUT, 1, out));
                long gen = out[0];
                long round0 = round;
                assertEquals(written[0], gen, () -> "round " + round0 + ": the write extended the file after the "
                        + "truncate, but page " + CUT + " reads generation " + gen + ", not the written "
                        + written[0] + " (the write was thrown away)");
            } else {
                assertEquals(CUT, size, "the file ends at the cut or one page past it");
            }
            writeLast.set(round);
        }
        // Both orders must have happened, or the race was not exercised.
        assertTrue(truncateFirst > 0 && truncateFirst < ROUNDS,
                "one order only (" + truncateFirst + " of " + ROUNDS + " truncate-first): the race never ran");
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
