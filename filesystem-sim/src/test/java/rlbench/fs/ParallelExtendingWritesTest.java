package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.locks.Design;

/**
 * Writers that each extend the file at their own page, all at once: under {@code io-range} they
 * hold disjoint IO ranges and really run together, so i_size must come out as the largest end
 * whatever order their updates land in, and every page must read back what its writer wrote (the
 * oracle checks each read). Every safe design, page cache and DAX.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParallelExtendingWritesTest {

    private static final int WRITERS = 6;
    private static final int ROUNDS = 200;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void iSizeIsTheLargestEndAndNoWriteIsLost(Design design) throws Exception {
        for (CacheMode mode : CacheMode.values()) {
            FileSystem fs = new FileSystem(FileSystem.Config.small(4 * WRITERS * ROUNDS).with(mode), design::create);
            Inode f = fs.createFile(0);
            long[][] written = new long[ROUNDS][WRITERS];
            CyclicBarrier start = new CyclicBarrier(WRITERS);
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < WRITERS; w++) {
                int me = w;
                Thread t = new Thread(() -> {
                    try {
                        for (int r = 0; r < ROUNDS; r++) {
                            if (r % 20 == 0) {
                                start.await(10, TimeUnit.SECONDS);
                            }
                            long page = (long) r * WRITERS + me;
                            written[r][me] = fs.writeBuffered(f, page, 1, null, 0);
                            long size = f.sizePages();
                            if (size < page + 1) {
                                throw new AssertionError("i_size " + size + " after the write of page " + page + " returned");
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "extender-" + w);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(30_000);
            }
            assertEquals(List.of(), failures);
            assertEquals((long) ROUNDS * WRITERS, f.sizePages(), design.name() + " " + mode + ": i_size");
            long[] out = new long[WRITERS];
            for (int r = 0; r < ROUNDS; r++) {
                assertEquals(WRITERS, fs.readBuffered(f, (long) r * WRITERS, WRITERS, out));
                for (int w = 0; w < WRITERS; w++) {
                    assertEquals(written[r][w], out[w], design.name() + " " + mode + ": page " + (r * WRITERS + w));
                }
            }
            assertEquals(0, fs.oracle().total(), () -> fs.oracle().messages().toString());
        }
    }
}
