package rlbench.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rlbench.bench.cli.Main;
import rlbench.bench.results.Histograms;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.Row;

class ComparisonTest {

    @TempDir
    Path dir;

    /** A run folder with one fault row set: ops/s with an interval, latencies with a histogram. */
    private Path run(String name, double opsPerSec, double opsHalfWidth, long latencyCenterNs) throws Exception {
        return run(name, opsPerSec, opsHalfWidth, latencyCenterNs, "0");
    }

    private Path run(String name, double opsPerSec, double opsHalfWidth, long latencyCenterNs, String deviceLatency)
            throws Exception {
        // 8 iterations: Benjamini-Hochberg over a run's m tested rows needs the smallest p-value
        // under 0.01/m, and Mann-Whitney over 5 against 5 cannot go below 0.0079.
        return run(name, opsPerSec, opsHalfWidth, iterations(name, latencyCenterNs, 8, 0.02), deviceLatency,
                List.of("p50_ns", "p99_ns"));
    }

    /**
     * {@code count} iterations of 4,000 ops each, uniform over [center, 1.25 center), each
     * iteration's center moved by up to +-{@code wobble} (a fraction), as JVM state moves it.
     */
    private static List<Histogram> iterations(String seed, long center, int count, double wobble) {
        SplittableRandom rnd = new SplittableRandom(seed.hashCode());
        List<Histogram> out = new java.util.ArrayList<>();
        for (int it = 0; it < count; it++) {
            long c = Math.round(center * (1 + wobble * (2 * rnd.nextDouble() - 1)));
            Histogram h = new Histogram(3);
            for (int i = 0; i < 4_000; i++) {
                h.recordValue(c + rnd.nextLong(Math.max(1, c / 4)));
            }
            out.add(h);
        }
        return out;
    }

    /** A run folder whose latency rows ({@code p50_ns}, {@code p99_ns}, {@code max_ns}) come from {@code iterations}. */
    private Path run(String name, double opsPerSec, double opsHalfWidth, List<Histogram> iterations, String deviceLatency,
                     List<String> latencyMetrics) throws Exception {
        Histogram h = Histograms.sum(iterations);
        Path run = dir.resolve(name);
        Files.createDirectories(run);
        ResultsCsv csv = ResultsCsv.create(run.resolve("results.csv"), name, List.of("deviceLatencyNs", "hitRatio"));
        Map<String, String> params = Map.of("hitRatio", "0.0", "deviceLatencyNs", deviceLatency);
        Histograms.write(iterations, run.resolve("hgrm"), Histograms.fileName("rwsem", "fault", "fault", 1, params));
        List<Row> rows = new java.util.ArrayList<>(List.of(
                new Row("rwsem", "fault", "fault", 1, params, "ops_per_s", opsPerSec, "ops/s",
                        opsPerSec - opsHalfWidth, opsPerSec + opsHalfWidth, 5)));
        for (String m : latencyMetrics) {
            double v = m.equals("max_ns") ? h.getMaxValue() : h.getValueAtPercentile(m.equals("p50_ns") ? 50 : 99);
            rows.add(new Row("rwsem", "fault", "fault", 1, params, m, v, "ns", Double.NaN, Double.NaN, h.getTotalCount()));
        }
        csv.append(rows);
        return run;
    }

