package rlbench.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import rlbench.bench.machine.Doctor;
import rlbench.bench.output.Doc;
import rlbench.bench.output.HtmlReporter;
import rlbench.bench.output.MarkdownReporter;
import rlbench.bench.results.Histograms;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.Row;
import rlbench.bench.results.RunFolder;
import rlbench.bench.results.StagedOutputs;
import rlbench.bench.run.Profile;
import rlbench.bench.run.Workload;
import rlbench.locks.Design;
import rlbench.bench.targets.Targets;
import rlbench.locks.DesignRegistry;

/**
 * {@code report.md}, {@code report.html} and {@code plots/*.png} for one run folder. The page
 * opens with the machine, the caveats that limit what its numbers mean, and one table of every
 * design against the unsafe floor; then one section per workload with a design x threads table
 * and its plots. Only these three outputs are written; the run's measurements are never touched.
 *
 * <p>All three are written in a staging folder first and renamed into place together once every
 * input was read and every output written ({@link StagedOutputs}): a report that fails (an
 * unreadable histogram, a full disk) leaves the previous report and its plots as they were.
 */
public final class Report {

    /** What a report wrote: the two documents and how many plots. */
    public record Written(Path markdown, Path html, int plots) {
    }

    /** A 99.9% interval wider than this fraction of the value, either side, is called wide. */
    static final double WIDE_CI = 0.25;

    private final RunData run;
    private final Plots plots;
    private final Path plotDir;
    private int plotCount;

    /** {@code plotDir}: where the plots are drawn, the staged {@code plots/} while writing. */
    private Report(RunData run, Path plotDir) {
        this.run = run;
        this.plots = new Plots(run.designs());
        this.plotDir = plotDir;
    }

    /**
     * Writes the report for the run in {@code runDir}.
     *
     * @throws IllegalArgumentException with one line when the folder or its results.csv is bad
     * @throws IOException when the outputs cannot be written
     */
    public static Written write(Path runDir) throws IOException {
        if (Files.exists(runDir) && !Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("not a run folder: " + runDir + " (report takes the folder that holds results.csv)");
        }
        RunData run = RunData.load(runDir);
        if (run.groups.isEmpty()) {
            throw new IllegalArgumentException(run.folder.resultsCsv() + " has no rows to report");
        }
        try (StagedOutputs out = StagedOutputs.in(runDir)) {
            Report r = new Report(run, out.folder(RunFolder.PLOTS));
            // out.dir() holds the staged plots/, which the page embeds
            Doc doc = r.build(out.dir());
            Files.writeString(out.file(RunFolder.REPORT_MD), new MarkdownReporter().document(doc), StandardCharsets.UTF_8);
            Files.writeString(out.file(RunFolder.REPORT_HTML), new HtmlReporter().document(doc), StandardCharsets.UTF_8);
            out.commit();
            return new Written(run.folder.reportMd(), run.folder.reportHtml(), r.plotCount);
        }
    }

    /** {@code base}: the folder the figures' files are read from, where {@code plots/} is staged. */
    private Doc build(Path base) throws IOException {
        Doc doc = new Doc("rangelock-bench " + run.runId, base);
        doc.add(new Doc.Heading(1, "rangelock-bench run `" + run.runId + "`"));
        doc.add(new Doc.Para("Profile **" + orDash(run.env("profile")) + "**, started " + orDash(run.env("started"))
                + ". Command: `" + orDash(run.env("command")) + "`."));
        doc.add(new Doc.Heading(2, "Machine"));
        doc.add(new Doc.Bullets(machine()));
        doc.add(new Doc.Heading(2, "How to read it"));
        doc.add(new Doc.Bullets(howToRead()));
        doc.add(new Doc.Heading(2, "Caveats"));
        doc.add(new Doc.Bullets(caveats()));
        glance(doc);
        LockCost.section(run).ifPresent(blocks -> blocks.forEach(doc::add));
        Calibration.section(run).ifPresent(blocks -> blocks.forEach(doc::add));
        for (String w : run.workloads()) {
            workload(doc, w);
        }
        return doc;
    }

