package rlbench.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import rlbench.bench.compare.Comparison;
import rlbench.bench.output.Doc;
import rlbench.bench.output.HtmlReporter;
import rlbench.bench.output.MarkdownReporter;
import rlbench.bench.output.Numbers;
import rlbench.bench.results.Histograms;
import rlbench.bench.results.Row;
import rlbench.bench.results.StagedOutputs;

/**
 * {@code compare BASE NEW --report DIR}: the comparison drawn. It opens with the verdicts
 * (regressions, then improvements, each with its change, interval and p-value, then how many
 * rows were unchanged or untested), puts the two runs' {@code env.json} side by side with every
 * differing setting marked (a difference in machines is not one in code), and for every workload
 * and op with a significant row draws p50, p99 and ops/s against threads, base dashed and new
 * solid, one colour per design, through the report's own {@link Plots#threadsFigure}.
 */
public final class CompareReport {

    public static final String MD = "compare.md";
    public static final String HTML = "compare.html";

    /** The env.json fields shown side by side, in this order; the machine's settings follow. */
    private static final List<String> ENV_FIELDS = List.of("run_id", "started", "profile", "rounds", "cpu_model", "cores",
            "memory_bytes", "os", "jdk", "jvm_flags", "fork_jvm_args", "git_commit", "git_dirty", "command");

    private CompareReport() {
    }

    /** What was written: the Markdown and HTML files, and the number of plots. */
    public record Written(Path markdown, Path html, int plots) {
    }

    /**
     * Writes the report into {@code dir}, which must be new or empty; nothing is left there when
     * it fails.
     *
     * @throws IllegalArgumentException with one line: a folder that is a file or not empty, or a bad run
     */
    public static Written write(Path dir, Path base, Path next, List<Comparison.Line> lines) throws IOException {
        checkTarget(dir);
        RunData b = RunData.load(base);
        RunData n = RunData.load(next);
        return staged(dir, "rangelock-bench compare " + b.runId + " / " + n.runId, designs(List.of(b, n)),
                (doc, plots, plotDir) -> build(doc, b, n, lines, plots, plotDir));
    }

    /** Builds a page into {@code doc}, drawing into {@code plotDir}; returns the number of plots drawn. */
    @FunctionalInterface
    private interface Page {
        int build(Doc doc, Plots plots, Path plotDir) throws IOException;
    }

    /**
     * Writes a page and its plots into {@code dir} through {@link StagedOutputs}: all of it or,
     * when anything fails, nothing (a folder created for it is removed again).
     */
    private static Written staged(Path dir, String title, List<String> designs, Page page) throws IOException {
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        boolean done = false;
        try (StagedOutputs out = StagedOutputs.in(dir)) {
            Doc doc = new Doc(title, out.dir());
            int drawn = page.build(doc, new Plots(designs), out.folder("plots"));
            Files.writeString(out.file(MD), new MarkdownReporter().document(doc), StandardCharsets.UTF_8);
            Files.writeString(out.file(HTML), new HtmlReporter().document(doc), StandardCharsets.UTF_8);
            out.commit();
            done = true;
            return new Written(dir.resolve(MD), dir.resolve(HTML), drawn);
        } finally {
            if (!done && created) {
                Files.deleteIfExists(dir);
            }
        }
    }