    @Test
    void latencyIsTestedOverIterationsNotOperations() throws Exception {
        // Two runs of the same code whose iterations wobble by +-10%: the median moves a few
        // percent. Over 20,000 single ops that would be "significant"; over 5 iterations a side
        // it is not.
        List<String> metrics = List.of("p50_ns", "p99_ns", "max_ns");
        Path a = run("a", 1_000_000, 20_000, iterations("a", 10_000, 5, 0.10), "0", metrics);
        Path b = run("b", 1_000_000, 20_000, iterations("b", 10_600, 5, 0.10), "0", metrics);
        StringWriter out = new StringWriter();
        assertEquals(0, compare(out, a.toString(), b.toString(), "--format", "csv"));
        String text = out.toString();
        assertTrue(text.lines().skip(1).noneMatch(l -> l.endsWith(",regressed") || l.endsWith(",improved")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("p50_ns") && l.contains("mann-whitney/iter")), text);

        // The same shift with steady iterations is a regression, found by the same test.
        // 8 steady iterations a side (5 a side was enough before Benjamini-Hochberg: see run())
        Path c = run("c", 1_000_000, 20_000, iterations("c", 10_000, 8, 0.0), "0", metrics);
        Path d = run("d", 1_000_000, 20_000, iterations("d", 12_000, 8, 0.0), "0", metrics);
        out = new StringWriter();
        assertEquals(1, compare(out, c.toString(), d.toString(), "--format", "csv"));
        assertTrue(out.toString().lines().anyMatch(l -> l.contains("p50_ns") && l.endsWith(",regressed")), out.toString());
    }

    @Test
    void threeIterationsASideUseWelchAndOneIterationIsUntested() throws Exception {
        List<String> metrics = List.of("p50_ns");
        Path a = run("a", 1_000_000, 20_000, iterations("a", 1_000, 3, 0.01), "0", metrics);
        Path b = run("b", 1_000_000, 20_000, iterations("b", 50_000, 3, 0.01), "0", metrics);
        StringWriter out = new StringWriter();
        assertEquals(1, compare(out, a.toString(), b.toString(), "--format", "csv"));
        assertTrue(out.toString().lines().anyMatch(l -> l.contains("p50_ns") && l.contains("welch-t/iter")
                && l.endsWith(",regressed")), out.toString());

        Path c = run("c", 1_000_000, 20_000, List.of(Histograms.sum(iterations("c", 1_000, 3, 0.01))), "0", metrics);
        Path e = run("e", 1_000_000, 20_000, List.of(Histograms.sum(iterations("e", 50_000, 3, 0.01))), "0", metrics);
        out = new StringWriter();
        assertEquals(0, compare(out, c.toString(), e.toString(), "--format", "csv"), "one merged histogram a side: no test");
        assertTrue(out.toString().lines().anyMatch(l -> l.contains("p50_ns") && l.endsWith(",untested")), out.toString());
    }

    @Test
    void aShiftWithNoSpreadInEitherRunIsStillTested() throws Exception {
        // Per-iteration percentiles are quantised: three identical p50s a side leave Welch's t undefined.
        List<String> metrics = List.of("p50_ns");
        Path a = run("a", 1_000_000, 20_000, constantIterations(300, 3), "0", metrics);
        Path b = run("b", 1_000_000, 20_000, constantIterations(400, 3), "0", metrics);
        StringWriter out = new StringWriter();
        assertEquals(1, compare(out, a.toString(), b.toString(), "--format", "csv"));
        assertTrue(out.toString().lines().anyMatch(l -> l.contains("p50_ns") && l.endsWith(",regressed")), out.toString());
    }

    @Test
    void aRowWhosePooledValueMovedAgainstItsIterationsIsNotCalledImproved() throws Exception {
        // Base: 15 iterations at 100 ns. New: 14 at 130 ns and one large iteration at 90 ns, which
        // pulls the pooled median down while the iterations, as the test sees them, went up.
        List<Histogram> base = constantIterations(100, 15);
        List<Histogram> next = new java.util.ArrayList<>(constantIterations(130, 14));
        Histogram big = new Histogram(3);
        big.recordValueWithCount(90, 200_000);
        next.add(big);
        List<String> metrics = List.of("p50_ns");
        Path a = run("a", 1_000_000, 20_000, base, "0", metrics);
        Path b = run("b", 1_000_000, 20_000, next, "0", metrics);
        StringWriter out = new StringWriter();
        assertEquals(0, compare(out, a.toString(), b.toString(), "--format", "csv"));
        assertTrue(out.toString().lines().anyMatch(l -> l.contains("p50_ns") && l.endsWith(",changed_not_significant")),
                out.toString());
    }

