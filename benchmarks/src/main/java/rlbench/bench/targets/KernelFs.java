package rlbench.bench.targets;

/**
 * Where the {@code linux} target's file lives ({@code -p kernelFs}): {@code dir}, in the folder
 * {@code run --kernel-dir} names (by default the run folder's own filesystem), or on a new
 * loop-mounted image of ext4, xfs or btrfs that the runner makes for the run and removes after it
 * ({@link LoopImage}). Lower case, as JMH prints and takes it. The simulated designs have no use
 * for it: they run once, at {@code dir}.
 */
public enum KernelFs {
    dir,
    ext4,
    xfs,
    btrfs;

    /** The parameter's name. */
    public static final String PARAM = "kernelFs";

    /** The {@code mkfs} program that makes this filesystem, and the Debian package it comes in. */
    String mkfs() {
        return "mkfs." + name();
    }

    String debianPackage() {
        return switch (this) {
            case ext4 -> "e2fsprogs";
            case xfs -> "xfsprogs";
            case btrfs -> "btrfs-progs";
            case dir -> throw new IllegalStateException("dir makes no filesystem");
        };
    }

    /** The system property naming the folder for this filesystem's files, set by the runner for its forks. */
    public String property() {
        return this == dir ? Targets.KERNEL_DIR_PROPERTY : Targets.KERNEL_DIR_PROPERTY + "." + name();
    }
}
