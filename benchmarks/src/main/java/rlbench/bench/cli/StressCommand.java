package rlbench.bench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import rlbench.fs.CacheMode;
import rlbench.fs.stress.StressRun;
import rlbench.locks.Design;
import rlbench.bench.targets.KernelFile;
import rlbench.bench.targets.KernelMount;
import rlbench.bench.targets.KernelStress;
import rlbench.bench.targets.Targets;
import rlbench.locks.DesignRegistry;

/**
 * {@code rlbench stress}: races faults, readahead, writes, punches and truncates on a small file
 * under one design, with the stale-data oracle and the lock-order checker on. Exit 0 when clean,
 * 1 on a violation, a lock-order inversion, a hang or a crash, 2 on bad input.
 */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = "Race faults, readahead, writes, punches and truncates under one design; "
                + "the stale-data oracle and lock-order checker watch.")
final class StressCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--design", required = true, paramLabel = "D", description = "a design from ./rlbench designs")
    String design;

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "S", description = "how long to run (default ${DEFAULT-VALUE})")
    long seconds;

    @Option(names = "--threads", defaultValue = "8", paramLabel = "T", description = "worker threads (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--pages", paramLabel = "P", description = "pages per file (default 64; 4096 with --design linux)")
    Integer pagesOption;

    @Option(names = "--kernel-dir", paramLabel = "DIR",
            description = "with --design linux: the folder for the real files, on the filesystem to check (default: the temporary folder)")
    Path kernelDir;

    @Option(names = "--cache-mode", defaultValue = "pagecache", paramLabel = "M",
            description = "pagecache or dax (no page cache: faults map blocks, read and write copy to and from them; "
                    + "default ${DEFAULT-VALUE})")
    String cacheModeOption;

    int pages;

    @Override
    public Integer call() throws InterruptedException {
        boolean kernel = Targets.isKernel(design);
        Design d = kernel ? null : DesignRegistry.find(design).orElseThrow(() -> new UsageException(
                "unknown design '" + design + "' (known: " + String.join(", ", Targets.names()) + ")"));
        pages = pagesOption != null ? pagesOption : kernel ? KERNEL_PAGES : 64;
        if (kernelDir != null && !kernel) {
            throw new UsageException("--kernel-dir is where --design linux makes its files; the simulated designs need none");
        }
        if (seconds < 1 || seconds > 86_400) {
            throw new UsageException("--seconds must be between 1 and 86400, got " + seconds);
        }
        if (threads < 1 || threads > 4096) {
            throw new UsageException("--threads must be between 1 and 4096, got " + threads);
        }
        if (pages < 8 || pages > 1 << 20) {
            throw new UsageException("--pages must be between 8 and 1048576, got " + pages);
        }
        CacheMode cacheMode;
        try {
            cacheMode = CacheMode.parse(cacheModeOption);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (kernel) {
            if (cacheMode != CacheMode.PAGECACHE) {
                throw new UsageException("--cache-mode " + cacheModeOption + " is the simulation's; the linux target "
                        + "runs on the page cache of the filesystem it is given");
            }
            return kernelStress();
        }
        long need = StressRun.bytesNeeded(pages);
        long have = Runtime.getRuntime().maxMemory();
        if (need > have * 3 / 4) {
            throw new UsageException(String.format("--pages %d needs about %d MiB of memory for its blocks and pages, "
                    + "more than 3/4 of this JVM's %d MiB; use fewer pages or a larger heap (RLBENCH_JAVA_OPTS=-Xmx...)",
                    pages, need >> 20, have >> 20));
        }
        // Before any filesystem class is touched: both read this once, into a static final.
        System.setProperty("rlbench.lockdep", "true");
        System.setProperty("rlbench.oracle", "true");
        PrintWriter out = spec.commandLine().getOut();
        out.printf("stress design=%s cache-mode=%s threads=%d seconds=%d seed=%d pages=%d (oracle on, lock-order checker on)%n",
                d.name(), cacheMode.lowerName(), threads, seconds, seed, pages);
        out.flush();
        StressRun.Result r;
        try {
            r = new StressRun(d::create, new StressRun.Options(threads, seconds * 1000, seed, pages, false, cacheMode))
                    .run((elapsed, ops, violations) -> {
                        out.printf("  [%3ds/%ds] ops=%d (%d/s) violations=%d%n", elapsed / 1000, seconds, ops,
                                elapsed == 0 ? 0 : ops * 1000 / elapsed, violations);
                        out.flush();
                    }, 2_000);
        } catch (OutOfMemoryError e) {
            r = null;
        }
        if (r == null || r.outOfMemory()) {
            // Not a finding about the design: say so, with the bad-input code, and no verdict line.
            spec.commandLine().getErr().println("rlbench: stress ran out of memory with --pages " + pages
                    + "; use fewer pages or a larger heap (RLBENCH_JAVA_OPTS=-Xmx...)");
            return 2;
        }
        report(out, r);
        out.printf("stress design=%s ops=%d violations=%d lockorder=%d%n", d.name(), r.ops(), r.violations(),
                r.lockOrderViolations());
        out.flush();
        return r.clean() ? 0 : 1;
    }

    /** Pages of each real file by default: 16 MiB, enough for the two files' blocks to mix. */
    private static final int KERNEL_PAGES = 4096;

    /** {@code --design linux}: {@link KernelStress} on real files in {@code --kernel-dir}. */
    private int kernelStress() throws InterruptedException {
        Path dir = kernelDir != null ? kernelDir : Path.of(System.getProperty("java.io.tmpdir"));
        String what = kernelDir != null ? "--kernel-dir " + kernelDir : "the temporary folder " + dir;
        try {
            KernelFile.probe(dir, what);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        KernelMount mount = KernelMount.of(dir);
        out.printf("stress design=linux threads=%d seconds=%d seed=%d pages=%d on %s (%s, Linux %s)%n", threads, seconds, seed,
                pages, dir, mount == null ? "mount unknown" : mount.type() + " on " + mount.device(), Targets.kernelRelease());
        out.flush();
        long t0 = System.nanoTime();
        KernelStress.Result r = new KernelStress(new KernelStress.Options(threads, seconds * 1000, seed, pages, dir.toAbsolutePath()))
                .run(ops -> {
                    long ms = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
                    out.printf("  [%3ds/%ds] ops=%d (%d/s)%n", ms / 1000, seconds, ops, ops * 1000 / ms);
                    out.flush();
                }, 2_000);
        out.printf("ran %.1f s: %d ops, %.0f ops/s%n", r.millis() / 1000.0, r.ops(), r.ops() * 1000.0 / Math.max(1, r.millis()));
        r.messages().stream().limit(5).forEach(m -> out.println("  " + m));
        if (r.failure() != null) {
            out.println("CRASH: " + r.failure());
        }
        out.printf("stress design=linux ops=%d violations=%d foreign=%d nonzero_hole=%d%n", r.ops(), r.violations(), r.foreign(),
                r.nonzeroHole());
        out.flush();
        return r.violations() == 0 && r.failure() == null ? 0 : 1;
    }

    private static void report(PrintWriter out, StressRun.Result r) {
        out.printf("ran %.1f s: %d ops, %.0f ops/s%n", r.millis() / 1000.0, r.ops(), r.ops() * 1000.0 / Math.max(1, r.millis()));
        if (r.violations() > 0) {
            out.printf("first violation after %.3f s; by kind:", r.firstViolationNanos() / 1e9);
            for (Map.Entry<?, Long> e : r.byKind().entrySet()) {
                out.printf(" %s=%d", e.getKey(), e.getValue());
            }
            out.println();
            r.messages().stream().limit(5).forEach(m -> out.println("  " + m));
        }
        r.lockOrderReports().forEach(m -> out.println("  " + m));
        if (r.hang() != null) {
            out.println("HANG: " + r.hang());
        }
        if (r.failure() != null) {
            out.println("CRASH: " + r.failure());
        }
    }
}
