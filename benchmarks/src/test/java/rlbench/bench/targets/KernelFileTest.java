package rlbench.bench.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linux target against this machine's kernel, in a temporary folder (on this project's
 * machines, ext4): what the workloads rely on (a dropped page is out of the page cache, so the
 * next fault is a miss; a punch leaves a hole that reads as zeroes; the cache states), and the
 * system calls' error paths.
 */
class KernelFileTest {

    @TempDir
    Path dir;

    @Test
    void aDroppedPageIsOutOfTheCacheAndTheNextFaultBringsItBack() {
        try (KernelFile f = KernelFile.create(dir, 256)) {
            assertTrue(f.fill(0, 256, Refill.DENSE));
            for (long p = 0; p < 256; p += 17) {
                assertTrue(f.cached(p), "dense: page " + p + " cached");
            }
            TargetFile.View v = f.map(0, 256);
            assertEquals(0, v.read(100), "fallocated: zeroes");
            v.zap(100);
            f.dropCache(100, 100);
            assertFalse(f.cached(100), "zapped and dropped: the next fault is a miss");
            assertTrue(f.cached(99) && f.cached(101), "the neighbours stay");
            assertEquals(0, v.read(100));
            assertTrue(f.cached(100), "the fault read it back in");
        }
    }

    /** Fault-around maps cached neighbours of a faulting page; the zap clears them too, so they can be dropped. */
    @Test
    void theZapCoversTheFaultAroundWindow() {
        try (KernelFile f = KernelFile.create(dir, 256)) {
            f.fill(0, 256, Refill.DENSE);
            TargetFile.View v = f.map(0, 256);
            v.read(64);
            v.zap(64);
            for (long p = 64 - KernelFile.ZAP_AROUND; p <= 64 + KernelFile.ZAP_AROUND; p++) {
                f.dropCache(p, p);
                assertFalse(f.cached(p), "page " + p + " still mapped after the zap");
            }
        }
    }

    @Test
    void writesLandAndAPunchLeavesAHoleThatReadsZero() {
        try (KernelFile f = KernelFile.create(dir, 64)) {
            f.fill(0, 64, Refill.DENSE);
            assertEquals(4, f.writeBuffered(8, 4));
            long[] out = new long[4];
            assertEquals(4, f.readBuffered(8, 4, out));
            assertEquals(0x6b6b6b6b6b6b6b6bL, out[0], "the write's pattern");
            TargetFile.View v = f.map(0, 64);
            assertEquals(0x6b6b6b6b6b6b6b6bL, v.read(9));
            assertEquals(11, v.write(10), "a store through the mapping");
            v.zap(9);
            f.punch(8, 11);
            assertEquals(0, v.read(9), "punched: a hole");
            assertEquals(0, v.read(10), "punched over the mapped store too");
            f.readBuffered(8, 4, out);
            assertEquals(0, out[3]);
        }
    }

    @Test
    void aSparseFillCachesOnePageInTheStride() {
        int pages = 2 * Refill.SPARSE_STRIDE;
        try (KernelFile f = KernelFile.create(dir, pages)) {
            assertTrue(f.fill(0, pages, Refill.SPARSE));
            long cached = 0;
            for (long p = 0; p < pages; p += 64) {
                cached += f.cached(p) ? 1 : 0;
            }
            assertTrue(cached <= 3, cached + " of the sampled pages cached");
            assertTrue(f.cached(Refill.SPARSE_STRIDE), "the stride's page is cached");
        }
    }

    @Test
    void aFileThatCannotBeCreatedIsOneLineWithItsError() {
        KernelException e = assertThrows(KernelException.class, () -> KernelFile.create(dir.resolve("no-such-folder"), 4));
        assertEquals(LibC.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith("cannot create " + dir.resolve("no-such-folder")), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aBadRangeIsEinval() {
        try (KernelFile f = KernelFile.create(dir, 4)) {
            KernelException e = assertThrows(KernelException.class, () -> f.punch(3, 1));
            assertEquals(LibC.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("fallocate(PUNCH_HOLE) of pages 3..1"), e.getMessage());
        }
    }

    @Test
    void theProbeAcceptsThisFolderAndRefusesAMissingOrReadOnlyOne() throws Exception {
        KernelFile.probe(dir, "here");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> KernelFile.probe(dir.resolve("gone"), "--kernel-dir gone"));
        assertEquals("--kernel-dir gone is not a folder that exists", missing.getMessage());
        try (var s = Files.list(dir)) {
            assertEquals(0, s.count(), "the probe leaves nothing behind");
        }
    }

    /**
     * ramfs has no fallocate at all: the probe names EOPNOTSUPP. Needs root to mount it (this
     * project's machines and CI run as root); elsewhere the test cannot run and says so.
     */
    @Test
    void aFilesystemWithoutHolePunchingIsRefusedAsSuch() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("ramfs"));
        assumeTrue(run("mount", "-t", "ramfs", "ramfs", mnt.toString()) == 0, "mounting ramfs needs root");
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelFile.probe(mnt, "--kernel-dir x"));
            assertTrue(e.getMessage().contains("refuses hole punching"), e.getMessage());
            assertTrue(e.getMessage().contains("errno " + LibC.EOPNOTSUPP), e.getMessage());
        } finally {
            assertEquals(0, run("umount", mnt.toString()), "unmounted");
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