    private List<String> machine() {
        var env = run.envJson;
        List<String> m = new ArrayList<>();
        m.add("CPU: " + orDash(env.cpuModel().orElse("")) + ", " + (run.cores() > 0 ? run.cores() : "?") + " cores"
                + (env.memoryBytes().isPresent() ? String.format(Locale.ROOT, ", %.1f GiB memory",
                        (double) env.memoryBytes().getAsLong() / (1L << 30)) : ""));
        m.add("JDK: " + orDash(env.jdk().orElse("")) + (env.jvmMaxHeapBytes().isPresent()
                ? String.format(Locale.ROOT, ", max heap %.1f GiB", (double) env.jvmMaxHeapBytes().getAsLong() / (1L << 30)) : ""));
        m.add("JVM flags: `" + orDash(String.join(" ", env.jvmFlags())) + "`");
        if (!env.forkJvmArgs().isEmpty()) {
            m.add("Benchmark JVMs also got `" + String.join(" ", env.forkJvmArgs()) + "` (`--jvm-args`)");
        }
        m.add("OS: " + orDash(env.os().orElse("")));
        String commit = env.gitCommit().orElse("");
        m.add("Commit: `" + (commit.isEmpty() ? "unknown" : commit.substring(0, Math.min(12, commit.length()))) + "`"
                + (env.gitDirty() ? " with uncommitted changes" : ""));
        return m;
    }

    private List<String> howToRead() {
        List<String> h = new ArrayList<>();
        h.add("**p50 / p99** are percentiles of HdrHistogram histograms that time the filesystem call alone, "
                + "merged over every measurement iteration and fork" + (run.hasRounds() ? " and round" : "") + ". **ops/s** is JMH's "
                + "score for the op, " + (run.hasRounds() ? "the mean over the rounds with its 95% interval across them"
                        : "with its 99.9% confidence interval") + " in `results.csv`; it also counts each op's untimed preparation.");
        h.add("`none` takes no lock and is **unsafe** (the stress oracle catches it): it is the floor, the cost of the "
                + "simulated filesystem alone. A ratio such as **(1.15x)** is a design's p50 divided by the floor's p50 in this run, at the "
                + "same thread count and parameters. In a run of 2 or more rounds it is paired round by round: the mean of "
                + "each round's design p50 over that round's floor p50, with the half width of its 95% interval across the "
                + "rounds, **(1.15x ±0.04)**.");
        for (String d : run.designs()) {
            DesignRegistry.find(d).map(Design::origin).ifPresent(o -> h.add("`" + d + "`: " + o));
            if (Targets.isKernel(d)) {
                h.add("`" + d + "`: not simulated: this machine's kernel on a real file, with the same workload code. Its ratio "
                        + "to `none` sets the kernel against the simulation's floor, which is not like with like: read it in "
                        + "\"The real kernel beside the simulation\".");
            }
        }
        h.add("One run on one machine. To call a difference between runs, use `./rlbench compare BASE NEW`, "
                + "which tests it; the tables here only describe this run.");
        return h;
    }

