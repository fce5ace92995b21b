package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.ResultsCsvTest;
import rlbench.bench.results.Row;

/**
 * {@code compare BASE NEW --report DIR}: the committed baseline against itself is the sanity
 * check (no change, no plot), and bad input writes nothing.
 */
class CompareReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void theBaselineAgainstItselfShowsNoChangeAndSaysWhatDiffers() throws Exception {
        Path base = ResultsCsvTest.baseline();
        Path out = dir.resolve("report");
        Cli c = Cli.run("compare", base.toString(), base.toString(), "--report", out.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("report: " + out.resolve("compare.html")), c.err());
        String md = Files.readString(out.resolve("compare.md"));
        assertTrue(md.contains(" rows compared: 0 regressed, 0 improved, "), md);
        assertTrue(md.contains("## Regressions\n"), md);
        assertTrue(md.contains("| profile | quick | quick |  |\n"), "the same setting is not marked: " + md);
        assertFalse(md.contains("| differs |"), "a run against itself differs in nothing: " + md);
        assertFalse(md.contains("## Where it changed"), md);
        String html = Files.readString(out.resolve("compare.html"));
        assertTrue(html.startsWith("<!DOCTYPE html>") || html.startsWith("<!doctype html>"), html.substring(0, 40));
        assertTrue(Files.isDirectory(out.resolve("plots")));
    }

    @Test
    void aNonEmptyReportFolderIsRefusedAndLeftAsItWas() throws Exception {
        Path base = ResultsCsvTest.baseline();
        Path out = Files.createDirectories(dir.resolve("used"));
        Files.writeString(out.resolve("keep.txt"), "mine");
        Cli.run("compare", base.toString(), base.toString(), "--report", out.toString()).assertBadInput();
        assertEquals(List.of(out.resolve("keep.txt")), Files.list(out).toList());
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
    }

    @Test
    void aMissingRunOrRunsWithNothingInCommonWriteNothing() throws Exception {
        Path base = ResultsCsvTest.baseline();
        Path out = dir.resolve("report");
        Cli missing = Cli.run("compare", base.toString(), dir.resolve("nothing-here").toString(), "--report", out.toString());
        missing.assertBadInput();
        assertFalse(Files.exists(out), "nothing written for a missing run");

        Path other = Files.createDirectories(dir.resolve("other"));
        ResultsCsv csv = ResultsCsv.create(other.resolve("results.csv"), "other", List.of("filePages"));
        csv.append(List.of(new Row("rwsem", "fault", "fault", 1, Map.of("filePages", "7"), "p50_ns", 1000, "ns",
                Double.NaN, Double.NaN, 10)));
        Cli none = Cli.run("compare", base.toString(), other.toString(), "--report", out.toString());
        none.assertBadInput();
        assertTrue(none.err().contains("share no rows"), none.err());
        assertFalse(Files.exists(out), "nothing written when the runs share no rows");
    }

    @Test
    void moreThanTwoRunsNeedAReportFolder() throws Exception {
        Path base = ResultsCsvTest.baseline();
        Cli c = Cli.run("compare", base.toString(), base.toString(), base.toString());
        c.assertBadInput();
        assertTrue(c.err().contains("or more with --report DIR"), c.err());
    }

    /** Several runs drawn side by side: each shared group once, one style per run, no verdicts. */
    @Test
    void severalRunsAreDrawnSideBySideWithoutVerdicts() throws Exception {
        Path a = run("a", "64");
        Path b = run("b", "64");
        Path c = run("c", "64");
        Path out = dir.resolve("many");
        Cli r = Cli.run("compare", a.toString(), b.toString(), c.toString(), "--report", out.toString());
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("compare.md"));
        assertTrue(md.contains("# rangelock-bench: 3 runs side by side"), md);
        assertTrue(md.contains("`a` solid (circles), `b` dashed (diamonds), `c` dotted (squares)"), md);
        assertTrue(md.contains("| setting | a | b | c |  |"), md);
        assertFalse(md.contains("Regressions"), "no verdicts: " + md);
        assertEquals(1, Files.list(out.resolve("plots")).count(), "one figure for the one shared group");
    }

    /** --ignore-param matches groups as it matches a two-run comparison's rows; the heading drops the parameter. */
    @Test
    void severalRunsMatchGroupsWithoutTheIgnoredParameter() throws Exception {
        Path a = run("a", "64");
        Path b = run("b", "64");
        Path c = run("c", "128");
        Path apart = dir.resolve("apart");
        assertEquals(0, Cli.run("compare", a.toString(), b.toString(), c.toString(), "--report", apart.toString()).code());
        String md = Files.readString(apart.resolve("compare.md"));
        assertTrue(md.contains("### fault/fault filePages=64\n"), md);
        assertEquals(1, Files.list(apart.resolve("plots")).count(), "c's group matches no other run's");

        Path together = dir.resolve("together");
        Cli r = Cli.run("compare", a.toString(), b.toString(), c.toString(), "--report", together.toString(),
                "--ignore-param", "filePages");
        assertEquals(0, r.code(), r.err());
        md = Files.readString(together.resolve("compare.md"));
        assertTrue(md.contains("### fault/fault\n"), md);
        assertFalse(md.contains("filePages=64\n"), md);
    }

    /** The options that set a verdict mean nothing without one: refused, nothing written. */
    @Test
    void severalRunsRefuseTheVerdictOptions() throws Exception {
        Path a = run("a", "64");
        Path b = run("b", "64");
        Path c = run("c", "64");
        for (List<String> option : List.of(List.of("--threshold", "3"), List.of("--alpha", "0.05"), List.of("--format", "csv"))) {
            Path out = dir.resolve("refused");
            List<String> args = new java.util.ArrayList<>(List.of(a.toString(), b.toString(), c.toString(),
                    "--report", out.toString()));
            args.addAll(option);
            Cli r = Cli.run("compare", args.toArray(new String[0]));
            r.assertBadInput();
            assertTrue(r.err().contains(option.get(0) + " sets how compare judges two runs"), r.err());
            assertFalse(Files.exists(out), "nothing written for " + option);
        }
    }

    /** A run folder with p50 and p99 of none and rwsem at 1 and 2 threads, filePages as given. */
    private Path run(String name, String filePages) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        ResultsCsv csv = ResultsCsv.create(run.resolve("results.csv"), name, List.of("filePages"));
        for (int t : List.of(1, 2)) {
            for (String d : List.of("none", "rwsem")) {
                csv.append(List.of(
                        new Row(d, "fault", "fault", t, Map.of("filePages", filePages), "p50_ns", 1000 * t, "ns", Double.NaN, Double.NaN, 10),
                        new Row(d, "fault", "fault", t, Map.of("filePages", filePages), "p99_ns", 5000 * t, "ns", Double.NaN, Double.NaN, 10)));
            }
        }
        return run;
    }
}
