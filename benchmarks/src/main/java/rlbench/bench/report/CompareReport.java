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
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        boolean done = false;
        try (StagedOutputs out = StagedOutputs.in(dir)) {
            Plots plots = new Plots(designs(b, n));
            Path plotDir = out.folder("plots");
            Doc doc = new Doc("rangelock-bench compare " + b.runId + " / " + n.runId, out.dir());
            int drawn = build(doc, b, n, lines, plots, plotDir);
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

    private static List<String> designs(RunData b, RunData n) {
        TreeSet<String> all = new TreeSet<>(RunData.DESIGN_ORDER);
        for (RunData r : List.of(b, n)) {
            r.groups.forEach(g -> all.addAll(g.designs()));
        }
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
        doc.add(verdicts(regressed).whenEmpty("none"));
        doc.add(new Doc.Heading(2, "Improvements"));
        doc.add(verdicts(improved).whenEmpty("none"));
        doc.add(new Doc.Heading(2, "The two runs"));
        doc.add(new Doc.Para("Settings that differ are marked \"differs\": a difference between machines, JVMs or "
                + "commits is not a difference between designs."));
        doc.add(envTable(b, n));
        int drawn = 0;
        Map<String, List<Comparison.Line>> significant = new LinkedHashMap<>();
        for (Comparison.Line l : regressed) {
            significant.computeIfAbsent(groupId(l.key()), k -> new ArrayList<>()).add(l);
        }
        for (Comparison.Line l : improved) {
            significant.computeIfAbsent(groupId(l.key()), k -> new ArrayList<>()).add(l);
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
            if (plots.threadsFigure(List.of(new Plots.RunGroup("base", bg, true), new Plots.RunGroup("new", ng, false)),
                    k.workload() + "/" + k.op(), f)) {
                drawn++;
                doc.add(new Doc.Figure("plots/" + f.getFileName(), "p50 and p99 latency and ops/s against threads: base "
                        + "dashed, new solid, one colour per design. Significant here: " + String.join(", ",
                        ls.stream().map(l -> l.key().design() + " t" + l.key().threads() + " " + l.key().metric()).toList())));
            }
        }
        return drawn;
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

    private static String groupId(Row.Key k) {
        return k.workload() + "\u0000" + k.op() + "\u0000" + new TreeMap<>(k.params());
    }

    private static Doc.Table envTable(RunData b, RunData n) {
        Map<String, Object> be = b.env;
        Map<String, Object> ne = n.env;
        List<String> keys = new ArrayList<>(ENV_FIELDS);
        for (Map<String, Object> e : List.of(be, ne)) {
            if (e.get("machine") instanceof Map<?, ?> m) {
                m.keySet().forEach(x -> {
                    if (!keys.contains("machine." + x)) {
                        keys.add("machine." + x);
                    }
                });
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (String k : keys) {
            String x = text(value(be, k));
            String y = text(value(ne, k));
            if (x.equals("-") && y.equals("-")) {
                continue;
            }
            boolean same = x.equals(y) || k.equals("run_id") || k.equals("started");
            rows.add(List.of(k, x, y, same ? "" : "differs"));
        }
        return new Doc.Table(List.of("setting", "base", "new", ""), rows, 4);
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
