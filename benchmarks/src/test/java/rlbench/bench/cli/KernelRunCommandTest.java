package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --designs ...,linux [--kernel-dir DIR]}: a folder the linux target cannot use is
 * refused with one line and exit 2 before anything runs, and no run folder is made.
 */
class KernelRunCommandTest {

    @TempDir
    Path dir;

    private Cli run(String... args) {
        return Cli.run("run", args);
    }

    @Test
    void aKernelDirThatDoesNotExistIsRefused() {
        Path out = dir.resolve("out");
        Cli c = run("--profile", "smoke", "--designs", "linux", "--out", out.toString(), "--kernel-dir",
                dir.resolve("missing").toString()).assertBadInput();
        assertTrue(c.err().contains("--kernel-dir " + dir.resolve("missing") + " is not a folder that exists"), c.err());
        assertFalse(Files.exists(out), "no run folder for a refused run");
    }

    /** A read-only filesystem (root: a read-only tmpfs; otherwise a folder without write permission). */
    @Test
    void aKernelDirThatIsNotWritableIsRefused() throws Exception {
        Path ro = Files.createDirectories(dir.resolve("ro"));
        boolean mounted = sh("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro.toString()) == 0;
        if (!mounted) {
            assumeTrue(ro.toFile().setWritable(false, false) && !Files.isWritable(ro), "cannot make a folder unwritable here");
        }
        try {
            Cli c = run("--profile", "smoke", "--designs", "linux", "--out", dir.resolve("out").toString(),
                    "--kernel-dir", ro.toString()).assertBadInput();
            assertTrue(c.err().contains("--kernel-dir " + ro + " is not writable"), c.err());
            assertFalse(Files.exists(dir.resolve("out")));
        } finally {
            if (mounted) {
                assertEquals(0, sh("umount", ro.toString()));
            } else {
                ro.toFile().setWritable(true, false);
            }
        }
    }

    @Test
    void anEmptyKernelDirOrAFileIsRefused() throws Exception {
        Path out = dir.resolve("out");
        Cli empty = run("--profile", "smoke", "--designs", "linux", "--out", out.toString(), "--kernel-dir", "").assertBadInput();
        assertTrue(empty.err().contains("--kernel-dir is empty: name a folder"), empty.err());
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Cli notDir = run("--profile", "smoke", "--designs", "linux", "--out", out.toString(), "--kernel-dir", file.toString())
                .assertBadInput();
        assertTrue(notDir.err().contains("is a file, not a folder"), notDir.err());
        assertFalse(Files.exists(out), "no run folder for a refused run");
    }

    @Test
    void aKernelDirWithoutALinuxTargetIsRefused() {
        Cli c = run("--profile", "smoke", "--designs", "rwsem", "--out", dir.resolve("out").toString(),
                "--kernel-dir", dir.toString()).assertBadInput();
        assertTrue(c.err().contains("add linux to --designs"), c.err());
    }

    @Test
    void theSimulatedDeviceLatencyIsRefusedForTheKernel() {
        Cli c = run("--profile", "smoke", "--designs", "linux", "--workloads", "fault", "--out", dir.resolve("out").toString(),
                "--kernel-dir", dir.toString(), "-p", "deviceLatencyNs=1000").assertBadInput();
        assertTrue(c.err().contains("deviceLatencyNs=1000 is the simulated device's"), c.err());
    }

    @Test
    void anUnknownKernelFsIsRefused() {
        Cli c = run("--profile", "smoke", "--designs", "linux", "--workloads", "punch", "--out", dir.resolve("out").toString(),
                "--kernel-dir", dir.toString(), "-p", "kernelFs=zfs").assertBadInput();
        assertTrue(c.err().contains("kernelFs=zfs"), c.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aKernelFsWithoutALinuxTargetIsRefused() {
        Cli c = run("--profile", "smoke", "--designs", "rwsem", "--out", dir.resolve("out").toString(), "-p", "kernelFs=ext4")
                .assertBadInput();
        assertTrue(c.err().contains("add linux to --designs"), c.err());
    }

    /** ramfs has no fallocate: refused as a filesystem without hole punching (needs root to mount). */
    @Test
    void aFilesystemThatRefusesHolePunchingIsRefusedBeforeAnythingRuns() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("ramfs"));
        assumeTrue(sh("mount", "-t", "ramfs", "ramfs", mnt.toString()) == 0, "mounting ramfs needs root");
        try {
            Path out = dir.resolve("out");
            Cli c = run("--profile", "smoke", "--designs", "linux", "--out", out.toString(), "--kernel-dir", mnt.toString())
                    .assertBadInput();
            assertTrue(c.err().contains("refuses hole punching"), c.err());
            assertFalse(Files.exists(out));
        } finally {
            assertEquals(0, sh("umount", mnt.toString()));
        }
    }

    private static int sh(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