    /** What limits the numbers of this run, found in the data and env.json, not assumed. */
    List<String> caveats() {
        List<String> c = new ArrayList<>();
        int cores = run.benchmarkCpus();
        TreeSet<String> over = new TreeSet<>(Comparator.comparingInt((String x) -> Integer.parseInt(x.split("\\D")[0]))
                .thenComparing(Comparator.naturalOrder()));
        int ops = 0;
        int noCi = 0;
        int wide = 0;
        int thinP99 = 0;
        int thinP999 = 0;
        for (RunData.Group g : run.groups) {
            for (String d : g.designs()) {
                for (int t : g.threads()) {
                    Row v = score(g, d, t);
                    if (cores > 0 && used(g, t) > cores && v != null) {
                        over.add(used(g, t) == t ? String.valueOf(t) : t + "+1");
                    }
                    if (v != null) {
                        ops++;
                        if (Double.isNaN(v.ciLow())) {
                            noCi++;
                        } else if (wideCi(v)) {
                            wide++;
                        }
                    }
                    Row p99 = g.value(d, t, "p99_ns");
                    if (p99 != null && p99.n() < 1000) {
                        thinP99++;
                    }
                    Row p999 = g.value(d, t, "p999_ns");
                    if (p999 != null && p999.n() < 10000) {
                        thinP999++;
                    }
                }
            }
        }
        if (!over.isEmpty()) {
            c.add("**More threads than cores** at " + String.join(", ", over) + " threads "
                    + run.pinnedCpus().map(l -> "on the " + cores + " CPUs the run was pinned to (`--cpus " + l + "`)")
                            .orElse("on this " + cores + "-core machine") + " (marked `>cores` in the tables; `+1` is the puncher thread that `puncher=on` adds to "
                    + "the workers): threads take turns on a CPU, so latency there includes waiting to be scheduled, and "
                    + "a lock holder can be preempted.");
        }
        if (wide > 0) {
            c.add("**Wide confidence intervals**: " + wide + " of " + ops + " JMH scores (ops/s or ns/op) have a 99.9% interval "
                    + "wider than +-" + Math.round(WIDE_CI * 100) + "% of the value (marked `~` in the tables). Those scores cannot "
                    + "rank designs. The latency percentiles come from many more operations but still move between runs as a "
                    + "whole: `compare` two runs before trusting a difference.");
        }
        if (noCi > 0) {
            c.add("**No interval**: " + noCi + " JMH scores (ops/s or ns/op) come from too few iterations for JMH to give one.");
        }
        if (thinP99 > 0 || thinP999 > 0) {
            c.add("**Thin tails**: " + thinP99 + " p99 values rest on fewer than 1,000 samples and " + thinP999
                    + " p999 values on fewer than 10,000; a handful of slow ops moves them.");
        }
        profile().ifPresent(p -> {
            if (p.forks < 3) {
                c.add("**" + p.forks + " fork** per benchmark (profile " + p.lowerName() + "): differences between JVM "
                        + "runs (JIT decisions, memory layout) are not sampled. The `full` profile uses 3.");
            }
        });
        missing(c);
        c.addAll(Doctor.caveats(run.env.get("machine")));
        if (Boolean.TRUE.equals(run.env.get("git_dirty"))) {
            c.add("**Uncommitted changes**: the code measured is not exactly the commit named above.");
        }
        if (run.env.isEmpty()) {
            c.add("**No env.json**: the machine, JDK and profile are unknown.");
        }
        c.add("A shared or virtual machine is noisy: one run's medians and ratios can move by tens of percent in the "
                + "next run of the same code. Confirm a difference over repeated runs with `./rlbench compare`.");
        return c;
    }

    private void missing(List<String> c) {
        List<String> gaps = new ArrayList<>();
        for (RunData.Group g : run.groups) {
            TreeSet<String> workloadDesigns = new TreeSet<>(RunData.DESIGN_ORDER);
            run.groups(g.workload).forEach(x -> workloadDesigns.addAll(x.byDesign.keySet()));
            for (String d : workloadDesigns) {
                if (!g.byDesign.containsKey(d)) {
                    gaps.add(d + " " + title(g));
                }
            }
            for (String d : g.designs()) {
                List<Integer> lacking = g.threads().stream().filter(t -> !g.byDesign.get(d).containsKey(t)).toList();
                if (!lacking.isEmpty()) {
                    gaps.add(d + " " + title(g) + " at " + lacking + " threads");
                }
            }
        }
        if (!gaps.isEmpty()) {
            c.add("**Missing measurements** (a failed or interrupted benchmark?): " + String.join("; ",
                    gaps.subList(0, Math.min(8, gaps.size()))) + (gaps.size() > 8 ? "; and " + (gaps.size() - 8) + " more" : "") + ".");
        }
    }

