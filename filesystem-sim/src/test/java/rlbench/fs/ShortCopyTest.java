package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.locks.Design;

/**
 * A buffered write whose source page is unmapped between its fault-in and its copy gives up on
 * that page (a short copy) after write_begin created it, not uptodate. Readers must read such a
 * page from disk, not return its empty contents: the stress found exactly that as a lost write.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShortCopyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void aWriteThatGivesUpLeavesNoEmptyPageBehind(Design design) throws Exception {
        FileSystem fs = Designs.newFs(design, 64);
        Inode target = fs.createFile(4);
        Inode source = fs.createFile(4);
        fs.writeBuffered(source, 0, 4, null, 0);
        Mapping src = fs.newProcess().map(source, 0, 4);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong disturbances = new AtomicLong();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                fs.writeBuffered(target, 1, 1, src, 1);
                fs.writeback(target, 1, 1);
                fs.dropCache(target, 1, 1); // next write instantiates the page again
            }
        });
        Thread zapper = new Thread(() -> {
            while (!stop.get()) {
                fs.punch(source, 1, 1); // unmaps the source page: the writer's copy comes up short
                fs.writeBuffered(source, 1, 1, null, 0);
                disturbances.incrementAndGet();
            }
        });
        Thread reader = new Thread(() -> {
            long[] out = new long[1];
            while (!stop.get()) {
                fs.readBuffered(target, 1, 1, out);
            }
        });
        for (Thread t : new Thread[] {writer, zapper, reader}) {
            t.setDaemon(true);
            t.start();
        }
        Thread.sleep(1_500);
        stop.set(true);
        for (Thread t : new Thread[] {writer, zapper, reader}) {
            t.join(10_000);
            assertTrue(!t.isAlive(), "a thread hung");
        }
        // The short copies that really happened, counted where the write retries, not the
        // disturbing thread's passes.
        assertTrue(fs.shortCopies() > 0, "no write's copy came up short in " + disturbances.get()
                + " punches of its source: the path under test never ran");
        assertEquals(0, fs.oracle().total(), () -> fs.oracle().messages().toString());
    }
}
