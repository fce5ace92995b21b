package rlbench.bench.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** -p kernelFs images: refused up front without their mkfs or root; made, used and removed whole where they can be. */
class LoopImageTest {

    @TempDir
    Path dir;

    @Test
    void aMissingMkfsNamesThePackage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopImage.check(KernelFs.xfs, name -> null, true));
        assertEquals("-p kernelFs=xfs needs mkfs.xfs, which is not installed (apt-get install xfsprogs)", e.getMessage());
    }

    @Test
    void withoutRootItIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoopImage.check(KernelFs.btrfs, name -> Path.of("/sbin", name), false));
        assertTrue(e.getMessage().contains("needs root"), e.getMessage());
        LoopImage.check(KernelFs.dir, name -> null, false); // dir makes nothing
    }

    /** Where this machine can (root, e2fsprogs): an ext4 image mounts, takes a punch, and leaves nothing behind. */
    @Test
    void anExt4ImageIsMadeUsedAndRemoved() throws Exception {
        try {
            LoopImage.check(KernelFs.ext4);
        } catch (IllegalArgumentException e) {
            assumeTrue(false, e.getMessage());
        }
        Path point;
        try (LoopImage img = LoopImage.mount(KernelFs.ext4, dir.resolve("images"), 16L << 20)) {
            point = img.mountPoint();
            assertEquals("ext4", KernelMount.of(point).type());
            KernelFile.probe(point, "the image");
        }
        assertFalse(Files.exists(point), "unmounted and removed");
        try (var s = Files.list(dir.resolve("images"))) {
            assertEquals(0, s.count(), "the image file is gone");
        }
    }
}
