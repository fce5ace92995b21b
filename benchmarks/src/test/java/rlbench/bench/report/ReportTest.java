package rlbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rlbench.bench.results.Histograms;
import rlbench.bench.results.JsonText;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.Row;
import rlbench.bench.results.RunFolder;

class ReportTest {

    @TempDir
    Path dir;

    /** Each design's latency as a multiple of the floor's, so the ratios in "At a glance" are known. */
    private static final Map<String, Double> FACTOR = Map.of("none", 1.0, "rwsem", 2.0, "range-tree", 1.5);
    private static final List<String> DESIGNS = List.of("none", "rwsem", "range-tree");
    private static final List<Integer> THREADS = List.of(1, 2, 4);
    private static final List<String> PARAM_COLUMNS = List.of("cache", "filePages", "hitRatio", "punchPages", "punchTarget", "puncher");
    private static final Map<String, String> FAULT = Map.of("filePages", "65536", "hitRatio", "0.9", "puncher", "off");

    private static Map<String, String> punch(String punchPages) {
        return Map.of("cache", "dense", "filePages", "524288", "punchPages", punchPages);
    }

    /** The floor's p50 at one thread, in ns; p50 grows with the thread count, p99 is ten times p50. */
    private static double baseP50(String workload, String op, Map<String, String> params) {
        if (workload.equals("fault")) {
            return 1420;
        }
        if (op.equals("fault")) {
            return 2000;
        }
        return params.get("punchPages").equals("64") ? 50_000 : 6_000_000;
    }

    /** One benchmark's rows: ops/s with a +-2% interval, p50 and p99. */
    private static List<Row> bench(String design, String workload, String op, int threads, Map<String, String> params) {
        double f = FACTOR.get(design);
        double p50 = baseP50(workload, op, params) * f * threads;
        double ops = 500_000 * threads / f;
        return List.of(
                new Row(design, workload, op, threads, params, "ops_per_s", ops, "ops/s",
                        ops * 0.98, ops * 1.02, 3),
                new Row(design, workload, op, threads, params, "p50_ns", p50, "ns", Double.NaN, Double.NaN, 306_232),
                new Row(design, workload, op, threads, params, "p99_ns", p50 * 10, "ns", Double.NaN, Double.NaN, 306_232));
    }

    /**
     * A small run as {@code rlbench run} leaves it, written with the run's own writers: designs
     * none, rwsem and range-tree; fault/fault, and punch/punch and punch/fault at punchPages 64 and
     * 262144; threads 1, 2 and 4 on a 2-core machine; three .hgrm histograms. {@code edit} may
     * change the rows and the env.json fields (an empty map means no env.json) before they are written.
     */
    private Path sampleRun(String name, Consumer<List<Row>> editRows, Consumer<Map<String, Object>> editEnv) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        List<Row> rows = new ArrayList<>();
        for (String d : DESIGNS) {
            for (int t : THREADS) {
                rows.addAll(bench(d, "fault", "fault", t, FAULT));
                for (String pp : List.of("64", "262144")) {
                    rows.addAll(bench(d, "punch", "punch", t, punch(pp)));
                    rows.addAll(bench(d, "punch", "fault", t, punch(pp)));
                }
            }
        }
        editRows.accept(rows);
        ResultsCsv csv = ResultsCsv.create(run.resolve("results.csv"), name, PARAM_COLUMNS);
        csv.append(rows);

        histogram(run, "none", "fault", "fault", 4, FAULT, 5680);
        histogram(run, "rwsem", "fault", "fault", 4, FAULT, 11_360);
        histogram(run, "none", "punch", "punch", 4, punch("64"), 200_000);