    private static List<Histogram> constantIterations(long value, int count) {
        List<Histogram> out = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Histogram h = new Histogram(3);
            h.recordValueWithCount(value, 1_000);
            out.add(h);
        }
        return out;
    }

    /**
     * A doubled p50 is a regression (exit 1) while the histograms are whole. Cut one short, or
     * fill it with text, and the comparison is refused naming the file, exit 2: never a stack
     * trace with exit 1, never a silent "untested" with exit 0.
     */
    @ParameterizedTest
    @ValueSource(strings = {"TRUNCATED", "GARBAGE", "EMPTY", "NOT_UTF8", "MISSING_HLOG", "ENV_JSON"})
    void aCorruptHistogramOrEnvJsonIsBadInputNamingTheFile(String what) throws Exception {
        List<String> metrics = List.of("p50_ns");
        // 8 iterations a side: see run()
        Path a = run("a", 1_000_000, 20_000, iterations("a", 1_000, 8, 0.01), "0", metrics);
        Path b = run("b", 1_000_000, 20_000, iterations("b", 2_000, 8, 0.01), "0", metrics);
        assertEquals(1, compare(new StringWriter(), a.toString(), b.toString()), "whole histograms: a regression");

        Path hlog = b.resolve("hgrm").resolve(Histograms.fileName("rwsem", "fault", "fault", 1,
                Map.of("hitRatio", "0.0", "deviceLatencyNs", "0")) + ".hlog");
        byte[] whole = Files.readAllBytes(hlog);
        Path named = hlog;
        switch (what) {
            case "TRUNCATED" -> Files.write(hlog, java.util.Arrays.copyOf(whole, whole.length * 2 / 3));
            case "GARBAGE" -> Files.writeString(hlog, "this is not\na histogram log\n");
            case "EMPTY" -> Files.write(hlog, new byte[0]);
            case "NOT_UTF8" -> Files.write(hlog, new byte[] {'#', (byte) 0xff, '\n'});
            case "MISSING_HLOG" -> Files.delete(hlog); // its .hgrm stays: not an older run, an incomplete one
            default -> {
                named = b.resolve("env.json");
                Files.writeString(named, "{\"profile\": ");
            }
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new String[] {"compare", a.toString(), b.toString()}, new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertEquals(2, code, err.toString() + out);
        assertEquals("", out.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("rlbench: " + named), err.toString());
    }

    @Test
    void singleForkRunsGetANoteThatTheirTestsOverstate() throws Exception {
        Path a = run("a", 1_000_000, 20_000, 1_000);
        Path b = run("b", 1_000_000, 20_000, 1_000);
        StringWriter out = new StringWriter();
        compare(out, a.toString(), b.toString());
        assertFalse(out.toString().contains("1 fork"), "no env.json: nothing known, nothing said");
        Files.writeString(b.resolve("env.json"), "{\"profile\": \"quick\"}\n");
        out = new StringWriter();
        compare(out, a.toString(), b.toString());
        assertTrue(out.toString().contains("note: a run here has 1 fork per benchmark"), out.toString());
        Files.writeString(b.resolve("env.json"), "{\"profile\": \"full\"}\n");
        out = new StringWriter();
        compare(out, a.toString(), b.toString());
        assertFalse(out.toString().contains("1 fork"), out.toString());
    }

    @Test
    void perIterationValuesComeFromEachNonEmptyInterval() {
        Histogram one = new Histogram(3);
        Histogram two = new Histogram(3);
        for (int i = 1; i <= 100; i++) {
            one.recordValue(i);
            two.recordValue(10 * i);
        }
        double[] p50 = Comparison.perIteration(List.of(one, new Histogram(3), two), "p50_ns");
        assertEquals(2, p50.length, "an empty interval is no sample");
        assertEquals(50, p50[0], 1);
        assertEquals(500, p50[1], 5);
        assertEquals(1000, Comparison.perIteration(List.of(one, two), "max_ns")[1], 1);
    }

    private static int compare(StringWriter out, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "compare";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.execute(all, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    }

    @Test
    void aRunComparedWithItselfIsUnchangedEverywhere() throws Exception {
        Path a = run("a", 1_000_000, 20_000, 1_000);
        StringWriter out = new StringWriter();
        assertEquals(0, compare(out, a.toString(), a.toString(), "--format", "csv"));
        List<String> rows = out.toString().lines().skip(1).toList();
        assertEquals(3, rows.size());
        for (String r : rows) {
            assertTrue(r.endsWith(",unchanged"), r);
        }
    }

    @Test
    void slowerFaultsAreFlaggedAsRegressedAndExitOne() throws Exception {
        Path a = run("a", 1_000_000, 20_000, 1_000);
        Path b = run("b", 600_000, 20_000, 2_000);
        StringWriter out = new StringWriter();
        assertEquals(1, compare(out, a.toString(), b.toString(), "--format", "csv"));
        String text = out.toString();
        assertTrue(text.lines().anyMatch(l -> l.contains("ops_per_s") && l.contains("welch-t") && l.endsWith(",regressed")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("p99_ns") && l.contains("mann-whitney") && l.endsWith(",regressed")), text);
    }

    @Test
    void aRunWithAnotherDeviceLatencyMatchesWhenThatParameterIsIgnored() throws Exception {
        Path a = run("a", 1_000_000, 20_000, 1_000, "0");
        Path b = run("b", 1_000_000, 20_000, 50_000, "50000");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(2, Main.execute(new String[] {"compare", a.toString(), b.toString()}, new PrintWriter(out, true),
                new PrintWriter(err, true)), "different parameters: nothing in common");
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("they differ in deviceLatencyNs"), err.toString());
        out = new StringWriter();
        assertEquals(1, compare(out, a.toString(), b.toString(), "--ignore-param", "deviceLatencyNs", "--format", "csv"));
        String text = out.toString();
        assertTrue(text.lines().anyMatch(l -> l.contains("p50_ns") && l.contains("mann-whitney") && l.endsWith(",regressed")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("ops_per_s") && l.endsWith(",unchanged")), text);
    }

    @Test
    void fasterIsImprovedNotRegressed() throws Exception {
        Path a = run("a", 600_000, 20_000, 2_000);
        Path b = run("b", 1_000_000, 20_000, 1_000);
        StringWriter out = new StringWriter();
        assertEquals(0, compare(out, a.toString(), b.toString(), "--format", "csv"));
        assertTrue(out.toString().lines().skip(1).allMatch(l -> l.endsWith(",improved")), out.toString());
    }

    @Test
    void aSmallChangeWithinTheNoiseIsNotARegression() throws Exception {
        Path a = run("a", 1_000_000, 200_000, 1_000);
        Path b = run("b", 900_000, 200_000, 1_000);
        StringWriter out = new StringWriter();
        assertEquals(0, compare(out, a.toString(), b.toString(), "--format", "csv"));
        assertTrue(out.toString().contains("ops_per_s") && out.toString().contains("changed_not_significant"), out.toString());
    }

    @Test
    void runsWithNothingInCommonAndBadOptionsAreBadInput() throws Exception {
        Path a = run("a", 1_000_000, 20_000, 1_000);
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        ResultsCsv.create(other.resolve("results.csv"), "o", List.of()).append(List.of(
                new Row("none", "write", "write", 2, Map.of(), "ops_per_s", 5, "ops/s", Double.NaN, Double.NaN, 1)));
        StringWriter out = new StringWriter();
        assertEquals(2, compare(out, a.toString(), other.toString()));
        assertEquals(2, compare(out, a.toString(), dir.resolve("missing").toString()));
        assertEquals(2, compare(out, a.toString(), a.toString(), "--alpha", "0"));
        assertEquals(2, compare(out, a.toString(), a.toString(), "--format", "xml"));
        assertEquals(2, compare(out, a.toString(), a.toString(), "--threshold", "-1"));
    }
}
