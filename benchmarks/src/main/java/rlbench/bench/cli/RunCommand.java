package rlbench.bench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import rlbench.bench.machine.CpuPinning;
import rlbench.bench.machine.MachineProbe;
import rlbench.bench.machine.MachineSettings;
import rlbench.bench.report.Report;
import rlbench.bench.report.RunSummary;
import rlbench.bench.results.EnvJson;
import rlbench.bench.results.LockStatCsv;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.RunFolder;
import rlbench.bench.run.ForkJvm;
import rlbench.bench.run.JmhLock;
import rlbench.bench.run.Preflight;
import rlbench.bench.run.Profile;
import rlbench.bench.run.RunPlan;
import rlbench.bench.run.Rounds;
import rlbench.bench.run.SuiteRunner;
import rlbench.bench.run.Workload;
import rlbench.bench.targets.KernelFile;
import rlbench.bench.targets.KernelFs;
import rlbench.bench.targets.LoopImage;
import rlbench.bench.targets.KernelMount;
import rlbench.bench.targets.Targets;
import rlbench.locks.DesignRegistry;

/**
 * {@code rlbench run}: the thread-count sweep. Every input is checked before anything runs (the
 * options, no list item given twice, the plan, each parameter value against its benchmark field's
 * declaration and the workload's rules, each benchmark's memory against the forks' limits, the
 * fork JVM options by starting that JVM once, JMH's lock, the output folder); each bad one gets
 * one line and exit 2.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the benchmark suite over designs, workloads and thread counts; write a run folder.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", defaultValue = "quick", paramLabel = "P",
            description = "smoke (minutes), quick (default), full (bare metal: 3 forks, threads to 2x cores)")
    String profile;

    @Option(names = "--designs", paramLabel = "a,b", description = "designs to run (default: all)")
    String designs;

    @Option(names = "--workloads", paramLabel = "w,...", description = "fault, write, punch, mixed, locks, floor (default: the profile's)")
    String workloads;

    @Option(names = "--threads", paramLabel = "1,2,4", description = "thread counts (default: the profile's; locks runs at 1 only)")
    String threads;

    @Option(names = "-p", paramLabel = "name=v1,v2", description = "benchmark parameter values; repeatable")
    List<String> params = new ArrayList<>();

    @Option(names = "--jvm-args", paramLabel = "\"ARGS\"",
            description = "JVM options appended to every forked benchmark JVM, split at spaces, e.g. \"-Xmx2g\"")
    String jvmArgs;

    @Option(names = "--cpus", paramLabel = "LIST",
            description = "pin the benchmark JVMs to these CPUs with taskset, e.g. 2-3 or 0,2,4-5 (repeats are merged; see ./rlbench doctor)")
    String cpus;

    @Option(names = "--rounds", paramLabel = "R",
            description = "run every benchmark once per round, each round in a fresh random order (default: the profile's; smoke 1, quick 3, full 3)")
    String rounds;

    @Option(names = "--seed", paramLabel = "N",
            description = "seed of the rounds' random orders, 0 or more (default: drawn at random); env.json records it and every order")
    String seed;

    @Option(names = "--out", paramLabel = "DIR", description = "run folder, new or empty (default: results/runs/<timestamp>-<profile>/)")
    Path outDir;

    @Option(names = "--kernel-dir", paramLabel = "DIR",
            description = "with --designs ...,linux: the folder the linux target makes its files in, on the filesystem to measure "
                    + "(default: a scratch folder in the run folder)")
    Path kernelDir;

    @Override
    public Integer call() throws IOException {
        if (outDir != null && outDir.toString().isEmpty()) {
            throw new UsageException("--out is empty: name the folder for the run, or leave --out out for results/runs/<timestamp>-<profile>/");
        }
        Profile p = parse(() -> Profile.parse(profile));
        int roundCount = rounds == null ? p.defaultRounds() : parseRounds(rounds);
        long seedValue = seed == null ? new java.security.SecureRandom().nextLong() & Long.MAX_VALUE : parseSeed(seed);
        List<String> designList = designs == null ? DesignRegistry.names() : splitList("--designs", designs);
        for (String d : designList) {
            if (!Targets.known(d)) {
                throw new UsageException("unknown design '" + d + "' (known: " + String.join(", ", Targets.names()) + ")");
            }
        }
        boolean kernel = designList.contains(Targets.LINUX);
        if (kernelDir != null && !kernel) {
            throw new UsageException("--kernel-dir is where the linux target makes its files: add linux to --designs");
        }
        if (!kernel && params != null && params.stream().anyMatch(x -> x.startsWith(KernelFs.PARAM + "="))) {
            throw new UsageException("-p " + KernelFs.PARAM + " is where the linux target's file lives: add linux to --designs");
        }
        List<Workload> workloadList = workloads == null ? p.workloads
                : splitList("--workloads", workloads).stream().map(w -> parse(() -> Workload.parse(w))).toList();
        MachineProbe machine = MachineProbe.live();
        CpuPinning pinning = cpus == null ? null : parse(() -> CpuPinning.check(cpus, machine));
        // the full profile sweeps to twice the CPUs the forks may use: the pinned ones when pinned
        List<Integer> threadList = threads == null
                ? p.defaultThreads(pinning == null ? Runtime.getRuntime().availableProcessors() : pinning.cpus().size())
                : parseThreads(threads);
        Map<String, List<String>> paramMap = parseParams(params);
        ForkJvm forks = parse(() -> ForkJvm.parse(jvmArgs));
        RunPlan plan = parse(() -> RunPlan.expand(p, designList, workloadList, threadList, paramMap));
        parse(() -> {
            Preflight.check(plan, p, paramMap, forks);
            forks.probe();
            return null;
        });
        Rounds order = parse(() -> Rounds.draw(roundCount, seedValue, plan.specs().size()));
        Path plannedOut = plannedOut(p);
        if (kernel) {
            // Before the run folder exists: a folder the linux target cannot use refuses the run with nothing made.
            Path probeDir = kernelDir != null ? kernelDir : existingAncestor(plannedOut);
            String what = kernelDir != null ? "--kernel-dir " + kernelDir : "the run folder's filesystem (" + probeDir + ")";
            parse(() -> {
                KernelFile.probe(probeDir, what);
                kernelFsValues(plan).forEach(LoopImage::check);
                return null;
            });
        }
        Path forkLauncher = pinning == null ? null : parse(pinning::launchScript);
        // probed before the folder is made: whatever the probe meets, nothing is left behind
        MachineSettings settings = pinning == null ? machine.probe() : machine.probe().pinnedTo(pinning.cpus());
        boolean outExisted = Files.exists(plannedOut);
        Path out = prepareOut(plannedOut);
        Path kernelFiles = kernel ? kernelFolder(out) : null;
        Path scratch = kernelDir == null ? kernelFiles : null;
        // Made as they are mounted, and released from the hook too: a Ctrl-C at any point, the
        // mounting included, leaves nothing mounted and no empty folder.
        List<LoopImage> images = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread unmount = new Thread(() -> releaseKernel(images, out, scratch));
        Runtime.getRuntime().addShutdownHook(unmount);
        if (kernel) {
            mountImages(plan, out, images, () -> {
                releaseKernel(images, out, scratch);
                removeHook(unmount);
                if (!outExisted) {
                    try {
                        Files.deleteIfExists(out);
                    } catch (IOException ignored) {
                        // the refusal is what matters; an empty folder may remain
                    }
                }
            });
        }

        PrintWriter console = spec.commandLine().getOut();
        PrintWriter errors = spec.commandLine().getErr();
        List<String> command = new ArrayList<>(List.of("./rlbench"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        RunFolder folder = RunFolder.at(out);
        EnvJson env = EnvJson.collect(p.lowerName(), command, repositoryRoot(), forks.args(), forks.maxHeapBytes())
                .put("machine", settings.toJson())
                .put("rounds", order.toJson(plan.specs().stream().map(RunCommand::label).toList()));
        if (kernelFiles != null) {
            Map<String, Object> targets = new LinkedHashMap<>();
            targets.put(KernelFs.dir.name(), kernelTarget(kernelFiles));
            images.forEach(i -> targets.put(i.fs().name(), kernelTarget(i.mountPoint())));
            env.put("kernel_target", targets);
        }
        env.write(folder.envJson());
        ResultsCsv csv = ResultsCsv.create(folder.resultsCsv(), folder.name(), plan.paramColumns());
        SuiteRunner runner = new SuiteRunner(p, out, csv, console, forks);
        runner.lockStatsTo(LockStatCsv.create(folder.lockstatCsv(), folder.name(), plan.paramColumns()));
        if (forkLauncher != null) {
            runner.forkThrough(forkLauncher);
        }
        if (kernelFiles != null) {
            runner.kernelFilesIn(KernelFs.dir, kernelFiles);
            images.forEach(i -> runner.kernelFilesIn(i.fs(), i.mountPoint()));
        }
        int total = plan.specs().size() * roundCount;
        Thread onInterrupt = new Thread(() -> System.err.printf(roundCount == 1
                ? "%nrlbench: interrupted after %d of %d benchmarks; their rows are in %s (./rlbench report %s draws them)%n"
                : "%nrlbench: interrupted after %d of %d benchmark runs; each round's rows are in %s, but the rows aggregated "
                        + "over the rounds, which ./rlbench report %s draws, are written after the last round%n",
                runner.finished(), total, folder.resultsCsv(), out));
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        console.printf("run %s: profile %s, %d benchmarks%s, writing %s%n", out.getFileName(), p.lowerName(), total,
                roundCount == 1 ? "" : " (" + plan.specs().size() + " in each of " + roundCount + " rounds, seed " + seedValue + ")", out);
        int failures;
        try {
            failures = runner.run(plan, order);
        } finally {
            releaseKernel(images, out, scratch);
            removeHook(unmount);
        }
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
        // From here every finished benchmark's rows are written; an interrupt loses only the report.
        Thread onReportInterrupt = new Thread(() -> System.err.printf(
                "%nrlbench: interrupted while drawing the report; the rows of %d benchmarks are in %s (./rlbench report %s draws it)%n",
                runner.finished(), out.resolve("results.csv"), out));
        Runtime.getRuntime().addShutdownHook(onReportInterrupt);
        try {
            RunSummary.print(runner.rows(), console);
            console.printf("results: %s%n", folder.resultsCsv());
            if (runner.rows().isEmpty()) {
                errors.printf("rlbench: all %d benchmarks failed, no rows; the reason is on each FAILED line above and in "
                        + "JMH's logs, %s%n", total, folder.jmh().resolve("*.log"));
                return 1;
            }
            try {
                Report.Written w = Report.write(out);
                console.printf("report: %s (%d plots), %s%n", w.html(), w.plots(), w.markdown());
            } catch (IOException | RuntimeException e) {
                errors.printf("rlbench: the report failed (%s); the results are kept; retry with ./rlbench report %s%n",
                        e.getMessage(), out);
                return 1;
            }
        } finally {
            Runtime.getRuntime().removeShutdownHook(onReportInterrupt);
        }
        if (failures > 0) {
            errors.printf("rlbench: %d of %d benchmarks failed (the FAILED lines above name them and JMH's logs, %s); "
                    + "the report shows the rest%n", failures, total, folder.jmh().resolve("*.log"));
            return 1;
        }
        return 0;
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(Parse<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * A comma-separated list. Every list names each item once: a repeat would run each of its
     * benchmarks twice and write duplicate rows, and is more likely a typo for another item than
     * meant, so it is refused rather than dropped.
     */
    private static List<String> splitList(String option, String value) {
        String[] parts = value.split(",", -1);
        Set<String> seen = new HashSet<>();
        for (String s : parts) {
            if (s.isBlank()) {
                throw new UsageException(option + " has an empty item: '" + value + "'");
            }
            if (!seen.add(s)) {
                throw new UsageException(option + " lists '" + s + "' twice in '" + value + "'; name each once");
            }
        }
        return List.of(parts);
    }

    static int parseRounds(String value) {
        try {
            int r = Integer.parseInt(value.trim());
            if (r >= 1 && r <= Rounds.MAX) {
                return r;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UsageException("--rounds wants a whole number from 1 to " + Rounds.MAX + ", got '" + value + "'");
    }

    static long parseSeed(String value) {
        try {
            long s = Long.parseLong(value.trim());
            if (s >= 0) {
                return s;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new UsageException("--seed wants a whole number from 0 to " + Long.MAX_VALUE + ", got '" + value + "'");
    }

    /** A benchmark as env.json's round orders name it: design, workload/method, threads, parameters. */
    private static String label(RunPlan.Spec s) {
        StringBuilder sb = new StringBuilder(s.design() + " " + s.workload().lowerName() + "/" + s.variant().method() + " t" + s.threads());
        s.recordedParams().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    static List<Integer> parseThreads(String value) {
        List<Integer> out = new ArrayList<>();
        for (String s : splitList("--threads", value)) {
            int n;
            try {
                n = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--threads wants positive whole numbers, got '" + s + "' in '" + value + "'");
            }
            if (n < 1 || n > 4096) {
                throw new UsageException("--threads wants counts from 1 to 4096, got " + n + " in '" + value + "'");
            }
            if (out.contains(n)) {
                throw new UsageException("--threads lists " + n + " twice in '" + value + "'; name each once");
            }
            out.add(n);
        }
        return out;
    }

    static Map<String, List<String>> parseParams(List<String> raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String r : raw) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1 || !r.substring(0, eq).matches("[A-Za-z][A-Za-z0-9_]*")) {
                throw new UsageException("-p wants name=value[,value...], got '" + r + "'");
            }
            String name = r.substring(0, eq);
            if (name.equals("design")) {
                throw new UsageException("choose designs with --designs, not -p design=...");
            }
            if (out.containsKey(name)) {
                throw new UsageException("-p " + name + " is given twice; give its values once, comma-separated: -p "
                        + name + "=a,b");
            }
            out.put(name, splitList("-p " + name, r.substring(eq + 1)));
        }
        return out;
    }

    /** The run folder: --out, or a new one under results/runs/ named by the time and the profile. */
    private Path plannedOut(Profile p) {
        return outDir != null ? outDir : repositoryRoot().resolve("results").resolve("runs")
                .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + p.lowerName());
    }

    /** The nearest folder at or above {@code p} that exists: where a folder not made yet will live. */
    private static Path existingAncestor(Path p) {
        Path at = p.toAbsolutePath().normalize();
        while (at != null && !Files.isDirectory(at)) {
            at = at.getParent();
        }
        return at == null ? Path.of("/") : at;
    }

    /** Where the linux target makes its files: --kernel-dir, or a scratch folder in the run folder. */
    private Path kernelFolder(Path out) throws IOException {
        return kernelDir != null ? kernelDir.toAbsolutePath() : Files.createDirectories(out.resolve("kernel-scratch"));
    }

    /**
     * After the run, or on Ctrl-C: unmounts and removes the -p kernelFs images and their folder,
     * and the default scratch folder (empty: the linux target unlinks its files as it makes them).
     */
    private static void releaseKernel(List<LoopImage> images, Path out, Path scratch) {
        images.forEach(LoopImage::close);
        for (Path p : java.util.Arrays.asList(out.resolve(IMAGES), scratch)) {
            try {
                if (p != null) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.err.println("rlbench: could not remove " + p + ": " + e.getMessage());
            }
        }
    }

    /** The run folder's subfolder for -p kernelFs images while the run lasts. */
    private static final String IMAGES = "kernel-images";

    /** The made filesystems the linux target's benchmarks ask for ({@code -p kernelFs}, dir left out). */
    private static java.util.Set<KernelFs> kernelFsValues(RunPlan plan) {
        java.util.Set<KernelFs> out = java.util.EnumSet.noneOf(KernelFs.class);
        for (RunPlan.Spec s : plan.specs()) {
            String v = s.params().get(KernelFs.PARAM);
            if (Targets.isKernel(s.design()) && v != null && !v.equals(KernelFs.dir.name())) {
                out.add(KernelFs.valueOf(v));
            }
        }
        return out;
    }

    /**
     * Makes and mounts each -p kernelFs image, sized for the largest file the linux target's
     * benchmarks make. A failure removes what was made, the run folder included, and refuses the run.
     */
    private static void mountImages(RunPlan plan, Path out, List<LoopImage> images, Runnable undo) {
        long pages = plan.specs().stream().filter(s -> Targets.isKernel(s.design()))
                .mapToLong(s -> Long.parseLong(s.params().getOrDefault("filePages", "0"))).max().orElse(0);
        try {
            for (KernelFs fs : kernelFsValues(plan)) {
                LoopImage image = LoopImage.at(fs, out.resolve(IMAGES));
                images.add(image); // before it exists: the hook must find it if a Ctrl-C lands while it is made
                image.make(pages * KernelFile.PAGE);
            }
        } catch (IOException | RuntimeException e) {
            undo.run();
            throw new UsageException("cannot make the -p kernelFs image: " + e.getMessage());
        }
    }

    /** Removes a shutdown hook; during shutdown (a Ctrl-C) the hook is running already, which is fine. */
    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook itself releases what it must
        }
    }

    /** env.json's record of the linux target: the kernel release and the folder's mount. */
    private static Map<String, Object> kernelTarget(Path dir) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel_release", Targets.kernelRelease());
        m.put("dir", dir.toString());
        KernelMount mount = KernelMount.of(dir);
        if (mount != null) {
            m.putAll(mount.toJson());
        }
        return m;
    }

    private Path prepareOut(Path out) {
        try {
            if (Files.exists(out)) {
                if (!Files.isDirectory(out)) {
                    throw new UsageException("--out " + out + " is a file, not a folder");
                }
                try (var entries = Files.list(out)) {
                    if (entries.findAny().isPresent()) {
                        throw new UsageException("--out " + out + " is not empty; choose a new folder so no earlier results are overwritten");
                    }
                }
            }
            // Last, just before the folder is made: whether another run is using the machine.
            parse(() -> {
                JmhLock.checkFree();
                return null;
            });
            Files.createDirectories(out);
            Path probe = Files.createTempFile(out, ".probe", "");
            Files.writeString(probe, "x", StandardCharsets.UTF_8);
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UsageException("cannot write to --out " + out + ": " + e.getMessage());
        }
        return out.toAbsolutePath();
    }

    /** The repository root: the launcher says where it is; otherwise the working directory. */
    private static Path repositoryRoot() {
        String home = System.getenv("RLBENCH_HOME");
        return Path.of(home != null && !home.isBlank() ? home : ".").toAbsolutePath().normalize();
    }
}
