package rlbench.bench.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.Row;
import rlbench.bench.results.RunFolder;

/**
 * compare over rounds: the rounds are the replicates, and Benjamini-Hochberg holds the false
 * discovery rate across the rows of one comparison. Synthetic runs: two drawn from one
 * distribution (A/A) must be flagged almost nowhere; a 10% shift in one design (A/B) must be
 * flagged in most of that design's rows and almost nowhere else.
 */
class RoundsComparisonTest {

    private static final List<String> DESIGNS = List.of("none", "rwsem", "page-lock", "range-tree", "lock-entries");
    private static final List<String> METRICS = List.of("ops_per_s", "p50_ns", "p99_ns", "max_ns");
    /** Parameter sets per design: with 5 designs and 4 metrics, 800 rows. */
    private static final int PARAM_SETS = 40;
    private static final int ROUNDS = 10;
    /** Round-to-round noise: each round's value is the row's true value times 1 + N(0, this). */
    private static final double NOISE = 0.04;

    @TempDir
    Path dir;

    @Test
    void benjaminiHochbergOnKnownSets() {
        assertArrayEquals(new boolean[] {true, true, true, true},
                Comparison.benjaminiHochberg(new double[] {0.01, 0.04, 0.03, 0.005}, 0.05), "all under k/m q");
        assertArrayEquals(new boolean[] {true, true, false, false, false, false, false, false},
                Comparison.benjaminiHochberg(new double[] {0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205}, 0.05),
                "the two smallest only");
        // step-up: 0.02 is above 1/3 of 0.05, but 0.025 is under 2/3 of it, so both go
        assertArrayEquals(new boolean[] {false, true, true},
                Comparison.benjaminiHochberg(new double[] {0.9, 0.025, 0.02}, 0.05), "in each value's own place");
        assertArrayEquals(new boolean[] {false, false}, Comparison.benjaminiHochberg(new double[] {0.02, 0.03}, 0.01));
        assertArrayEquals(new boolean[0], Comparison.benjaminiHochberg(new double[0], 0.01));
        // where a per-row alpha would flag 0.009 among many null rows, BH does not
        double[] many = new double[100];
        java.util.Arrays.fill(many, 0.5);
        many[0] = 0.009;
        assertTrue(!Comparison.benjaminiHochberg(many, 0.01)[0], "1 row at p 0.009 among 100 is not a discovery at FDR 0.01");
    }

    @Test
    void aaTwoRunsFromOneDistributionAreFlaggedAlmostNowhere() throws Exception {
        Path a = run("a", 1, null, 0);
        Path b = run("b", 2, null, 0);
        List<Comparison.Line> lines = compare(a, b);
        assertEquals(DESIGNS.size() * PARAM_SETS * METRICS.size(), lines.size());
        long tested = lines.stream().filter(l -> l.test().equals("moderated-t/round")).count();
        assertEquals(lines.size(), tested, "every row is tested over its rounds, on logs against its metric's prior");
        long flagged = lines.stream().filter(RoundsComparisonTest::flagged).count();
        assertTrue(flagged <= lines.size() / 100, flagged + " of " + lines.size() + " rows flagged on identical code");
    }

    @Test
    void abATenPercentShiftInOneDesignIsFlaggedInMostOfItsRows() throws Exception {
        Path a = run("a", 3, null, 0);
        Path b = run("b", 4, "rwsem", 0.10);
        List<Comparison.Line> lines = compare(a, b);
        List<Comparison.Line> shifted = lines.stream().filter(l -> l.key().design().equals("rwsem")).toList();
        List<Comparison.Line> others = lines.stream().filter(l -> !l.key().design().equals("rwsem")).toList();
        long hit = shifted.stream().filter(l -> l.verdict() == Comparison.Verdict.REGRESSED).count();
        assertTrue(hit >= shifted.size() * 9 / 10, hit + " of " + shifted.size() + " shifted rows called regressed");
        long falseHits = others.stream().filter(RoundsComparisonTest::flagged).count();
        assertTrue(falseHits <= others.size() / 100, falseHits + " of " + others.size() + " unshifted rows flagged");
    }

    /**
     * quick's shape: 3 rounds a side and a round-to-round scatter of 12% (this VM's median for a
     * p50 row). Welch's t over 3 rounds cannot find even a doubling among 800 rows; the moderated
     * t must find it in most of that design's rows and flag almost nothing else. (The change is
     * 100%, so the 5% threshold plays no part.)
     */
    @Test
    void atThreeRoundsADoublingIsFoundThroughTheMetricsPrior() throws Exception {
        Path a = run("a3", 21, null, 0, 3, 0.12, PARAM_SETS);
        Path b = run("b3", 22, "rwsem", 1.0, 3, 0.12, PARAM_SETS);
        List<Comparison.Line> lines = compare(a, b);
        List<Comparison.Line> latency = lines.stream()
                .filter(l -> l.key().design().equals("rwsem") && !l.key().metric().equals("ops_per_s")).toList();
        long hit = latency.stream().filter(l -> l.verdict() == Comparison.Verdict.REGRESSED).count();
        assertTrue(hit >= latency.size() * 9 / 10, hit + " of " + latency.size() + " doubled latency rows called regressed");
        long falseHits = lines.stream().filter(l -> !l.key().design().equals("rwsem")).filter(RoundsComparisonTest::flagged).count();
        assertTrue(falseHits <= lines.size() / 100, falseHits + " unshifted rows flagged");
    }