    /**
     * {@code compare --report DIR RUN1 RUN2 RUN3...}: the same figures with one line style per run
     * (solid, dashed, dotted, dash-dot, in the order given), for every workload and op that two or
     * more of the runs share, and the runs' settings side by side; no verdicts, for comparing
     * machines or kernels rather than testing a change. Groups are matched on their workload, op
     * and parameters, leaving out the parameters in {@code ignored} (as {@code --ignore-param}
     * does for a two-run comparison's rows).
     *
     * @throws IllegalArgumentException with one line: a bad folder, a bad run, or runs with no group in common
     */
    public static Written writeMany(Path dir, List<Path> runDirs, java.util.Set<String> ignored) throws IOException {
        checkTarget(dir);
        List<RunData> runs = new ArrayList<>();
        for (Path p : runDirs) {
            runs.add(RunData.load(p));
        }
        Map<String, List<Plots.RunGroup>> shared = new LinkedHashMap<>();
        Map<String, String> headings = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            for (RunData.Group g : runs.get(i).groups) {
                Map<String, String> kept = new TreeMap<>(g.params);
                kept.keySet().removeAll(ignored);
                String id = groupId(g.workload, g.op, kept);
                List<Plots.RunGroup> line = shared.computeIfAbsent(id, x -> new ArrayList<>());
                int style = i;
                // With a parameter ignored a run can have several groups under one id: its first is drawn.
                if (line.stream().noneMatch(r -> r.style() == style)) {
                    line.add(new Plots.RunGroup(runs.get(i).runId, g, i));
                }
                headings.putIfAbsent(id, g.workload + "/" + g.op + (kept.isEmpty() ? "" : " " + Report.kv(kept)));
            }
        }
        shared.values().removeIf(l -> l.size() < 2);
        if (shared.isEmpty()) {
            throw new IllegalArgumentException("the runs share no workload, op and parameter set: " + String.join(", ",
                    runDirs.stream().map(Path::toString).toList()) + " measured nothing in common");
        }
        String title = "rangelock-bench compare " + String.join(" / ", runs.stream().map(r -> r.runId).toList());
        return staged(dir, title, designs(runs), (doc, plots, plotDir) -> {
            doc.add(new Doc.Heading(1, "rangelock-bench: " + runs.size() + " runs side by side"));
            doc.add(new Doc.Para("No verdicts: this draws runs next to each other, for comparing machines, kernels or "
                    + "settings; `./rlbench compare BASE NEW` tests a change. Line styles, in the order the runs were given: "
                    + String.join(", ", runs.stream().map(r -> "`" + r.runId + "` " + STYLE_NAMES.get(runs.indexOf(r) % 4)).toList())
                    + "; one colour per design."));
            doc.add(new Doc.Heading(2, "The runs"));
            doc.add(envTable(runs, null));
            doc.add(new Doc.Heading(2, "Workloads and ops the runs share"));
            int i = 0;
            int drawn = 0;
            for (Map.Entry<String, List<Plots.RunGroup>> e : shared.entrySet()) {
                RunData.Group g = e.getValue().get(0).group();
                Path f = plotDir.resolve("runs-" + (++i) + ".png");
                if (plots.threadsFigure(e.getValue(), g.workload + "/" + g.op, f, java.util.Set.of())) {
                    drawn++;
                    doc.add(new Doc.Heading(3, headings.get(e.getKey())));
                    doc.add(new Doc.Figure("plots/" + f.getFileName(), "p50 and p99 latency and ops/s against threads, "
                            + "one line style per run, one colour per design."));
                }
            }
            return drawn;
        });
    }

    private static final List<String> STYLE_NAMES = List.of("solid (circles)", "dashed (diamonds)", "dotted (squares)",
            "dash-dot (triangles)");

    /** @throws IllegalArgumentException when {@code dir} is a file or a folder with anything in it */
    public static void checkTarget(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--report " + dir + " is a file; give a new or empty folder");
        }
        if (Files.isDirectory(dir)) {
            try (var s = Files.list(dir)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("--report " + dir + " is not empty; give a new or empty folder");
                }
            }
        }
    }

    private static List<String> designs(List<RunData> runs) {
        TreeSet<String> all = new TreeSet<>(RunData.DESIGN_ORDER);
        runs.forEach(r -> r.groups.forEach(g -> all.addAll(g.designs())));
        return List.copyOf(all);
    }

    private static int build(Doc doc, RunData b, RunData n, List<Comparison.Line> lines, Plots plots, Path plotDir)
            throws IOException {
        doc.add(new Doc.Heading(1, "rangelock-bench compare: `" + b.runId + "` (base) against `" + n.runId + "` (new)"));
        List<Comparison.Line> regressed = of(lines, Comparison.Verdict.REGRESSED);
        List<Comparison.Line> improved = of(lines, Comparison.Verdict.IMPROVED);
        long untested = of(lines, Comparison.Verdict.UNTESTED).size();
        long unchanged = lines.size() - regressed.size() - improved.size() - untested;
        doc.add(new Doc.Para(lines.size() + " rows compared: " + regressed.size() + " regressed, " + improved.size()
                + " improved, " + unchanged + " unchanged or not significant, " + untested + " untested. The change is new "
                + "against base, its interval and p-value from compare's test (see the README, Commands); significance is "
                + "decided across all rows at the false discovery rate asked for."));
        doc.add(new Doc.Heading(2, "Regressions"));
        doc.add(regressed.isEmpty() ? new Doc.Para("No row regressed.") : verdicts(regressed));
        doc.add(new Doc.Heading(2, "Improvements"));
        doc.add(improved.isEmpty() ? new Doc.Para("No row improved.") : verdicts(improved));
        doc.add(new Doc.Heading(2, "The two runs"));
        doc.add(new Doc.Para("Settings that differ are marked \"differs\": a difference between machines, JVMs or "
                + "commits is not a difference between designs."));
        doc.add(envTable(List.of(b, n), List.of("base", "new")));
        int drawn = 0;
        Map<String, List<Comparison.Line>> significant = new LinkedHashMap<>();
        List<Comparison.Line> changed = new ArrayList<>(regressed);
        changed.addAll(improved);
        for (Comparison.Line l : changed) {
            significant.computeIfAbsent(groupId(l.key().workload(), l.key().op(), l.key().params()), k -> new ArrayList<>()).add(l);
        }
        if (!significant.isEmpty()) {
            doc.add(new Doc.Heading(2, "Where it changed"));
        }
        int i = 0;
        for (List<Comparison.Line> ls : significant.values()) {
            Row.Key k = ls.get(0).key();
            RunData.Group bg = group(b, k);
            RunData.Group ng = group(n, k);
            if (bg == null || ng == null) {
                continue;
            }
            String title = k.workload() + "/" + k.op() + (k.params().isEmpty() ? "" : " " + Report.kv(k.params()));
            doc.add(new Doc.Heading(3, title));
            Path f = plotDir.resolve("compare-" + (++i) + ".png");
            java.util.Set<String> changedDesigns = new TreeSet<>(ls.stream().map(l -> l.key().design()).toList());
            if (plots.threadsFigure(List.of(new Plots.RunGroup("base", bg, 1), new Plots.RunGroup("new", ng, 0)),
                    k.workload() + "/" + k.op(), f, changedDesigns)) {
                drawn++;
                doc.add(new Doc.Figure("plots/" + f.getFileName(), "p50 and p99 latency and ops/s against threads: base "
                        + "dashed, new solid, one colour per design; the ops/s of " + String.join(", ", changedDesigns)
                        + " with each run's confidence interval (over its rounds, or JMH's over iterations). Significant here: "
                        + String.join(", ", ls.stream().map(l -> l.key().design() + " t" + l.key().threads() + " "
                        + l.key().metric()).toList())));
            }
            Path s = plotDir.resolve("compare-" + i + "-spectrum.png");
            if (spectra(plots, b, bg, n, ng, k.workload() + "/" + k.op(), s)) {
                drawn++;
                doc.add(new Doc.Figure("plots/" + s.getFileName(), "The two runs' percentile spectra at the highest thread "
                        + "count both ran, from their merged .hgrm histograms: base dashed, new solid; a design is drawn "
                        + "where both runs kept its histogram."));
            } else if (bg.hasLatency()) {
                doc.add(new Doc.Para("No percentile spectra here: the two runs kept no histogram (`hgrm/*.hgrm`) of the "
                        + "same design at a thread count both ran."));
            }
        }
        return drawn;
    }

    /**
     * Both runs' spectra of the group at the highest thread count both have, for each design
     * whose histogram both runs kept (one side alone would read as a change); false when there
     * is no such design.
     */
    private static boolean spectra(Plots plots, RunData b, RunData.Group bg, RunData n, RunData.Group ng, String title, Path file)
            throws IOException {
        TreeSet<Integer> common = new TreeSet<>(bg.threads());
        common.retainAll(ng.threads());
        if (common.isEmpty() || !bg.hasLatency()) {
            return false;
        }
        int t = common.last();
        List<Plots.RunLine> baseLines = new ArrayList<>();
        List<Plots.RunLine> newLines = new ArrayList<>();
        for (String d : bg.designs()) {
            Path bh = b.folder.hgrm().resolve(Histograms.fileName(d, bg.workload, bg.op, t, bg.params) + ".hgrm");
            Path nh = n.folder.hgrm().resolve(Histograms.fileName(d, ng.workload, ng.op, t, ng.params) + ".hgrm");
            if (Files.isRegularFile(bh) && Files.isRegularFile(nh)) {
                baseLines.add(new Plots.RunLine(Plots.line(d, Report.readHgrm(bh)), "base", 1));
                newLines.add(new Plots.RunLine(Plots.line(d, Report.readHgrm(nh)), "new", 0));
            }
        }
        baseLines.addAll(newLines);
        return !baseLines.isEmpty() && plots.spectrumFigure(baseLines, title + ", " + t + " threads", file, true);
    }

    private static List<Comparison.Line> of(List<Comparison.Line> lines, Comparison.Verdict v) {
        return lines.stream().filter(l -> l.verdict() == v).toList();
    }

    private static Doc.Table verdicts(List<Comparison.Line> lines) {
        List<List<String>> rows = new ArrayList<>();
        for (Comparison.Line l : lines) {
            rows.add(List.of(l.key().toString(), Numbers.compact(l.base()), Numbers.compact(l.next()),
                    Numbers.compact(l.changePct()) + "%",
                    Numbers.compact(l.ciLowPct()) + "% to " + Numbers.compact(l.ciHighPct()) + "%",
                    Numbers.compact(l.pValue())));
        }
        return new Doc.Table(List.of("row", "base", "new", "change", "interval", "p"), rows, 1);
    }

    /** The group of one run that holds this row's workload, op and parameters (those the comparison matched on). */
    private static RunData.Group group(RunData run, Row.Key k) {
        for (RunData.Group g : run.groups(k.workload())) {
            // A parameter left out with --ignore-param is missing from the key: the key's own values must match.
            if (g.op.equals(k.op()) && k.params().entrySet().stream().allMatch(e -> e.getValue().equals(g.params.get(e.getKey())))) {
                return g;
            }
        }
        return null;
    }

    /** One workload, op and parameter set, as a map key. */
    private static String groupId(String workload, String op, Map<String, String> params) {
        return workload + "\u0000" + op + "\u0000" + new TreeMap<>(params);
    }

    /**
     * Every run's settings, one column each headed {@code names} (the run ids when null), and a
     * last column that says "differs" where they do not all agree.
     */
    private static Doc.Table envTable(List<RunData> runs, List<String> names) {
        List<String> keys = new ArrayList<>(ENV_FIELDS);
        for (RunData r : runs) {
            if (r.env.get("machine") instanceof Map<?, ?> m) {
                m.keySet().forEach(x -> {
                    if (!keys.contains("machine." + x)) {
                        keys.add("machine." + x);
                    }
                });
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (String k : keys) {
            List<String> cells = runs.stream().map(r -> text(value(r.env, k))).toList();
            if (cells.stream().allMatch("-"::equals)) {
                continue;
            }
            boolean same = cells.stream().distinct().count() == 1 || k.equals("run_id") || k.equals("started");
            List<String> row = new ArrayList<>();
            row.add(k);
            row.addAll(cells);
            row.add(same ? "" : "differs");
            rows.add(row);
        }
        List<String> header = new ArrayList<>();
        header.add("setting");
        header.addAll(names != null ? names : runs.stream().map(r -> r.runId).toList());
        header.add("");
        return new Doc.Table(header, rows, runs.size() + 2);
    }

    private static Object value(Map<String, Object> env, String key) {
        if (key.equals("rounds") && env.get(key) instanceof Map<?, ?> m) {
            return m.get("count") + " rounds, seed " + m.get("seed"); // the orders differ by seed; the seed says so
        }
        if (key.startsWith("machine.")) {
            return env.get("machine") instanceof Map<?, ?> m ? m.get(key.substring("machine.".length())) : null;
        }
        return env.get(key);
    }

    private static String text(Object v) {
        String s = v == null ? "-" : Objects.toString(v);
        s = s.replace('|', '/').replace('\n', ' ');
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
