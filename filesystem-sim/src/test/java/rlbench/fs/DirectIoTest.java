package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.fs.check.StaleDataOracle.Kind;
import rlbench.locks.Design;
import rlbench.locks.index.PageIndex;

/**
 * Direct IO (seed 004): it bypasses the page cache but keeps it coherent, and a punch waits for
 * the direct IO in flight before it frees blocks ({@code inode_dio_wait}); without that wait, a
 * direct write completing late lands in a block another file now owns, and the oracle says so.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectIoTest {

    private static final int PAGES = 16;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void aDirectWriteIsWhatTheNextReadsSeeCachedOrNot(Design design) {
        FileSystem fs = Designs.newFs(design, 8 * PAGES);
        Inode f = fs.createFile(PAGES);
        long[] out = new long[4];
        fs.writeBuffered(f, 0, PAGES, null, 0); // cached and dirty
        fs.readBuffered(f, 4, 4, out);
        long gen = fs.writeDirect(f, 4, 4);
        assertTrue(gen > out[3], "a newer generation");
        assertEquals(4, fs.readBuffered(f, 4, 4, out));
        assertEquals(gen, out[3], "the cached page was invalidated: the buffered read sees the direct write");
        long buffered = fs.writeBuffered(f, 6, 1, null, 0);
        assertEquals(4, fs.readDirect(f, 4, 4, out));
        assertEquals(buffered, out[2], "a direct read sees a buffered write: the range is written back first");
        assertEquals(0, fs.oracle().total(), fs.oracle().messages().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void aPunchWaitsForTheDirectWriteInFlight(Design design) throws Exception {
        Race r = race(design, false);
        assertTrue(r.punchWaited, "the punch finished while the direct write was in flight");
        assertEquals(0, r.fs.oracle().count(Kind.DIRECT_WRITE_TO_FOREIGN_BLOCK), r.fs.oracle().messages().toString());
    }

    /** The same timeline with inode_dio_wait skipped: the late completion lands in the other file's block. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void withoutTheWaitTheLateWriteLandsInAnotherFilesBlock(Design design) throws Exception {
        Race r = race(design, true);
        if (design.create(new PageIndex()).replacesInodeLock()) {
            // Direct IO holds its IO range until it completes: the punch's range waits for it anyway.
            assertTrue(r.punchWaited, "the punch's IO range did not wait for the direct write in flight");
            assertEquals(0, r.fs.oracle().total(), r.fs.oracle().messages().toString());
            return;
        }
        assertTrue(r.fs.oracle().count(Kind.DIRECT_WRITE_TO_FOREIGN_BLOCK) > 0,
                "a direct write completed into a freed, reused block unseen");
    }

    private record Race(FileSystem fs, boolean punchWaited) {
    }

    /**
     * A direct write of page 3 is held in flight; a punch of the page runs meanwhile, and another
     * file then takes the freed block (the allocator hands out the most recently freed first);
     * then the write completes. Returns whether the punch was still waiting when the write was let go.
     */
    private static Race race(Design design, boolean skipWait) throws Exception {
        FileSystem fs = Designs.newFs(design, 8 * PAGES);
        fs.skipDioWait = skipWait;
        Inode f = fs.createFile(PAGES);
        Inode other = fs.createFile(PAGES);
        fs.writeDirect(f, 0, PAGES);
        CountDownLatch inFlight = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        fs.onDirectIoInFlight((file, first, count) -> {
            if (file == f) {
                inFlight.countDown();
                await(release);
            }
        });
        Thread writer = new Thread(() -> fs.writeDirect(f, 3, 1));
        writer.start();
        assertTrue(inFlight.await(10, TimeUnit.SECONDS));
        fs.onDirectIoInFlight(null);
        CountDownLatch punched = new CountDownLatch(1);
        Thread puncher = new Thread(() -> {
            fs.punch(f, 3, 3);
            fs.writeDirect(other, 0, 1); // takes the block the punch freed, if it was freed
            punched.countDown();
        });
        puncher.start();
        boolean waited = !punched.await(300, TimeUnit.MILLISECONDS);
        release.countDown();
        writer.join();
        puncher.join();
        return new Race(fs, waited);
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
