package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.locks.Design;

/**
 * Holes, truncate and writeback against the simplest possible model: an array of the generation
 * each page last received (0 for a hole) and a size. One thread, random operations, then the
 * whole file read back both ways (read() and through a mapping) and compared.
 */
class SequentialModelTest {

    private static final int PAGES = 96;

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#all")
    void randomOperationsMatchTheModel(Design design) {
        for (long seed = 1; seed <= 5; seed++) {
            run(design, seed);
        }
    }

    private void run(Design design, long seed) {
        FileSystem fs = Designs.newFs(design, 4 * PAGES);
        Inode f = fs.createFile(PAGES / 2);
        AddressSpace proc = fs.newProcess();
        Mapping map = proc.map(f, 0, PAGES);
        long[] model = new long[PAGES];
        long size = PAGES / 2;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int op = 0; op < 600; op++) {
            int i = rnd.nextInt(PAGES);
            switch (rnd.nextInt(9)) {
                case 0, 1 -> {
                    int n = 1 + rnd.nextInt(Math.min(8, PAGES - i));
                    long gen = fs.writeBuffered(f, i, n, null, 0);
                    for (int k = 0; k < n; k++) {
                        model[i + k] = -1; // written: some generation > 0, checked below as "not zero"
                    }
                    size = Math.max(size, i + n);
                    assertEquals(true, gen > 0, "write returned " + gen);
                }
                case 2 -> {
                    long gen = fs.writeMapped(map, i);
                    if (i < size) {
                        assertEquals(true, gen > 0);
                        model[i] = -1;
                    } else {
                        assertEquals(FileSystem.SIGBUS, gen, "a store beyond EOF must fault");
                    }
                }
                case 3 -> {
                    int n = 1 + rnd.nextInt(Math.min(40, PAGES - i));
                    fs.punch(f, i, i + n - 1);
                    Arrays.fill(model, i, i + n, 0);
                }
                case 4 -> {
                    long newSize = rnd.nextInt(PAGES + 1);
                    fs.truncate(f, newSize);
                    if (newSize < size) {
                        Arrays.fill(model, (int) newSize, PAGES, 0);
                    }
                    size = newSize;
                }
                case 5 -> fs.writeback(f, 0, PAGES - 1);
                case 6 -> fs.dropCache(f, 0, PAGES - 1);
                case 7 -> fs.readahead(f, i, 8);
                default -> checkPage(fs, f, map, i, size, model);
            }
            assertEquals(size, f.sizePages(), "size after op " + op);
        }
        fs.writeback(f, 0, PAGES - 1);
        fs.dropCache(f, 0, PAGES - 1);
        for (int i = 0; i < PAGES; i++) {
            checkPage(fs, f, map, i, size, model);
        }
        assertEquals(0, fs.oracle().total(), () -> design.name() + " seed " + seed + ": " + fs.oracle().messages());
    }

    private static void checkPage(FileSystem fs, Inode f, Mapping map, int i, long size, long[] model) {
        long[] out = new long[1];
        fs.readBuffered(f, i, 1, out);
        long mapped = fs.readMapped(map, i);
        if (i >= size) {
            assertEquals(FileSystem.SIGBUS, out[0], "read beyond EOF at " + i);
            assertEquals(FileSystem.SIGBUS, mapped, "fault beyond EOF at " + i);
            return;
        }
        if (model[i] == 0) {
            assertEquals(0, out[0], "hole at " + i + " must read as zeroes");
            assertEquals(0, mapped, "hole at " + i + " must fault in as zeroes");
            assertEquals(BlockMap.HOLE, f.blockAt(i), "hole at " + i + " must have no block");
        } else {
            assertEquals(true, out[0] > 0, "written page " + i + " read back as " + out[0]);
            assertEquals(out[0], mapped, "read() and a mapping disagree at " + i);
        }
    }
}
