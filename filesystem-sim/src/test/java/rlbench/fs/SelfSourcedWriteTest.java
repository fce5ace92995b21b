package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.locks.Design;

/**
 * write(fd, mmap of the same range of fd): the case that forbids holding a page-cache range lock
 * across a whole write (seed 002, DESIGN.md section 1). It must complete under every safe design,
 * alone and while other threads fault and punch the same pages.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelfSourcedWriteTest {

    private static final int PAGES = 32;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void writeFromAMappingOfTheSameRangeCompletes(Design design) {
        FileSystem fs = Designs.newFs(design, 4 * PAGES);
        Inode f = fs.createFile(PAGES);
        Mapping source = fs.newProcess().map(f, 0, PAGES);
        long gen = fs.writeBuffered(f, 0, PAGES, source, 0);
        assertTrue(gen > 0, "write returned " + gen);
        long[] out = new long[PAGES];
        assertEquals(PAGES, fs.readBuffered(f, 0, PAGES, out));
        for (long g : out) {
            assertTrue(g > 0, "every page was written");
        }
        assertEquals(0, fs.oracle().total(), () -> fs.oracle().messages().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void selfSourcedWritesRacingFaultsAndPunchesAllFinish(Design design) throws Exception {
        FileSystem fs = Designs.newFs(design, 8 * PAGES);
        Inode f = fs.createFile(PAGES);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 6; t++) {
            int role = t % 3;
            SplittableRandom rnd = new SplittableRandom(t);
            Mapping map = fs.newProcess().map(f, 0, PAGES);
            Thread th = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        int i = rnd.nextInt(PAGES - 4);
                        switch (role) {
                            case 0 -> {
                                fs.writeBuffered(f, i, 4, map, i);
                                writes.incrementAndGet();
                            }
                            case 1 -> fs.readMapped(map, i);
                            default -> fs.punch(f, i, i + rnd.nextInt(4));
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "self-write-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        Thread.sleep(1_500);
        stop.set(true);
        for (Thread th : threads) {
            th.join(20_000);
            assertTrue(!th.isAlive(), th.getName() + " hung: " + java.util.Arrays.toString(th.getStackTrace()));
        }
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        assertTrue(writes.get() > 10, "writes made no progress: " + writes.get());
        assertEquals(0, fs.oracle().total(), () -> fs.oracle().messages().toString());
    }
}
