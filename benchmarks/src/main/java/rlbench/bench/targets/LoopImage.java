package rlbench.bench.targets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A filesystem made for a run: a sparse image file, {@code mkfs}'d and loop-mounted on a folder
 * beside it, for {@code -p kernelFs=ext4|xfs|btrfs}. {@link #close} unmounts it (the loop device
 * goes with it: {@code mount -o loop} sets it to clear itself) and removes the image and folder;
 * the runner also closes it from a shutdown hook, so a Ctrl-C leaves nothing mounted.
 */
public final class LoopImage implements AutoCloseable {

    /** The smallest image: xfs refuses filesystems under 300 MiB. */
    private static final long MIN_BYTES = 512L << 20;

    private final KernelFs fs;
    private final Path image;
    private final Path mountPoint;

    private LoopImage(KernelFs fs, Path image, Path mountPoint) {
        this.fs = fs;
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /**
     * Whether this machine can make {@code fs} images: its {@code mkfs} found, and root, which
     * mounting needs. Checked before anything runs.
     *
     * @throws IllegalArgumentException with one line: what is missing and how to get it
     */
    public static void check(KernelFs fs) {
        check(fs, LoopImage::find, isRoot());
    }

    /** {@link #check(KernelFs)} with the program lookup and the privilege given: what tests drive. */
    static void check(KernelFs fs, java.util.function.Function<String, Path> finder, boolean root) {
        if (fs == KernelFs.dir) {
            return;
        }
        if (finder.apply(fs.mkfs()) == null) {
            throw new IllegalArgumentException("-p kernelFs=" + fs + " needs " + fs.mkfs() + ", which is not installed "
                    + "(apt-get install " + fs.debianPackage() + ")");
        }
        if (!root) {
            throw new IllegalArgumentException("-p kernelFs=" + fs + " loop-mounts an image, which needs root");
        }
    }

    /**
     * The image of {@code fs} in {@code dir}, not made yet: {@link #make} makes it. Held by the
     * caller (and its shutdown hook) before anything exists, so a Ctrl-C while it is being made
     * still finds it to close.
     */
    public static LoopImage at(KernelFs fs, Path dir) {
        return new LoopImage(fs, dir.resolve(fs + ".img"), dir.resolve(fs.name()));
    }

    /** Makes and mounts an image of {@code fs} with room for {@code bytes} of files, in {@code dir}. */
    public static LoopImage mount(KernelFs fs, Path dir, long bytes) throws IOException {
        LoopImage l = at(fs, dir);
        l.make(bytes);
        return l;
    }

    /**
     * Makes the image with room for {@code bytes} of files, and mounts it. {@link #close} waits for
     * this to end (both hold the image's monitor), so a close from a shutdown hook cannot miss a
     * mount still in progress. On failure, what was made is removed.
     *
     * @throws IOException naming the command that failed and its output
     */
    public synchronized void make(long bytes) throws IOException {
        try {
            Files.createDirectories(mountPoint);
            try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(Math.max(MIN_BYTES, bytes + bytes / 4 + (256L << 20)));
            }
            List<String> mkfs = new ArrayList<>(List.of(find(fs.mkfs()).toString()));
            mkfs.add(switch (fs) {
                case ext4 -> "-qF";
                case xfs, btrfs -> "-fq";
                case dir -> throw new IllegalStateException();
            });
            mkfs.add(image.toString());
            run(mkfs);
            run(List.of("mount", "-o", "loop", image.toString(), mountPoint.toString()));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    public KernelFs fs() {
        return fs;
    }

    /** The mounted folder the linux target makes its files in. */
    public Path mountPoint() {
        return mountPoint;
    }

    /**
     * Unmounts, then removes the image and the folder; safe to call twice, and from a shutdown
     * hook. On Ctrl-C a benchmark JVM may still be exiting with its file open on the image, so a
     * busy unmount is retried for a few seconds and then made lazy ({@code umount -l}: detached
     * now, released, loop device included, when that JVM is gone).
     */
    @Override
    public synchronized void close() {
        try {
            // Asked of the kernel, not remembered: a mount that timed out may still have happened.
            if (isMounted()) {
                unmount();
            }
            Files.deleteIfExists(image);
            Files.deleteIfExists(mountPoint);
        } catch (IOException e) {
            System.err.println("rlbench: could not remove the " + fs + " image at " + image + ": " + e.getMessage());
        }
    }

    private void unmount() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                run(List.of("umount", mountPoint.toString()));
                return;
            } catch (IOException busy) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        run(List.of("umount", "-l", mountPoint.toString()));
    }

    /** Whether the mount point is mounted now, by {@code /proc/self/mountinfo}. */
    private boolean isMounted() {
        KernelMount m = Files.isDirectory(mountPoint) ? KernelMount.of(mountPoint) : null;
        try {
            return m != null && Path.of(m.point()).equals(mountPoint.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Runs a command with a 2-minute limit; its output goes to a temporary file, so a command that
     * hangs holding its output open cannot hang this one past the limit.
     */
    private static void run(List<String> command) throws IOException {
        Path log = Files.createTempFile("rlbench-loop-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(String.join(" ", command) + " did not finish in 2 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(String.join(" ", command) + " was interrupted");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log).trim().replace('\n', ' '));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** A program on PATH or in the sbin folders, which a non-login PATH may lack; null when absent. */
    private static Path find(String program) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String d : dirs) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return Path.of(d, program);
            }
        }
        return null;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // the effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
