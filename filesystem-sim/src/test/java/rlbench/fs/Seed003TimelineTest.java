package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.fs.check.StaleDataOracle.Kind;
import rlbench.locks.Design;

/**
 * Seed 003's timeline, replayed step by step on one thread: a punch evicts the range; in the
 * window before it frees the blocks, readahead re-creates the pages and looks up the old blocks;
 * the punch frees them; another file gets them (LIFO) and writes them. The first file now shows
 * data from a hole, and writing its stale page back corrupts the other file.
 *
 * <p>{@code none} must be caught; every safe design keeps readahead out of the window.
 */
@Timeout(30)
class Seed003TimelineTest {

    private static final int PAGES = 16;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#unsafe")
    void noneIsCaught(Design design) {
        FileSystem fs = replay(design);
        assertTrue(fs.oracle().count(Kind.HOLE_NOT_ZERO) > 0, () -> "hole shows old data: " + fs.oracle().counts());
        assertTrue(fs.oracle().count(Kind.WRITEBACK_TO_FOREIGN_BLOCK) > 0, () -> "corruption: " + fs.oracle().counts());
        assertTrue(fs.oracle().count(Kind.FOREIGN_DATA) > 0, () -> "the victim reads our data: " + fs.oracle().counts());
        assertTrue(fs.oracle().messages().get(0).contains("now owned by"), fs.oracle().messages().get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void safeDesignsKeepReadaheadOutOfTheWindow(Design design) {
        FileSystem fs = replay(design);
        assertEquals(0, fs.oracle().total(), () -> fs.oracle().messages().toString());
    }

    private static FileSystem replay(Design design) {
        FileSystem fs = Designs.newFs(design, 4 * PAGES);
        Inode victimOfPunch = fs.createFile(PAGES);
        fs.writeBuffered(victimOfPunch, 0, PAGES, null, 0);
        fs.writeback(victimOfPunch, 0, PAGES - 1);

        // CPU1's readahead starts inside CPU0's punch, after truncate_pagecache_range. Like the
        // kernel's, it waits for the design's readahead lock point, so it runs on its own thread:
        // the punch gives it a moment inside the window, then goes on to free the blocks; a
        // design that holds it out lets it finish only after the punch.
        Thread[] cpu1 = new Thread[1];
        fs.onInvalidationWindow((f, first, last) -> {
            if (f == victimOfPunch) {
                cpu1[0] = new Thread(() -> fs.readahead(f, first, (int) (last - first + 1)), "cpu1-readahead");
                cpu1[0].start();
                try {
                    cpu1[0].join(500);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
        fs.punch(victimOfPunch, 0, PAGES - 1);
        fs.onInvalidationWindow(null);
        try {
            cpu1[0].join(10_000);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertFalse(cpu1[0].isAlive(), "readahead still waiting after the punch ended");

        // The freed blocks go to another file, which writes them.
        Inode other = fs.createFile(PAGES);
        fs.writeBuffered(other, 0, PAGES, null, 0);
        fs.writeback(other, 0, PAGES - 1);
        fs.dropCache(other, 0, PAGES - 1);

        // The punched file reads its hole, then dirties its cached page and writes it back.
        long[] out = new long[PAGES];
        fs.readBuffered(victimOfPunch, 0, PAGES, out);
        Mapping map = fs.newProcess().map(victimOfPunch, 0, PAGES);
        for (int i = 0; i < PAGES; i++) {
            fs.writeMapped(map, i);
        }
        fs.writeback(victimOfPunch, 0, PAGES - 1);
        // The other file reads its blocks back from disk.
        fs.readBuffered(other, 0, PAGES, out);
        return fs;
    }
}