    /**
     * The run's profile; empty when env.json names none (an older or hand-made run).
     *
     * @throws IllegalArgumentException naming env.json when it names a profile this version does not know
     */
    private java.util.Optional<Profile> profile() {
        if (run.env("profile").isEmpty()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Profile.parse(run.env("profile")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(run.folder.envJson() + ": " + e.getMessage());
        }
    }

    /** Every latency group in one table: each design's p50 at the group's highest thread count, against the floor. */
    private void glance(Doc doc) {
        List<String> designs = run.designs().stream().filter(d -> DesignRegistry.find(d).isPresent()).toList();
        List<List<String>> rows = new ArrayList<>();
        for (RunData.Group g : run.groups) {
            if (!g.hasLatency()) {
                continue;
            }
            int t = g.threads().get(g.threads().size() - 1);
            List<String> row = new ArrayList<>(List.of(title(g), threadsLabel(g, t)));
            Row floor = g.value(Plots.FLOOR_DESIGN, t, "p50_ns");
            for (String d : designs) {
                Row v = g.value(d, t, "p50_ns");
                String cell = v == null ? "-" : ns(v.value());
                if (v != null && floor != null && !d.equals(Plots.FLOOR_DESIGN) && floor.value() > 0) {
                    Optional<PairedRatio> paired = PairedRatio.of(run.rounds(v), run.rounds(floor));
                    cell += paired.map(r -> " (" + r.text() + ")")
                            .orElse(String.format(Locale.ROOT, " (%.2fx)", v.value() / floor.value()));
                }
                row.add(cell);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            return;
        }
        doc.add(new Doc.Heading(2, "At a glance"));
        doc.add(new Doc.Para("Median latency (p50) of every workload and op at its highest thread count, and in "
                + "brackets the ratio to `none`, the unlocked floor (paired round by round, with its 95% interval, when the run "
                + "has 2 or more rounds). Below 1.00x is noise, or a lock that keeps other "
                + "threads out of the op's way: under `rwsem` a punch runs with every fault shut out."));
        List<String> header = new ArrayList<>(List.of("workload / op, parameters", "threads"));
        header.addAll(designs);
        doc.add(new Doc.Table(header, rows, 1));
    }

    private void workload(Doc doc, String w) throws IOException {
        List<RunData.Group> groups = run.groups(w);
        doc.add(new Doc.Heading(2, "Workload `" + w + "`"));
        Map<String, String> fixed = run.constantParams(w);
        if (!fixed.isEmpty()) {
            if (groups.stream().anyMatch(RunData.Group::hasLatency)) {
                doc.add(new Doc.Para("Held fixed: " + kv(fixed) + "."));
            }
        }
        if (groups.stream().anyMatch(g -> g.hasMetric(Metrics.AVGT))) {
            averageTimes(doc, groups);
            return;
        }
        if (groups.stream().noneMatch(RunData.Group::hasLatency)) {
            machineFloor(doc, groups);
            return;
        }
        rangeFigures(doc, w);
        PunchTime.section(run, w).ifPresent(blocks -> blocks.forEach(doc::add));
        PunchWaits.section(run, w).ifPresent(blocks -> blocks.forEach(doc::add));
        List<String> seenOps = new ArrayList<>();
        for (RunData.Group g : groups) {
            List<Doc.Block> blocks = groupBlocks(g);
            if (seenOps.contains(g.op)) {
                doc.add(new Doc.Fold(title(g), blocks));
            } else {
                seenOps.add(g.op);
                doc.add(new Doc.Heading(3, title(g)));
                blocks.forEach(doc::add);
            }
        }
    }

    /** One group's table (design x threads) and its plots. */
    private List<Doc.Block> groupBlocks(RunData.Group g) throws IOException {
        List<Doc.Block> out = new ArrayList<>();
        List<Integer> threads = g.threads();
        List<String> header = new ArrayList<>(List.of("design"));
        threads.forEach(t -> header.add("t=" + threadsLabel(g, t)));
        List<List<String>> rows = new ArrayList<>();
        for (String d : g.designs()) {
            List<String> row = new ArrayList<>(List.of(d));
            for (int t : threads) {
                row.add(cell(g, d, t));
            }
            rows.add(row);
        }
        out.add(new Doc.Table(header, rows, 1));
        out.add(new Doc.Para("Cells: p50 / p99 latency, then ops/s. `~`: the ops/s 99.9% interval is wider than +-"
                + Math.round(WIDE_CI * 100) + "%."));
        String slug = slug(g);
        Path f = plotDir.resolve("threads-" + slug + ".png");
        if (plots.threadsFigure(g, title(g), f)) {
            plotCount++;
            out.add(new Doc.Figure(RunFolder.PLOTS + "/" + f.getFileName(), "p50 and p99 latency (log scale where they span 10x or more) and ops/s against "
                    + "threads, " + title(g) + ". The ops/s intervals are in the table's `~` marks and in results.csv."));
        }
        if (g.hasLatency()) {
            int t = threads.get(threads.size() - 1);
            List<Plots.Line> spectra = new ArrayList<>();
            for (String d : g.designs()) {
                Path hgrm = run.folder.hgrm().resolve(Histograms.fileName(d, g.workload, g.op, t, g.params) + ".hgrm");
                if (Files.isRegularFile(hgrm)) {
                    spectra.add(Plots.line(d, readHgrm(hgrm)));
                }
            }
            Path s = plotDir.resolve("spectrum-" + slug + "-t" + t + ".png");
            if (!spectra.isEmpty() && plots.spectrumFigure(spectra, title(g) + ", " + t + " threads", s)) {
                plotCount++;
                out.add(new Doc.Figure(RunFolder.PLOTS + "/" + s.getFileName(), "Percentile spectrum at " + t + " threads, "
                        + title(g) + ", from the merged `.hgrm` histograms: how far each design's tail reaches."));
            }
        }
        return out;
    }

    /**
     * Punch latency against the punched range, where a workload ran more than one range size:
     * one plot per other-parameter set, at the lowest and the highest thread count.
     */
    private void rangeFigures(Doc doc, String w) throws IOException {
        Optional<Workload> workload = Workload.find(w);
        String rangeParam = workload.map(k -> k.rangeParam).orElse(null);
        String puncher = workload.flatMap(Workload::puncherOp).orElse(null);
        if (rangeParam == null || puncher == null) {
            return;
        }
        Map<Map<String, String>, List<RunData.Group>> byRest = new TreeMap<>(RunData.PARAMS_ORDER);
        for (RunData.Group g : run.groups(w)) {
            if (g.op.equals(puncher) && g.params.containsKey(rangeParam) && g.hasLatency()) {
                Map<String, String> rest = new TreeMap<>(run.varyingParams(g));
                rest.remove(rangeParam);
                byRest.computeIfAbsent(rest, k -> new ArrayList<>()).add(g);
            }
        }
        boolean first = true;
        for (Map.Entry<Map<String, String>, List<RunData.Group>> e : byRest.entrySet()) {
            List<RunData.Group> gs = e.getValue();
            if (gs.size() < 2) {
                continue;
            }
            if (first) {
                doc.add(new Doc.Heading(3, "Punch latency against range size"));
                first = false;
            }
            TreeSet<Integer> threads = new TreeSet<>();
            gs.forEach(g -> threads.addAll(g.threads()));
            for (int t : new TreeSet<>(List.of(threads.first(), threads.last()))) {
                int used = used(gs.get(0), t);
                String label = w + "/" + puncher + " " + (e.getKey().isEmpty() ? "" : kv(e.getKey()) + ", ") + t + (used > t ? "+1" : "")
                        + (used == 1 ? " thread" : " threads") + (run.benchmarkCpus() > 0 && used > run.benchmarkCpus() ? " >cores" : "");
                Path f = plotDir.resolve("range-" + w + "-" + slugOf(e.getKey()) + "-t" + t + ".png");
                if (plots.rangeFigure(gs, rangeParam, t, label, f)) {
                    plotCount++;
                    String cache = workload.map(k -> k.cacheParam).orElse(null);
                    doc.add(new Doc.Figure(RunFolder.PLOTS + "/" + f.getFileName(), "Punch latency against `" + rangeParam
                            + "` (log scales), " + label + ". Blocks are freed as extents, so "
                            + (cache != null ? "with the cache `sparse` what grows with the range is the lock's own share: flat for "
                                    + "a range lock, one atomic per page for a per-page lock; with the cache `dense` every design "
                                    + "also evicts every cached page."
                                    : "what grows with the range is the lock's own share (flat for a range lock, one atomic per "
                                    + "page for a per-page lock) and the eviction of the range's cached pages.")));
                }
            }
        }
    }

    /** The machine's own floor: plain CPU work next to which every lock cost can be judged. */
    private void machineFloor(Doc doc, List<RunData.Group> groups) {
        doc.add(new Doc.Para("Plain CPU work with no filesystem and no lock, next to which the other numbers can be "
                + "judged. ns/op is per thread: threads x 10^9 / ops/s."));
        List<List<String>> rows = new ArrayList<>();
        for (RunData.Group g : groups) {
            for (String d : g.designs()) {
                for (int t : g.threads()) {
                    Row v = g.value(d, t, "ops_per_s");
                    if (v != null && v.value() > 0) {
                        rows.add(List.of(g.op, threadsLabel(g, t), ops(v), String.format(Locale.ROOT, "%.2f", t * 1e9 / v.value())));
                    }
                }
            }
        }
        doc.add(new Doc.Table(List.of("op", "threads", "ops/s", "ns/op"), rows, 1));
    }

    /**
     * A workload scored by JMH's average time per call ({@code avgt_ns}): one row per op and
     * parameter set, one column per design, each cell the time and its 99.9% interval.
     */
    private void averageTimes(Doc doc, List<RunData.Group> groups) {
        TreeSet<String> inOrder = new TreeSet<>(RunData.DESIGN_ORDER);
        groups.forEach(g -> inOrder.addAll(g.byDesign.keySet()));
        List<String> designs = new ArrayList<>(inOrder);
        doc.add(new Doc.Para("JMH's average time per call, one thread, with its 99.9% confidence interval (`+-`, the "
                + "interval's half width; none when JMH had too few iterations for one). `~`: the interval is wider than +-"
                + Math.round(WIDE_CI * 100) + "%."));
        List<List<String>> rows = new ArrayList<>();
        for (RunData.Group g : groups) {
            List<String> row = new ArrayList<>(List.of(title(g)));
            for (String d : designs) {
                Row v = g.threads().isEmpty() ? null : g.value(d, g.threads().get(0), Metrics.AVGT);
                if (v == null) {
                    row.add("-");
                    continue;
                }
                String cell = LockCost.fine(v.value());
                if (!Double.isNaN(v.ciLow())) {
                    cell += " +-" + LockCost.fine((v.ciHigh() - v.ciLow()) / 2);
                }
                row.add(wideCi(v) ? cell + " ~" : cell);
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("op, parameters"));
        header.addAll(designs);
        doc.add(new Doc.Table(header, rows, 1));
    }

    /** A group's JMH score for a design and thread count: ops/s, or the average time per call. */
    private static Row score(RunData.Group g, String d, int t) {
        Row v = g.value(d, t, "ops_per_s");
        return v != null ? v : g.value(d, t, Metrics.AVGT);
    }

    private String cell(RunData.Group g, String d, int t) {
        Row p50 = g.value(d, t, "p50_ns");
        Row p99 = g.value(d, t, "p99_ns");
        Row o = g.value(d, t, "ops_per_s");
        List<String> parts = new ArrayList<>();
        if (p50 != null || p99 != null) {
            parts.add((p50 == null ? "-" : ns(p50.value())) + " / " + (p99 == null ? "-" : ns(p99.value())));
        }
        if (o != null) {
            parts.add(ops(o));
        }
        return parts.isEmpty() ? "-" : String.join(" · ", parts);
    }

    /** Threads a group's benchmark ran at {@code t} workers: one more when a puncher thread runs beside them. */
    static int used(RunData.Group g, int t) {
        return Workload.threadsUsed(g.params, t);
    }

    private String threadsLabel(RunData.Group g, int t) {
        return run.benchmarkCpus() > 0 && used(g, t) > run.benchmarkCpus() ? t + " >cores" : String.valueOf(t);
    }

    static boolean wideCi(Row v) {
        return !Double.isNaN(v.ciLow()) && (v.ciHigh() - v.ciLow()) / 2 > WIDE_CI * Math.abs(v.value());
    }

    /**
     * A latency in three significant digits. Each unit starts where the one below would round to
     * 1000: 999,999 ns is "1.00 ms", not %g's "1.00e+03 µs".
     */
    static String ns(double ns) {
        if (ns < 999.5) {
            return String.format(Locale.ROOT, "%.0f ns", ns);
        } else if (ns < 999_500) {
            return String.format(Locale.ROOT, "%.3g µs", ns / 1e3);
        } else if (ns < 999_500_000) {
            return String.format(Locale.ROOT, "%.3g ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.3g s", ns / 1e9);
    }

    /** A rate in three significant digits, its unit chosen as in {@link #ns}. */
    static String ops(Row v) {
        double x = v.value();
        String s = x >= 999.5e6 ? String.format(Locale.ROOT, "%.3gG/s", x / 1e9)
                : x >= 999.5e3 ? String.format(Locale.ROOT, "%.3gM/s", x / 1e6)
                : x >= 999.5 ? String.format(Locale.ROOT, "%.3gk/s", x / 1e3)
                : String.format(Locale.ROOT, "%.3g/s", x);
        return wideCi(v) ? s + " ~" : s;
    }

    private String title(RunData.Group g) {
        Map<String, String> p = run.varyingParams(g);
        return g.workload + "/" + g.op + (p.isEmpty() ? "" : " " + kv(p));
    }

    private String slug(RunData.Group g) {
        return g.workload + "-" + g.op + "-" + slugOf(run.varyingParams(g));
    }

    private static String slugOf(Map<String, String> p) {
        String s = p.entrySet().stream().map(e -> e.getKey() + "-" + e.getValue()).collect(Collectors.joining("_"));
        return (s.isEmpty() ? "all" : s).replaceAll("[^A-Za-z0-9_.-]", "-");
    }

    static String kv(Map<String, String> p) {
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    /**
     * The points of a {@code .hgrm} percentile listing: x is 1/(1-percentile), y the value in
     * microseconds (the files hold ns). The last line, percentile 1, has no finite x and is left out.
     *
     * @throws IllegalArgumentException naming the file when it is corrupt or truncated
     */
    static List<double[]> readHgrm(Path file) {
        List<double[]> pts = new ArrayList<>();
        for (Histograms.Percentile p : Histograms.readDistribution(file)) {
            if (p.value() > 0 && p.inverseTail() >= 1 && !Double.isInfinite(p.inverseTail())) {
                pts.add(new double[] {p.inverseTail(), p.value() / 1000.0});
            }
        }
        return pts;
    }

}