        Map<String, Object> env = new LinkedHashMap<>();
        env.put("started", "2026-03-01T10:00:00Z");
        env.put("profile", "quick");
        env.put("command", "./rlbench run --out " + run);
        env.put("cpu_model", "Test CPU");
        env.put("cores", 2);
        env.put("memory_bytes", 8L << 30);
        env.put("jdk", "OpenJDK 17");
        env.put("jvm_flags", List.of("-Xmx1g"));
        env.put("os", "Linux");
        env.put("git_commit", "0123456789abcdef0123");
        env.put("git_dirty", false);
        editEnv.accept(env);
        if (!env.isEmpty()) {
            Files.writeString(run.resolve("env.json"), JsonText.write(env));
        }
        return run;
    }

    private Path sampleRun() throws Exception {
        return sampleRun("run", rows -> { }, env -> { });
    }

    /** A real merged histogram in hgrm/, around {@code median} ns with a tail ten times slower. */
    private static void histogram(Path run, String design, String workload, String op, int threads, Map<String, String> params,
                                  long median) {
        Histogram h = new Histogram(3);
        for (int i = 0; i < 2000; i++) {
            h.recordValue(median / 2 + (median * (i % 100)) / 100);
        }
        for (int i = 0; i < 20; i++) {
            h.recordValue(median * 10 + i);
        }
        Histograms.write(h, run.resolve("hgrm"), Histograms.fileName(design, workload, op, threads, params));
    }

    private static final Set<String> EXPECTED_PLOTS = Set.of(
            "threads-fault-fault-all.png",
            "threads-punch-punch-punchPages-64.png", "threads-punch-punch-punchPages-262144.png",
            "threads-punch-fault-punchPages-64.png", "threads-punch-fault-punchPages-262144.png",
            "spectrum-fault-fault-all-t4.png", "spectrum-punch-punch-punchPages-64-t4.png",
            "range-punch-all-t1.png", "range-punch-all-t4.png");

    private static Set<String> names(Path folder) throws Exception {
        try (Stream<Path> s = Files.list(folder)) {
            return new HashSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    /** Every file of the run that is not an output of the report, and its bytes. */
    private static Map<String, byte[]> inputs(Path run) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = run.relativize(p).toString();
                if (!rel.startsWith(RunFolder.PLOTS + "/") && !rel.equals("report.md") && !rel.equals("report.html")) {
                    out.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return out;
    }

    /**
     * With rounds, a ratio to the floor is paired round by round: per round 2.0, 2.0667 and 2.0
     * (mean 2.0222, sd 0.0385, t(2, 0.975) 4.303: half width 0.096); a design without rounds
     * keeps the ratio of its aggregates.
     */
    @Test
    void withRoundsTheRatioIsPairedWithItsInterval() throws Exception {
        Path run = sampleRun();
        Path csv = run.resolve("results.csv");
        List<String> lines = Files.readAllLines(csv);
        List<String> extra = new ArrayList<>();
        double[][] perRound = {{5000, 6000, 5500}, {10_000, 12_400, 11_000}};
        for (String line : lines) {
            int design = line.startsWith(run.getFileName() + ",none,fault,fault,4,,") ? 0
                    : line.startsWith(run.getFileName() + ",rwsem,fault,fault,4,,") ? 1 : -1;
            if (design >= 0 && line.contains(",p50_ns,")) {
                for (int r = 0; r < 3; r++) {
                    String withRound = line.replaceFirst(",fault,fault,4,,", ",fault,fault,4," + (r + 1) + ",");
                    extra.add(withRound.replaceFirst(",p50_ns,[^,]*,", ",p50_ns," + (long) perRound[design][r] + ","));
                }
            }
        }
        assertEquals(6, extra.size(), "three rounds of two designs' p50");
        Files.writeString(csv, String.join("\n", lines) + "\n" + String.join("\n", extra) + "\n");
        String md = Files.readString(Report.write(run).markdown());
        assertTrue(md.contains("| fault/fault | 4 >cores | 5.68 µs | 11.4 µs (2.02x ±0.10) | 8.52 µs (1.50x) |\n"), md);
        assertTrue(md.contains("paired round by round"), md);
    }

    @Test
    void writesOnePlotPerGroupASpectrumPerHistogramAndRangePlotsThatDecodeAsImages() throws Exception {
        Path run = sampleRun();
        Report.Written w = Report.write(run);
        assertEquals(run.resolve("report.md"), w.markdown());
        assertEquals(run.resolve("report.html"), w.html());
        assertEquals(EXPECTED_PLOTS, names(run.resolve("plots")));
        assertEquals(EXPECTED_PLOTS.size(), w.plots());

        Map<String, Integer> panels = Map.of("threads", 3, "spectrum", 1, "range", 2);
        for (String name : EXPECTED_PLOTS) {
            BufferedImage img = ImageIO.read(run.resolve("plots").resolve(name).toFile());
            assertNotNull(img, name + " is not an image ImageIO can read");
            int want = panels.get(name.substring(0, name.indexOf('-')));
            assertEquals(560 * want, img.getWidth(), name + ": one 560-pixel panel per chart");
            assertEquals(400, img.getHeight(), name);
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 2) {
                for (int x = 0; x < img.getWidth(); x += 2) {
                    colours.add(img.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 20, name + " has only " + colours.size() + " colours: blank?");
        }
        BufferedImage threads = ImageIO.read(run.resolve("plots/threads-fault-fault-all.png").toFile());
        assertTrue(pixels(threads, 0x0072B2) > 20, "rwsem's line, in the first palette colour, is drawn");
        assertTrue(pixels(threads, 0x828282) > 20, "the floor's grey dashed line is drawn");
    }

    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += (img.getRGB(x, y) & 0xFFFFFF) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    @Test
    void theHtmlIsSelfContainedWithOneEmbeddedImagePerPlot() throws Exception {
        Path run = sampleRun();
        Report.Written w = Report.write(run);
        String html = Files.readString(w.html());
        assertTrue(html.startsWith("<!DOCTYPE html>\n<html"), html.substring(0, 40));
        assertTrue(html.stripTrailing().endsWith("</body></html>"), "ends with </html>");
        assertEquals(1, count(html, "<body>"));
        assertEquals(1, count(html, "</body>"));
        assertFalse(Pattern.compile("(src|href)\\s*=\\s*\"(?!data:)", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no reference to another file");
        assertFalse(html.contains("<link") || html.contains("<script") || html.contains("url("), "nothing loaded from outside");
        assertEquals(w.plots(), count(html, "<img "));

        Matcher m = Pattern.compile("<img alt=\"[^\"]*\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\">").matcher(html);
        Set<String> embedded = new HashSet<>();
        while (m.find()) {
            byte[] png = Base64.getDecoder().decode(m.group(1));
            assertNotNull(ImageIO.read(new ByteArrayInputStream(png)), "an embedded image decodes");
            embedded.add(m.group(1));
        }
        Set<String> files = new HashSet<>();
        for (String name : EXPECTED_PLOTS) {
            files.add(Base64.getEncoder().encodeToString(Files.readAllBytes(run.resolve("plots").resolve(name))));
        }
        assertEquals(files, embedded, "every plot embedded once, byte for byte");
        for (String tag : List.of("table", "tr", "ul", "details", "figure", "h2", "h3", "p")) {
            assertEquals(count(html, "<" + tag + ">") + count(html, "<" + tag + " "), count(html, "</" + tag + ">"),
                    "<" + tag + "> opened and closed alike");
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    @Test
    void theMarkdownHasATablePerGroupWithFormattedNumbersAndTheRatiosToTheFloor() throws Exception {
        Path run = sampleRun();
        String md = Files.readString(Report.write(run).markdown());

        assertTrue(md.startsWith("# rangelock-bench run `run`\n"), md);
        assertTrue(md.contains("- CPU: Test CPU, 2 cores, 8.0 GiB memory\n"), md);
        assertTrue(md.contains("- Commit: `0123456789ab`\n"), md);
        assertTrue(md.contains("## Workload `fault`\n\nHeld fixed: filePages=65536 hitRatio=0.9 puncher=off.\n"), md);
        assertTrue(md.contains("## Workload `punch`\n\nHeld fixed: cache=dense filePages=524288.\n"), md);

        assertTrue(md.contains("### fault/fault\n\n| design | t=1 | t=2 | t=4 >cores |\n|---|---:|---:|---:|\n"
                + "| none | 1.42 µs / 14.2 µs · 500k/s | 2.84 µs / 28.4 µs · 1.00M/s | 5.68 µs / 56.8 µs · 2.00M/s |\n"
                + "| rwsem | 2.84 µs / 28.4 µs · 250k/s | 5.68 µs / 56.8 µs · 500k/s | 11.4 µs / 114 µs · 1.00M/s |\n"
                + "| range-tree | 2.13 µs / 21.3 µs · 333k/s | 4.26 µs / 42.6 µs · 667k/s | 8.52 µs / 85.2 µs · 1.33M/s |\n"), md);
        assertTrue(md.contains("### punch/punch punchPages=64\n\n| design |"), md);
        assertTrue(md.contains("| none | 6.00 ms / 60.0 ms · 500k/s | 12.0 ms / 120 ms · 1.00M/s | 24.0 ms / 240 ms · 2.00M/s |"), md);
        assertTrue(md.contains("**punch/punch punchPages=262144**\n\n| design |"), "a second parameter set of one op is folded: " + md);
        assertEquals(5, count(md, "| design | t=1 | t=2 | t=4 >cores |\n"), "one table per group");

        assertTrue(md.contains("## At a glance\n"), md);
        assertTrue(md.contains("| workload / op, parameters | threads | none | rwsem | range-tree |\n|---|---:|---:|---:|---:|\n"
                + "| fault/fault | 4 >cores | 5.68 µs | 11.4 µs (2.00x) | 8.52 µs (1.50x) |\n"
                + "| punch/punch punchPages=64 | 4 >cores | 200 µs | 400 µs (2.00x) | 300 µs (1.50x) |\n"
                + "| punch/punch punchPages=262144 | 4 >cores | 24.0 ms | 48.0 ms (2.00x) | 36.0 ms (1.50x) |\n"
                + "| punch/fault punchPages=64 | 4 >cores | 8.00 µs | 16.0 µs (2.00x) | 12.0 µs (1.50x) |\n"
                + "| punch/fault punchPages=262144 | 4 >cores | 8.00 µs | 16.0 µs (2.00x) | 12.0 µs (1.50x) |\n"), md);

        for (String plot : EXPECTED_PLOTS) {
            assertEquals(1, count(md, "](plots/" + plot + ")"), "the markdown links " + plot);
        }
    }

    /** The lock-wait rows of one fault benchmark: p99 and max wait, and the share of faults that waited. */
    private static List<Row> lockWaits(String design, Map<String, String> params, double p99, double max, double pct) {
        return List.of(
                new Row(design, "fault", "fault", 1, params, "lock_wait_p50_ns", 0, "ns", Double.NaN, Double.NaN, 1000),
                new Row(design, "fault", "fault", 1, params, "lock_wait_p99_ns", p99, "ns", Double.NaN, Double.NaN, 1000),
                new Row(design, "fault", "fault", 1, params, "lock_wait_max_ns", max, "ns", Double.NaN, Double.NaN, 1000),
                new Row(design, "fault", "fault", 1, params, "lock_contended_pct", pct, "%", Double.NaN, Double.NaN, 1000));
    }

    @Test
    void theFaultWorkloadShowsHowLongFaultsWaitedBehindPunchesWithAndWithoutThePuncher() throws Exception {
        Map<String, String> withPuncher = new TreeMap<>(FAULT);
        withPuncher.put("puncher", "on");
        Path run = sampleRun("waits", rows -> {
            for (String d : DESIGNS) {
                rows.addAll(bench(d, "fault", "fault", 1, withPuncher));
            }
            rows.addAll(lockWaits("rwsem", FAULT, 0, 0, 0));
            rows.addAll(lockWaits("rwsem", withPuncher, 250_000, 1_500_000, 1.5));
            rows.addAll(lockWaits("range-tree", FAULT, 0, 0, 0));
            rows.addAll(lockWaits("range-tree", withPuncher, 0, 40_000, 0.001));
        }, env -> { });
        String md = Files.readString(Report.write(run).markdown());
        assertTrue(md.contains("### How long faults waited behind punches\n"), md);
        assertTrue(md.contains("| design | threads | wait p99 alone | wait max alone | faults that waited alone "
                + "| wait p99 with puncher | wait max with puncher | faults that waited with puncher "
                + "| fault p99 with puncher | punch p50 | punch max |\n"), md);
        assertTrue(md.contains("| rwsem | 1 | 0 ns | 0 ns | 0.00% | 250 µs | 1.50 ms | 1.50% | "), md);
        assertTrue(md.contains("| range-tree | 1 | 0 ns | 0 ns | 0.00% | 0 ns | 40.0 µs | under 0.01% | "), md);
        assertFalse(md.contains("| none | 1 | -"), "a design without lock-wait rows has no line: " + md);
        assertFalse(md.contains("| parameters |"), "one parameter set, no parameters column: " + md);
    }

    /**
     * A group run with the puncher only (a profile case) has a line too, "-" where it did not run
     * alone, and the punch's own time beside the longest wait: the wait reads against the punch.
     */
    @Test
    void aGroupRunOnlyWithThePuncherShowsItsWaitsBesideThePunchsOwnTime() throws Exception {
        Map<String, String> disjoint = new TreeMap<>(FAULT);
        disjoint.put("puncher", "on");
        disjoint.put("punchTarget", "disjoint");
        Map<String, String> overlapAlone = new TreeMap<>(FAULT);
        overlapAlone.put("punchTarget", "overlap");
        Path run = sampleRun("case", rows -> {
            rows.addAll(lockWaits("rwsem", overlapAlone, 0, 0, 0));
            for (String d : List.of("rwsem", "range-tree")) {
                rows.addAll(bench(d, "fault", "fault", 1, disjoint).stream()
                        .map(r -> r.metric().equals("p99_ns") ? new Row(d, "fault", "fault", 1, disjoint, "p99_ns",
                                d.equals("rwsem") ? 48_000_000 : 20_000, "ns", Double.NaN, Double.NaN, 1000) : r).toList());
                rows.add(new Row(d, "fault", "punch", 1, disjoint, "p50_ns", 45_000_000, "ns", Double.NaN, Double.NaN, 40));
                rows.add(new Row(d, "fault", "punch", 1, disjoint, "max_ns", 52_000_000, "ns", Double.NaN, Double.NaN, 40));
            }
            rows.addAll(lockWaits("rwsem", disjoint, 40_000_000, 51_000_000, 20));
            rows.addAll(lockWaits("range-tree", disjoint, 0, 0, 0));
        }, env -> { });
        String md = Files.readString(Report.write(run).markdown());
        assertTrue(md.contains("| rwsem | 1 | - | - | - | 40.0 ms | 51.0 ms | 20.00% | 48.0 ms | 45.0 ms | 52.0 ms |\n"), md);
        assertTrue(md.contains("| range-tree | 1 | - | - | - | 0 ns | 0 ns | 0.00% | 20.0 µs | 45.0 ms | 52.0 ms |\n"), md);
        assertFalse(md.contains("| rwsem | 1 | 0 ns | 0 ns | 0.00% |"), "a group without its puncher run has no line: " + md);
    }

    @Test
    void noLockWaitRowsNoSection() throws Exception {
        String without = Files.readString(Report.write(sampleRun()).markdown());
        assertFalse(without.contains("waited behind punches"), "no lock-wait rows, no section");
    }

    @Test
    void aCompleteTightRunOnTwoCoresOnlyWarnsOfThreadsBeyondTheCoresAndOneFork() throws Exception {
        String caveats = caveats(Files.readString(Report.write(sampleRun()).markdown()));
        assertTrue(caveats.contains("- **More threads than cores** at 4 threads on this 2-core machine (marked `>cores`"), caveats);
        assertTrue(caveats.contains("- **1 fork** per benchmark (profile quick)"), caveats);
        for (String absent : List.of("Wide confidence intervals", "No interval", "Thin tails", "Missing measurements",
                "Uncommitted changes", "No env.json")) {
            assertFalse(caveats.contains(absent), absent + " in " + caveats);
        }
    }

    @Test
    void aPuncherThreadCountsTowardsTheCores() throws Exception {
        Path run = sampleRun("puncher", rows -> rows.replaceAll(r -> r.workload().equals("fault")
                ? new Row(r.design(), r.workload(), r.op(), r.threads(), Map.of("filePages", "65536", "hitRatio", "0.9",
                        "puncher", "on"), r.metric(), r.value(), r.unit(), r.ciLow(), r.ciHigh(), r.n())
                : r), env -> { });
        String md = Files.readString(Report.write(run).markdown());
        assertTrue(caveats(md).contains("- **More threads than cores** at 2+1, 4, 4+1 threads on this 2-core machine"), caveats(md));
        assertTrue(md.contains("| design | t=1 | t=2 >cores | t=4 >cores |"), "2 workers and the puncher are 3 threads: " + md);
    }

    @Test
    void aPinnedRunCountsTheCpusItWasPinnedToNotTheMachinesCores() throws Exception {
        Path run = sampleRun("pinned", rows -> { }, env -> env.put("machine", Map.of("pinned_cpus", "1")));
        String md = Files.readString(Report.write(run).markdown());
        assertTrue(caveats(md).contains("- **More threads than cores** at 2, 4 threads on the 1 CPUs the run was pinned to (`--cpus 1`)"),
                caveats(md));
        assertTrue(md.contains("| design | t=1 | t=2 >cores | t=4 >cores |"), md);
    }

    @Test
    void aWideIntervalIsACaveatAndIsMarkedInItsCell() throws Exception {
        Path run = sampleRun("wide", rows -> rows.replaceAll(r -> r.design().equals("rwsem") && r.workload().equals("fault")
                && r.threads() == 2 && r.metric().equals("ops_per_s")
                ? new Row(r.design(), r.workload(), r.op(), r.threads(), r.params(), r.metric(), r.value(), r.unit(),
                        r.value() * 0.5, r.value() * 1.5, r.n())
                : r), env -> { });
        String md = Files.readString(Report.write(run).markdown());
        assertTrue(caveats(md).contains("- **Wide confidence intervals**: 1 of 45 JMH scores (ops/s or ns/op) have a 99.9% interval "
                + "wider than +-25%"),
                caveats(md));
        assertTrue(md.contains("| rwsem | 2.84 µs / 28.4 µs · 250k/s | 5.68 µs / 56.8 µs · 500k/s ~ | 11.4 µs"), md);
        assertEquals(1, count(md, " ~ |"), "only that cell is marked");
    }

    @Test
    void aDesignMissingAThreadCountIsACaveatAndADash() throws Exception {
        Path run = sampleRun("gap", rows -> rows.removeIf(r -> r.design().equals("range-tree") && r.workload().equals("fault")
                && r.threads() == 4), env -> { });
        Report.Written w = Report.write(run);
        String md = Files.readString(w.markdown());
        assertTrue(caveats(md).contains("- **Missing measurements** (a failed or interrupted benchmark?): range-tree fault/fault at [4] threads."),
                caveats(md));
        assertTrue(md.contains("| range-tree | 2.13 µs / 21.3 µs · 333k/s | 4.26 µs / 42.6 µs · 667k/s | - |\n"), md);
        assertTrue(md.contains("| fault/fault | 4 >cores | 5.68 µs | 11.4 µs (2.00x) | - |\n"), md);
        assertEquals(EXPECTED_PLOTS, names(run.resolve("plots")), "the plot of the group with a gap is still drawn");
    }

    @Test
    void withoutEnvJsonTheReportSaysSoAndStillWorks() throws Exception {
        Path run = sampleRun("noenv", rows -> { }, Map::clear);
        assertFalse(Files.exists(run.resolve("env.json")));
        Report.Written w = Report.write(run);
        String md = Files.readString(w.markdown());
        assertTrue(caveats(md).contains("- **No env.json**: the machine, JDK and profile are unknown."), caveats(md));
        assertFalse(md.contains(">cores") || md.contains("More threads than cores"), "cores unknown: no claim about them");
        assertTrue(md.contains("- CPU: -, ? cores\n"), md);
        assertTrue(md.contains("Profile **-**, started -."), md);
        assertEquals(EXPECTED_PLOTS, names(run.resolve("plots")));
        assertTrue(Files.readString(w.html()).endsWith("</html>\n"));
    }

    @Test
    void aSecondReportReplacesTheFirstRemovesStalePlotsAndNeverTouchesTheMeasurements() throws Exception {
        Path run = sampleRun();
        Files.createDirectories(run.resolve("plots"));
        Files.write(run.resolve("plots/old.png"), new byte[] {1, 2, 3});
        Map<String, byte[]> before = inputs(run);
        byte[] csv = Files.readAllBytes(run.resolve("results.csv"));

        Report.write(run);
        assertEquals(EXPECTED_PLOTS, names(run.resolve("plots")), "old.png is gone");
        String firstMd = Files.readString(run.resolve("report.md"));

        // the run loses a benchmark: its plots must not outlive it
        Files.writeString(run.resolve("results.csv"), Files.readAllLines(run.resolve("results.csv")).stream()
                .filter(l -> !l.contains(",punch,punch,") || !l.contains(",262144,")).reduce("", (a, b) -> a + b + "\n"));
        Report.write(run);
        Set<String> fewer = new HashSet<>(EXPECTED_PLOTS);
        fewer.removeAll(Set.of("threads-punch-punch-punchPages-262144.png", "range-punch-all-t1.png", "range-punch-all-t4.png"));
        assertEquals(fewer, names(run.resolve("plots")));
        assertFalse(Files.readString(run.resolve("report.md")).contains("punch/punch punchPages=262144"));

        Files.write(run.resolve("results.csv"), csv);
        Report.write(run);
        assertEquals(firstMd, Files.readString(run.resolve("report.md")), "the same run gives the same report");
        Map<String, byte[]> after = inputs(run);
        assertEquals(before.keySet(), after.keySet(), "no file added or removed outside the report's outputs");
        before.forEach((f, bytes) -> assertTrue(java.util.Arrays.equals(bytes, after.get(f)), f + " changed"));
        assertEquals(Set.of("env.json", "hgrm", "plots", "report.html", "report.md", "results.csv"), names(run),
                "no temporary file left");
    }

    /** Every file of the run folder, at any depth, and its bytes. */
    private static Map<String, String> everything(Path run) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.filter(x -> !x.equals(run)).toList()) {
                out.put(run.relativize(p).toString(), Files.isDirectory(p) ? "folder"
                        : Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    @Test
    void aReportThatFailsOnACorruptHistogramLeavesThePreviousReportAndEveryPlot() throws Exception {
        Path run = sampleRun();
        Report.write(run);
        assertEquals(EXPECTED_PLOTS, names(run.resolve("plots")));
        Path hgrm = run.resolve("hgrm").resolve(Histograms.fileName("rwsem", "fault", "fault", 4, FAULT) + ".hgrm");
        String whole = Files.readString(hgrm);
        Files.writeString(hgrm, whole.substring(0, whole.length() / 2));
        Map<String, String> before = everything(run);

        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Report.write(run));
        assertTrue(e.getMessage().startsWith(hgrm + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(before, everything(run), "the previous report, all its plots, and nothing staged left behind");
    }

    @Test
    void htmlInAParameterValueIsEscapedInTheHtml() throws Exception {
        String evil = "<script>alert(1)</script>";
        Path run = sampleRun("evil", rows -> rows.replaceAll(r -> r.workload().equals("punch")
                ? new Row(r.design(), r.workload(), r.op(), r.threads(), Map.of("cache", evil, "filePages", "524288",
                        "punchPages", r.params().get("punchPages")), r.metric(), r.value(), r.unit(), r.ciLow(), r.ciHigh(), r.n())
                : r), env -> env.put("command", "./rlbench run \"&\" <b>"));
        Report.Written written = Report.write(run);
        String html = Files.readString(written.html());
        String md = Files.readString(written.markdown());
        assertFalse(md.contains("<script") || md.contains("<b>"), "Markdown renders inline HTML: a raw tag in report.md");
        assertTrue(md.contains("cache=&lt;script>"), md);
        assertFalse(html.contains("<script"), "raw <script> in report.html");
        assertFalse(html.contains("<b>"), "raw <b> in report.html");
        assertTrue(html.contains("cache=&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("<code>./rlbench run &quot;&amp;&quot; &lt;b&gt;</code>"), html);
    }

    /**
     * A run of the lock points, the floor and fault misses: locks at 1 thread (two designs, one
     * interval wider than 25%), the CAS pair at 1 and 2 threads, and fault/fault at hit ratios 0
     * and 0.9 with and without the puncher, so the table must pick the miss without the puncher.
     */
    private Path lockRun(boolean withFault) throws Exception {
        Path run = Files.createDirectories(dir.resolve(withFault ? "locks" : "locks-only"));
        List<Row> rows = new ArrayList<>();
        Map<String, Double> instantiate = Map.of("none", 30.0, "page-lock", 45.0);
        Map<String, Double> perPage = Map.of("none", 0.0, "page-lock", 12.0);
        for (String d : List.of("none", "page-lock")) {
            rows.add(avgt(d, "instantiatePair", Map.of(), instantiate.get(d), 0.02));
            rows.add(avgt(d, "mkwritePair", Map.of(), d.equals("none") ? 0.5 : 12.5, d.equals("none") ? 0.5 : 0.02));
            for (long pages : new long[] {262144, 1, 64}) {
                double v = d.equals("none") ? 0.5 : 13 + perPage.get(d) * (pages - 1);
                rows.add(avgt(d, "invalidatePair", Map.of("punchPages", Long.toString(pages)), v, 0.02));
            }
            if (withFault) {
                for (String hit : List.of("0.0", "0.9")) {
                    for (String puncher : List.of("on", "off")) {
                        double p50 = (hit.equals("0.0") ? 1420 : 300) * (puncher.equals("on") ? 3 : 1) * (d.equals("none") ? 1 : 1.1);
                        for (int t : List.of(1, 2)) {
                            rows.add(new Row(d, "fault", "fault", t, Map.of("hitRatio", hit, "puncher", puncher),
                                    "p50_ns", p50 * t, "ns", Double.NaN, Double.NaN, 100_000));
                        }
                    }
                }
            }
        }
        for (int t : List.of(1, 2)) {
            rows.add(new Row("machine", "floor", "casPair", t, Map.of("puncher", "off"), "ops_per_s", t * 1e8, "ops/s",
                    Double.NaN, Double.NaN, 2));
        }
        ResultsCsv csv = ResultsCsv.create(run.resolve("results.csv"), "locks", List.of("hitRatio", "punchPages", "puncher"));
        csv.append(rows);
        Files.writeString(run.resolve("env.json"), JsonText.write(Map.of("profile", "quick", "cores", 2,
                "fork_jvm_args", List.of("-Xmx2g", "-XX:+UseSerialGC"))));
        return run;
    }

    /** A locks row: JMH's average time with an interval of +-{@code halfWidth} of the value. */
    private static Row avgt(String design, String op, Map<String, String> params, double ns, double halfWidth) {
        Map<String, String> p = new TreeMap<>(params);
        p.put("puncher", "off");
        return new Row(design, "locks", op, 1, p, "avgt_ns", ns, "ns/op",
                ns * (1 - halfWidth), ns * (1 + halfWidth), 5);
    }

    @Test
    void theLockCostTablePutsEachDesignsLockPairsNextToItsFaultMissWithTheCasPairAsTheFloor() throws Exception {
        String md = Files.readString(Report.write(lockRun(true)).markdown());
        assertTrue(md.contains("## Lock cost (no filesystem) next to the fault\n"), md);
        assertTrue(md.contains("- Benchmark JVMs also got `-Xmx2g -XX:+UseSerialGC` (`--jvm-args`)\n"), md);
        assertTrue(md.contains("(`fault/fault hitRatio=0.0`)"), "the caption names the fault rows it took: " + md);
        assertTrue(md.contains("| design | instantiate pair | mkwrite pair | invalidate 1 page | invalidate 64 pages "
                + "| invalidate 262144 pages | fault miss p50, 1 thread |\n|---|---:|---:|---:|---:|---:|---:|\n"
                + "| none | 30.0 ns (3.0x) | 0.500 ns (0.05x) ~ | 0.500 ns (0.05x) | 0.500 ns (0.05x) | 0.500 ns (0.05x) | 1.42 µs |\n"
                + "| page-lock | 45.0 ns (4.5x) | 12.5 ns (1.3x) | 13.0 ns (1.3x) | 769 ns (77x) | 3.15 ms (314,573x) | 1.56 µs |\n"
                + "| CAS pair (the floor) | 10.0 ns |  |  |  |  |  |\n"), md);
        assertTrue(md.indexOf("## Lock cost") > md.indexOf("## At a glance") && md.indexOf("## Lock cost") < md.indexOf("## Workload"),
                "after the summary, before the workloads");
        assertTrue(md.contains("## Workload `locks`\n"), md);
        assertTrue(md.contains("| locks/instantiatePair | 30.0 ns +-0.600 ns | 45.0 ns +-0.900 ns |"), md);
        assertTrue(md.contains("| locks/mkwritePair | 0.500 ns +-0.250 ns ~ | 12.5 ns +-0.250 ns |"), md);
        assertTrue(caveats(md).contains("- **Wide confidence intervals**: 1 of 12 JMH scores (ops/s or ns/op)"), caveats(md));
    }

    @Test
    void withoutAFaultRunTheLockCostTableSaysWhatToAdd() throws Exception {
        String md = Files.readString(Report.write(lockRun(false)).markdown());
        assertTrue(md.contains("(not measured in this run: add the `fault` workload)"), md);
        assertTrue(md.contains("| page-lock | 45.0 ns (4.5x) | 12.5 ns (1.3x) | 13.0 ns (1.3x) | 769 ns (77x) | 3.15 ms (314,573x) | - |\n"),
                md);
    }

    @Test
    void aRunWithoutTheLocksWorkloadOrJvmArgsHasNeitherLine() throws Exception {
        String md = Files.readString(Report.write(sampleRun()).markdown());
        assertFalse(md.contains("Lock cost"), md);
        assertFalse(md.contains("Benchmark JVMs also got"), md);
    }

    @Test
    void latenciesAndRatesGetThreeSignificantDigitsAndAUnitThatKeepsThemUnderAThousand() {
        assertEquals("999 ns", Report.ns(999));
        assertEquals("1.42 µs", Report.ns(1420));
        assertEquals("1.00 µs", Report.ns(999.7));
        assertEquals("999 µs", Report.ns(999_400));
        assertEquals("1.00 ms", Report.ns(999_999));
        assertEquals("6.00 ms", Report.ns(6_000_000));
        assertEquals("1.00 s", Report.ns(999_999_999));
        assertEquals("2.50 s", Report.ns(2.5e9));
        assertEquals("1.00M/s", Report.ops(value(999_999)));
        assertEquals("1.00k/s", Report.ops(value(999.9)));
        assertEquals("500/s", Report.ops(value(500)));
        assertEquals("96.2k/s", Report.ops(value(96_195.7)));
        assertEquals("1.23G/s", Report.ops(value(1.23e9)));
    }

    private static Row value(double v) {
        return new Row("none", "fault", "fault", 1, Map.of(), "ops_per_s", v, "ops/s", Double.NaN, Double.NaN, 3);
    }

    /** The bullets of the Caveats section. */
    private static String caveats(String md) {
        int from = md.indexOf("## Caveats\n");
        assertTrue(from >= 0, md);
        int to = md.indexOf("\n## ", from + 1);
        return md.substring(from, to < 0 ? md.length() : to);
    }
}
