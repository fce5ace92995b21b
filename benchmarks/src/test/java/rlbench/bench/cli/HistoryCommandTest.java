package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HistoryCommandTest {

    /** The header of a real quick run's results.csv. */
    static final String HEADER = "run_id,design,workload,op,threads,cache,deviceLatencyNs,deviceMode,faultKind,filePages,hitRatio,"
            + "pagesPerWrite,punchIntervalUs,punchPages,puncher,readPages,regions,metric,value,unit,ci_low,ci_high,n";
    private static final String FAULT = "rwsem,fault,fault,1,,0,DATA,read,65536,0.0,,1000,16,off,,,";
    private static final String WRITE = "range-tree,write,write,2,,0,DATA,,65536,1.0,1,1000,16,on,,disjoint,";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private static Cli run(String... args) {
        return Cli.run("history", args);
    }

    /**
     * {@code count} run folders under {@code dir/history}, one a day, the i-th measuring fault
     * ops/s {@code faultOps(i)}, and write ops/s and fault p99 flat, all with 5% gaussian noise.
     * The folder names sort the opposite way to the runs' start times ({@code run-29} is the
     * oldest), so only env.json's order gives the right answer.
     */
    private Path history(int count, IntToDoubleFunction faultOps, IntToDoubleFunction faultP99) throws IOException {
        Path root = dir.resolve("history");
        Random rnd = new Random(11);
        for (int i = 0; i < count; i++) {
            String name = name(i, count);
            double ops = faultOps.applyAsDouble(i) * (1 + 0.05 * rnd.nextGaussian());
            double p99 = faultP99.applyAsDouble(i) * (1 + 0.05 * rnd.nextGaussian());
            double write = 200_000 * (1 + 0.05 * rnd.nextGaussian());
            writeRun(root.resolve(name), T0.plus(Duration.ofDays(i)), List.of(
                    name + "," + FAULT + "ops_per_s," + num(ops) + ",ops/s," + num(ops * 0.98) + "," + num(ops * 1.02) + ",3",
                    name + "," + FAULT + "p99_ns," + num(p99) + ",ns,,,306232",
                    name + "," + WRITE + "ops_per_s," + num(write) + ",ops/s,,,3"));
        }
        return root;
    }

    private static String name(int i, int count) {
        return String.format(Locale.ROOT, "run-%02d", count - 1 - i);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static void writeRun(Path run, Instant started, List<String> rows) throws IOException {
        Files.createDirectories(run);
        Files.writeString(run.resolve("results.csv"), HEADER + "\n" + String.join("\n", rows) + "\n");
        if (started != null) {
            Files.writeString(run.resolve("env.json"), "{\n  \"started\": \"" + started + "\",\n  \"profile\": \"quick\"\n}\n");
        }
    }

    private static List<String> dataLines(String table) {
        List<String> lines = table.lines().toList();
        int end = lines.indexOf("");
        return lines.subList(1, end < 0 ? lines.size() : end);
    }

    @Test
    void aTwentyPercentDropInThirtyRunsIsFoundAtTheRunWhereItStarts() throws Exception {
        Path root = history(30, i -> i < 15 ? 1_000_000 : 800_000, i -> 20_000);
        Cli o = run(root.toString());
        assertEquals(0, o.code(), o.err());
        List<String> rows = dataLines(o.out());
        assertEquals(1, rows.size(), o.out());
        String row = rows.get(0);
        assertTrue(row.startsWith("rwsem fault/fault t1 deviceLatencyNs=0 deviceMode=DATA faultKind=read filePages=65536 "
                + "hitRatio=0.0 punchIntervalUs=1000 punchPages=16 puncher=off ops_per_s"), row);
        String[] cells = row.substring(row.indexOf("ops_per_s") + "ops_per_s".length()).trim().split("\\s+");
        // with 5% noise the run next to the step may look like either level: one run either side is a hit
        assertTrue(List.of(name(14, 30), name(15, 30), name(16, 30)).contains(cells[0]), row);
        assertEquals(1_000_000, Double.parseDouble(cells[1]), 30_000, row);
        assertEquals(800_000, Double.parseDouble(cells[2]), 30_000, row);
        assertEquals(-20, Double.parseDouble(cells[3]), 3, row);
        assertTrue(Double.parseDouble(cells[4]) < 0.001, row);
        assertEquals("regression", cells[5], row);
        assertTrue(o.out().contains("3 series over 30 runs (run-29 .. run-00): 1 change point, 1 regression"), o.out());
        assertEquals(1, run(root.toString(), "--fail-on-regression").code());
    }

    @Test
    void aFlatNoisyHistoryHasNoChangePoint() throws Exception {
        Path root = history(30, i -> 1_000_000, i -> 20_000);
        Cli o = run(root.toString(), "--fail-on-regression");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("no change points\n"), o.out());
        assertTrue(o.out().contains("3 series over 30 runs"), o.out());
    }

    @Test
    void aLatencyRiseIsARegressionAndARiseInOpsPerSecondIsNot() throws Exception {
        Path root = history(30, i -> i < 12 ? 1_000_000 : 1_300_000, i -> i < 20 ? 20_000 : 26_000);
        Cli o = run(root.toString(), "--format", "csv");
        assertEquals(0, o.code(), o.err());
        List<String> rows = o.out().lines().toList();
        assertEquals("series,run,before,after,change_pct,p_value,verdict", rows.get(0));
        assertEquals(3, rows.size(), o.out());
        assertTrue(rows.get(1).contains("ops_per_s,run-17,") && rows.get(1).endsWith(",improvement"), rows.get(1));
        assertTrue(rows.get(2).contains("p99_ns,run-09,") && rows.get(2).endsWith(",regression"), rows.get(2));
        assertEquals(1, run(root.toString(), "--fail-on-regression").code());
        assertEquals(0, run(root.toString(), "--fail-on-regression", "--metric", "ops_per_s").code());
    }

    /**
     * --min-magnitude: a 30% rise in ops/s and a 30% rise in p99 are both found; at 35% neither is
     * reported (and with them, the p99 regression no longer fails the gate), at 25% both are.
     */
    @Test
    void changesSmallerThanTheMinimumMagnitudeAreNotReported() throws Exception {
        Path root = history(30, i -> i < 12 ? 1_000_000 : 1_300_000, i -> i < 20 ? 20_000 : 26_000);
        Cli all = run(root.toString(), "--format", "csv", "--min-magnitude", "25");
        assertEquals(3, all.out().lines().count(), all.out());
        Cli none = run(root.toString(), "--min-magnitude", "35", "--fail-on-regression");
        assertEquals(0, none.code(), none.out());
        assertTrue(none.out().startsWith("no change points\n"), none.out());
        assertTrue(none.out().contains("min magnitude 35%"), none.out());
        assertEquals(1, run(root.toString(), "--min-magnitude", "25", "--fail-on-regression").code());
    }

    /** The newest reported change marks the series' level when a later, smaller one is left out. */
    @Test
    void theNewestReportedChangeIsTheNewestWhenALaterSmallOneIsLeftOut() throws Exception {
        // p99: +50% at run 10, then -10% at run 20: at --min-magnitude 20 the rise is the newest change and fails the gate
        Path root = history(30, i -> 1_000_000, i -> i < 10 ? 20_000 : i < 20 ? 30_000 : 27_000);
        assertEquals(0, run(root.toString(), "--fail-on-regression", "--metric", "p99_ns").code(), "the newest level is an improvement");
        Cli o = run(root.toString(), "--fail-on-regression", "--metric", "p99_ns", "--min-magnitude", "20", "--format", "csv");
        assertEquals(2, o.out().lines().count(), o.out());
        assertEquals(1, o.code(), o.out());
    }

    @Test
    void aRegressionFixedSinceDoesNotFail() throws Exception {
        Path root = history(30, i -> i >= 10 && i < 20 ? 700_000 : 1_000_000, i -> 20_000);
        Cli o = run(root.toString(), "--fail-on-regression", "--format", "md");
        assertEquals(0, o.code(), o.out());
        List<String> rows = dataLines(o.out());
        assertEquals("|---|---|---:|---:|---:|---:|---|", rows.get(0));
        assertEquals(3, rows.size(), o.out());
        assertTrue(rows.get(1).contains("| " + name(10, 30) + " |") && rows.get(1).endsWith("| regression |"), rows.get(1));
        assertTrue(rows.get(2).contains("| " + name(20, 30) + " |") && rows.get(2).endsWith("| improvement |"), rows.get(2));
        assertTrue(o.out().contains("2 change points, 1 regression, 0 still at a regressed level"), o.out());
    }

    @Test
    void runFoldersMayBeNamedOneByOneAndWithoutEnvJsonAreOrderedByName() throws Exception {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double ops = i < 4 ? 1_000_000 : 500_000;
            Path r = dir.resolve(String.format(Locale.ROOT, "2026-03-%02d-quick", 20 - i));
            writeRun(r, null, List.of("x," + FAULT + "ops_per_s," + num(ops * (1 + 0.01 * (i % 3))) + ",ops/s,,,3"));
            args.add(r.toString());
        }
        Cli o = run(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        List<String> rows = dataLines(o.out());
        assertEquals(1, rows.size(), o.out());
        assertTrue(rows.get(0).contains(" 2026-03-17-quick ") && rows.get(0).endsWith(" improvement"), rows.get(0));
    }

    @Test
    void withoutEnvJsonRunNumbersSortAsNumbers() throws Exception {
        Path root = Files.createDirectories(dir.resolve("numbered"));
        for (int i = 7; i <= 14; i++) {
            double ops = i < 11 ? 1_000_000 : 500_000;
            writeRun(root.resolve(i + "-sha" + i), null, List.of("x," + FAULT + "ops_per_s," + num(ops * (1 + 0.01 * (i % 3))) + ",ops/s,,,3"));
        }
        Cli o = run(root.toString());
        assertEquals(0, o.code(), o.err());
        List<String> rows = dataLines(o.out());
        assertEquals(1, rows.size(), o.out());
        assertTrue(rows.get(0).contains(" 11-sha11 ") && rows.get(0).endsWith(" regression"), "run 9 before run 10: " + rows.get(0));
    }

    @Test
    void seriesMissingFromSomeRunsUseTheRunsThatHaveThem() throws Exception {
        Path root = history(30, i -> i < 15 ? 1_000_000 : 800_000, i -> 20_000);
        Path extra = root.resolve("run-extra");
        writeRun(extra, T0.plus(Duration.ofDays(40)), List.of("run-extra,none,floor,casPair,1,,,,,,,,,,,,,ops_per_s,5,ops/s,,,3"));
        Cli o = run(root.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("4 series over 31 runs (run-29 .. run-extra): 1 change point"), o.out());
    }

    @Test
    void noArgumentMeansResultsHistoryInTheCurrentFolder() {
        Cli o = run();
        if (Files.isDirectory(Path.of("results", "history"))) {
            return;
        }
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no such folder: results/history (the default"), o.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"MISSING", "EMPTY", "FEW", "--min-segment 16", "--pvalue 0", "--pvalue 1", "--pvalue -0.5",
        "--pvalue 2", "--pvalue NaN", "--pvalue abc", "--min-segment 1", "--min-segment 0", "--min-segment x",
        "--metric (", "--metric [a-", "--metric nothing_ns", "--format xml", "--bogus", "BADCSV", "NOTDIR", "BADENV", "BADTIME",
        "--min-segment 1073741824", "--min-segment 2147483647", "NEGATIVE", "NOTUTF8", "--min-magnitude -1",
        "--min-magnitude NaN", "--min-magnitude x"})
    void badInputGetsOneLineAndExitTwo(String argLine) throws Exception {
        Path root = history(30, i -> 1_000_000, i -> 20_000);
        List<String> args = new ArrayList<>();
        switch (argLine) {
            case "MISSING" -> args.add(dir.resolve("nope").toString());
            case "EMPTY" -> args.add(Files.createDirectories(dir.resolve("empty")).toString());
            case "FEW" -> {
                for (int i = 0; i < 5; i++) {
                    args.add(root.resolve(name(i, 30)).toString());
                }
            }
            case "BADCSV" -> {
                Files.writeString(root.resolve(name(7, 30)).resolve("results.csv"),
                        HEADER + "\nx," + FAULT + "ops_per_s,fast,ops/s,,,3\n");
                args.add(root.toString());
            }
            case "NOTDIR" -> args.add(root.resolve(name(0, 30)).resolve("results.csv").toString());
            case "BADENV" -> {
                Files.writeString(root.resolve(name(12, 30)).resolve("env.json"), "{\"started\": ");
                args.add(root.toString());
            }
            case "NEGATIVE" -> {
                Files.writeString(root.resolve(name(7, 30)).resolve("results.csv"),
                        HEADER + "\nx," + FAULT + "p99_ns,-20000,ns,,,306232\n");
                args.add(root.toString());
            }
            case "NOTUTF8" -> {
                Files.write(root.resolve(name(12, 30)).resolve("env.json"), new byte[] {'{', '"', (byte) 0xC3, '"', '}'});
                args.add(root.toString());
            }
            case "BADTIME" -> {
                Files.writeString(root.resolve(name(12, 30)).resolve("env.json"), "{\"started\": \"yesterday\"}");
                args.add(root.toString());
            }
            default -> {
                args.add(root.toString());
                args.addAll(List.of(argLine.split(" ")));
            }
        }
        Cli o = run(args.toArray(String[]::new));
        o.assertBadInput();
        if (argLine.equals("BADCSV")) {
            assertTrue(o.err().contains("results.csv:2: value is not a number: 'fast'"), o.err());
        }
        if (argLine.equals("--min-segment 1073741824")) {
            assertTrue(o.err().contains("30 runs found; a change point needs at least 2147483648 (twice --min-segment 1073741824)"),
                    o.err());
        }
        if (argLine.equals("NEGATIVE")) {
            assertTrue(o.err().contains("results.csv:2: value must be 0 or more"), o.err());
        }
        if (argLine.equals("NOTUTF8")) {
            assertTrue(o.err().contains("env.json: not UTF-8 text"), o.err());
        }
        if (argLine.equals("FEW")) {
            assertTrue(o.err().contains("5 runs found; a change point needs at least 6"), o.err());
        }
    }
}