    /** A metric with fewer rows than a prior needs keeps Welch's t-test on its values. */
    @Test
    void aMetricWithTooFewRowsKeepsWelch() throws Exception {
        // one parameter set: 5 rows per metric, below ModeratedT.MIN_ROWS
        List<Comparison.Line> lines = compare(run("a1", 31, null, 0, 4, NOISE, 1), run("b1", 32, null, 0, 4, NOISE, 1));
        assertTrue(DESIGNS.size() < ModeratedT.MIN_ROWS);
        assertTrue(lines.stream().allMatch(l -> l.test().equals("welch-t/round")), lines.toString());
    }

    /** The same shift tested per row at alpha, with no correction, flags rows by chance that BH does not. */
    @Test
    void withoutTheCorrectionChanceFlagsMore() throws Exception {
        List<Comparison.Line> lines = compare(run("a", 5, null, 0), run("b", 6, null, 0));
        long raw = lines.stream().filter(l -> l.pValue() < 0.05).count();
        long flagged = lines.stream().filter(RoundsComparisonTest::flagged).count();
        assertTrue(raw > flagged, "raw p < 0.05 in " + raw + " rows, flagged " + flagged);
    }

    /** With rounds in both runs the rounds are the replicates: no 1-fork note, and every row tested per round. */
    @Test
    void theCommandTestsRoundsAndDropsTheOneForkNote() throws Exception {
        Path a = run("a", 7, null, 0);
        Path b = run("b", 8, null, 0);
        for (Path r : List.of(a, b)) {
            Files.writeString(r.resolve("env.json"), "{\"profile\": \"quick\"}\n");
        }
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = rlbench.bench.cli.Main.execute(new String[] {"compare", a.toString(), b.toString()},
                new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        assertEquals(0, code, out + "" + err);
        assertTrue(!out.toString().contains("note: a run here has 1 fork"), out.toString());
        assertTrue(out.toString().contains("moderated-t/round"), out.toString());
        assertTrue(out.toString().contains("false discovery rate 0.0100"), out.toString());
    }

    private List<Comparison.Line> compare(Path a, Path b) {
        RunFolder ra = RunFolder.open(a);
        RunFolder rb = RunFolder.open(b);
        // threshold 0: every change is worth reporting, so only the test stands between noise and a flag
        return Comparison.compare(ra.results(), rb.results(), ra, rb, 0, 0.01);
    }

    private static boolean flagged(Comparison.Line l) {
        return l.verdict() == Comparison.Verdict.REGRESSED || l.verdict() == Comparison.Verdict.IMPROVED;
    }

    /**
     * A run of {@link #ROUNDS} rounds: every row once per round and once aggregated (the mean).
     * Each row's true value depends on its design and parameters alone, so two runs share it; the
     * rows of {@code shifted} are made worse by {@code shift} (latency up, ops/s down).
     */
    private Path run(String name, long seed, String shifted, double shift) throws Exception {
        return run(name, seed, shifted, shift, ROUNDS, NOISE, PARAM_SETS);
    }

    private Path run(String name, long seed, String shifted, double shift, int roundCount, double noise, int paramSets)
            throws Exception {
        Path run = dir.resolve(name);
        Files.createDirectories(run);
        ResultsCsv csv = ResultsCsv.create(run.resolve("results.csv"), name, List.of("filePages"));
        SplittableRandom rnd = new SplittableRandom(seed);
        List<List<Row>> rounds = new ArrayList<>();
        for (int r = 0; r < roundCount; r++) {
            rounds.add(new ArrayList<>());
        }
        List<Row> aggregates = new ArrayList<>();
        for (int d = 0; d < DESIGNS.size(); d++) {
            String design = DESIGNS.get(d);
            for (int p = 0; p < paramSets; p++) {
                Map<String, String> params = Map.of("filePages", Integer.toString(4096 + p));
                for (String metric : METRICS) {
                    boolean ops = metric.equals("ops_per_s");
                    double truth = (ops ? 1e6 : 1000) * (1 + d) * (1 + p / 10.0);
                    if (design.equals(shifted)) {
                        truth *= ops ? 1 - shift : 1 + shift;
                    }
                    double sum = 0;
                    for (int r = 0; r < roundCount; r++) {
                        double v = truth * (1 + noise * gaussian(rnd));
                        sum += v;
                        rounds.get(r).add(new Row(design, "fault", "fault", 1, params, metric, v, ops ? "ops/s" : "ns",
                                Double.NaN, Double.NaN, 1000));
                    }
                    aggregates.add(new Row(design, "fault", "fault", 1, params, metric, sum / roundCount,
                            ops ? "ops/s" : "ns", Double.NaN, Double.NaN, roundCount));
                }
            }
        }
        for (int r = 0; r < roundCount; r++) {
            csv.append(rounds.get(r), r + 1);
        }
        csv.append(aggregates);
        return run;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = Math.max(1e-12, rnd.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }
}
