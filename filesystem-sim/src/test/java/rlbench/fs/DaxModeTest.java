package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.locks.Design;
import rlbench.locks.designs.RwsemLock;

/**
 * DAX mode: no page cache pages. A fault maps the block itself (a hole maps as the zero page),
 * read() and write() copy straight to and from blocks, and what one path writes the others see at
 * once; a punch removes the entries and frees the blocks.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DaxModeTest {

    private static final int PAGES = 16;

    private static FileSystem daxFs(Design d) {
        return new FileSystem(FileSystem.Config.small(8 * PAGES).with(CacheMode.DAX), d::create);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void everyPathSeesWhatAnotherWrote(Design design) {
        FileSystem fs = daxFs(design);
        Inode f = fs.createFile(PAGES);
        Mapping m = fs.newProcess().map(f, 0, PAGES);
        long[] out = new long[4];

        assertEquals(0, fs.readMapped(m, 3), "a hole maps as the zero page");
        long written = fs.writeBuffered(f, 3, 1, null, 0);
        assertTrue(written > 0);
        assertEquals(written, fs.readMapped(m, 3), "write() over a mapped hole is seen through the mapping");

        long stored = fs.writeMapped(m, 5);
        assertEquals(1, fs.readBuffered(f, 5, 1, out));
        assertEquals(stored, out[0], "a store through the mapping is what read() returns, with no writeback");

        long direct = fs.writeDirect(f, 5, 1);
        assertEquals(direct, fs.readMapped(m, 5), "a direct write lands in the block the mapping maps");

        fs.punch(f, 3, 5);
        assertEquals(0, fs.readMapped(m, 3), "after the punch the page faults again, into a hole");
        assertEquals(1, fs.readDirect(f, 5, 1, out));
        assertEquals(0, out[0]);
        assertEquals(0, fs.oracle().total(), fs.oracle().messages().toString());
    }

    @Test
    void noPageFrameHoldsData() {
        FileSystem fs = daxFs(RwsemLock.DESIGN);
        Inode f = fs.createFile(PAGES);
        fs.writeBuffered(f, 0, PAGES, null, 0);
        Mapping m = fs.newProcess().map(f, 0, PAGES);
        for (int i = 0; i < PAGES; i++) {
            fs.readMapped(m, i);
        }
        assertEquals(PAGES, f.cache().pages(), "one DAX entry per faulted page");
        Page p = (Page) f.cache().load(7);
        assertEquals(null, p.data, "a DAX entry copies nothing: it maps the block");
        assertEquals(f.blockAt(7), p.block);
    }
}
