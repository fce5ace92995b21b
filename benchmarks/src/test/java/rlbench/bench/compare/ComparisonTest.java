package rlbench.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import rlbench.bench.cli.Main;
import rlbench.bench.run.Histograms;
import rlbench.bench.run.ResultsCsv;

class ComparisonTest {

    @TempDir
    Path dir;

    /** A run folder with one fault row set: ops/s with an interval, latencies with a histogram. */
    private Path run(String name, double opsPerSec, double opsHalfWidth, long latencyCenterNs) throws Exception {
        return run(name, opsPerSec, opsHalfWidth, latencyCenterNs, "0");
    }

    private Path run(String name, double opsPerSec, double opsHalfWidth, long latencyCenterNs, String deviceLatency)
            throws Exception {
        Histogram h = new Histogram(3);
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        for (int i = 0; i < 20_000; i++) {
            h.recordValue(latencyCenterNs + rnd.nextLong(latencyCenterNs / 4));
        }
        return run(name, opsPerSec, opsHalfWidth, h, deviceLatency, List.of("p50_ns", "p99_ns"));
    }

    /** A run folder whose latency rows ({@code p50_ns}, {@code p99_ns}, {@code max_ns}) come from {@code h}. */
    private Path run(String name, double opsPerSec, double opsHalfWidth, Histogram h, String deviceLatency,
                     List<String> latencyMetrics) throws Exception {
        Path run = dir.resolve(name);
        Files.createDirectories(run);
        ResultsCsv csv = new ResultsCsv(run.resolve("results.csv"), name, List.of("deviceLatencyNs", "hitRatio"));
        Map<String, String> params = Map.of("hitRatio", "0.0", "deviceLatencyNs", deviceLatency);
        Histograms.write(h, run.resolve("hgrm"), Histograms.fileName("rwsem", "fault", "fault", 1, params));
        List<ResultsCsv.Row> rows = new java.util.ArrayList<>(List.of(
                new ResultsCsv.Row("rwsem", "fault", "fault", 1, params, "ops_per_s", opsPerSec, "ops/s",
                        ResultsCsv.format(opsPerSec - opsHalfWidth), ResultsCsv.format(opsPerSec + opsHalfWidth), 5)));
        for (String m : latencyMetrics) {
            double v = m.equals("max_ns") ? h.getMaxValue() : h.getValueAtPercentile(m.equals("p50_ns") ? 50 : 99);
            rows.add(new ResultsCsv.Row("rwsem", "fault", "fault", 1, params, m, v, "ns", "", "", h.getTotalCount()));
        }
        csv.append(rows);
        return run;
    }

    @Test
    void aPercentileThatMovesAgainstTheWholeDistributionIsNotCalledImprovedOrRegressed() throws Exception {
        // Base: most ops near 1 us, a 2% tail at 1 ms. New: every op near 2 us, no tail. The median
        // doubled (regressed); p99 and max fell, but the samples as a whole moved up.
        Histogram base = new Histogram(3);
        Histogram next = new Histogram(3);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            base.recordValue(i % 50 == 0 ? 1_000_000 + rnd.nextLong(1000) : 1_000 + rnd.nextLong(250));
            next.recordValue(2_000 + rnd.nextLong(500));
        }
        List<String> metrics = List.of("p50_ns", "p99_ns", "max_ns");
        Path a = run("a", 1_000_000, 20_000, base, "0", metrics);
        Path b = run("b", 1_000_000, 20_000, next, "0", metrics);
        StringWriter out = new StringWriter();
        assertEquals(1, compare(out, a.toString(), b.toString(), "--format", "csv"));
        String text = out.toString();
        assertTrue(text.lines().anyMatch(l -> l.contains("p50_ns") && l.endsWith(",regressed")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("p99_ns") && l.endsWith(",changed_not_significant")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("max_ns") && l.endsWith(",untested")), text);
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
    void mannWhitneySeesNoDifferenceBetweenEqualDistributions() {
        Histogram a = new Histogram(3);
        Histogram b = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            a.recordValue(i);
            b.recordValue(i);
        }
        assertTrue(Comparison.mannWhitneyP(a, b) > 0.9);
        Histogram c = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            c.recordValue(i + 300);
        }
        assertTrue(Comparison.mannWhitneyP(a, c) < 1e-6);
        assertTrue(Comparison.mannWhitneyZ(a, c) * Math.signum(c.getMean() - a.getMean()) > 0,
                "the z-score's sign says which side is larger");
        assertTrue(Comparison.mannWhitneyZ(c, a) * Math.signum(c.getMean() - a.getMean()) < 0);
    }

    @Test
    void runsWithNothingInCommonAndBadOptionsAreBadInput() throws Exception {
        Path a = run("a", 1_000_000, 20_000, 1_000);
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        new ResultsCsv(other.resolve("results.csv"), "o", List.of()).append(List.of(
                new ResultsCsv.Row("none", "write", "write", 2, Map.of(), "ops_per_s", 5, "ops/s", "", "", 1)));
        StringWriter out = new StringWriter();
        assertEquals(2, compare(out, a.toString(), other.toString()));
        assertEquals(2, compare(out, a.toString(), dir.resolve("missing").toString()));
        assertEquals(2, compare(out, a.toString(), a.toString(), "--alpha", "0"));
        assertEquals(2, compare(out, a.toString(), a.toString(), "--format", "xml"));
        assertEquals(2, compare(out, a.toString(), a.toString(), "--threshold", "-1"));
    }
}
