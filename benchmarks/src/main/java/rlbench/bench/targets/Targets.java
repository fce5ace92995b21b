package rlbench.bench.targets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import rlbench.locks.DesignRegistry;

/**
 * What a workload can run on: every simulated design of {@link DesignRegistry}, and
 * {@value #LINUX}, a real file on this machine's own kernel ({@link KernelFile}), which is not a
 * design but the ground truth beside them. The workloads take either as their {@code design}.
 */
public final class Targets {

    /** The name of the real-kernel target. */
    public static final String LINUX = "linux";

    /**
     * The system property naming the folder where the {@value #LINUX} target makes its files; the
     * runner sets it for its forks ({@code run --kernel-dir}, by default a scratch folder in the
     * run folder).
     */
    public static final String KERNEL_DIR_PROPERTY = "rlbench.kernel.dir";

    private Targets() {
    }

    /** Whether {@code name} is the real-kernel target. */
    public static boolean isKernel(String name) {
        return LINUX.equals(name);
    }

    /** Whether {@code name} is a design or the real-kernel target. */
    public static boolean known(String name) {
        return isKernel(name) || DesignRegistry.find(name).isPresent();
    }

    /** Every design's name, in registry order, then {@value #LINUX}. */
    public static List<String> names() {
        List<String> out = new ArrayList<>(DesignRegistry.names());
        out.add(LINUX);
        return out;
    }

    /** This machine's kernel release ({@code uname -r}), as the JVM reads it. */
    public static String kernelRelease() {
        return System.getProperty("os.version");
    }

    /**
     * The folder for the {@value #LINUX} target's files on {@code fs}: the property the runner
     * sets for it ({@link KernelFs#property}); for {@code dir} without one, the JVM's temporary
     * folder (what a bare {@code rlbench jmh} gets).
     *
     * @throws IllegalStateException for a made filesystem the runner did not mount (a bare {@code rlbench jmh -p kernelFs=xfs})
     */
    public static Path kernelDir(KernelFs fs) {
        String dir = System.getProperty(fs.property());
        if (dir == null && fs != KernelFs.dir) {
            throw new IllegalStateException("-p " + KernelFs.PARAM + "=" + fs + " runs on an image that ./rlbench run mounts; "
                    + "this JVM was given none (" + fs.property() + ")");
        }
        return Path.of(dir != null ? dir : System.getProperty("java.io.tmpdir"));
    }
}
