package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportCommandTest {

    @TempDir
    Path dir;

    private static Cli run(String... args) {
        return Cli.run("report", args);
    }

    /** Two designs of fault/fault at one and two threads: one group, so one plot. */
    private Path sampleRun() throws Exception {
        List<String> rows = new ArrayList<>();
        for (String design : List.of("none", "rwsem")) {
            for (int t : List.of(1, 2)) {
                String bench = "q," + design + ",fault,fault," + t + ",,0,DATA,read,65536,0.9,,1000,16,off,,,";
                int f = design.equals("none") ? 1 : 2;
                rows.add(bench + "ops_per_s," + 100_000 * t / f + ",ops/s," + 98_000 * t / f + "," + 102_000 * t / f + ",3");
                rows.add(bench + "p50_ns," + 1420 * f + ",ns,,,306232");
                rows.add(bench + "p99_ns," + 14_200 * f + ",ns,,,306232");
            }
        }
        Path run = dir.resolve("2026-03-01-quick");
        HistoryCommandTest.writeRun(run, java.time.Instant.parse("2026-03-01T10:00:00Z"), rows);
        return run;
    }

    @Test
    void writesTheReportAndSaysWhere() throws Exception {
        Path run = sampleRun();
        Cli o = run(run.toString());
        assertEquals(0, o.code(), o.err());
        assertEquals("", o.err());
        assertEquals("report: " + run.resolve("report.html") + " (1 plots), " + run.resolve("report.md") + "\n", o.out());
        assertTrue(Files.isRegularFile(run.resolve("plots/threads-fault-fault-all.png")));
        String md = Files.readString(run.resolve("report.md"));
        assertTrue(md.contains("| fault/fault | 2 | 1.42 µs | 2.84 µs (2.00x) |"), md);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MISSING", "NORESULTS", "NOTDIR", "BADCSV", "HEADERONLY", "BADENV", "PLOTS_IS_A_FILE",
        "HTML_IS_A_FOLDER", "BADHGRM", "NOTUTF8", "BOM", "NOARG", "TWOARGS", "--bogus"})
    void badInputGetsOneLineAndExitTwo(String what) throws Exception {
        Path run = sampleRun();
        List<String> args = new ArrayList<>(List.of(run.toString()));
        String expect = "";
        switch (what) {
            case "MISSING" -> {
                args.set(0, dir.resolve("nope").toString());
                expect = "no such run folder or file: " + dir.resolve("nope");
            }
            case "NORESULTS" -> {
                args.set(0, Files.createDirectories(dir.resolve("empty")).toString());
                expect = "no results.csv in " + dir.resolve("empty");
            }
            case "NOTDIR" -> {
                args.set(0, run.resolve("results.csv").toString());
                expect = "not a run folder: " + run.resolve("results.csv");
            }
            case "BADCSV" -> {
                Files.writeString(run.resolve("results.csv"), HistoryCommandTest.HEADER
                        + "\nq,none,fault,fault,1,,0,DATA,read,65536,0.9,,1000,16,off,,,p50_ns,fast,ns,,,3\n");
                expect = "results.csv:2: value is not a number: 'fast'";
            }
            case "HEADERONLY" -> {
                Files.writeString(run.resolve("results.csv"), HistoryCommandTest.HEADER + "\n");
                expect = "results.csv has no rows to report";
            }
            case "BADENV" -> {
                Files.writeString(run.resolve("env.json"), "{\"cores\": 2");
                expect = "env.json: not JSON: Unexpected end-of-input: expected close marker for Object (line 1, column 12)";
            }
            case "PLOTS_IS_A_FILE" -> {
                Files.writeString(run.resolve("plots"), "a file where the plots folder goes");
                expect = "cannot write the report in " + run + ": " + run.resolve("plots") + " is in the way (not a folder)";
            }
            case "HTML_IS_A_FOLDER" -> {
                Files.createDirectories(run.resolve("report.html/inside"));
                expect = "cannot write the report in " + run + ": ";
            }
            case "BADHGRM" -> {
                Path hgrm = Files.createDirectories(run.resolve("hgrm")).resolve(rlbench.bench.results.Histograms.fileName(
                        "rwsem", "fault", "fault", 2, java.util.Map.of("deviceLatencyNs", "0", "deviceMode", "DATA", "faultKind",
                                "read", "filePages", "65536", "hitRatio", "0.9", "punchIntervalUs", "1000", "punchPages", "16",
                                "puncher", "off")) + ".hgrm");
                Files.writeString(hgrm, "garbage, not a percentile distribution\n");
                expect = hgrm + ":1: not an HdrHistogram percentile distribution";
            }
            case "NOTUTF8" -> {
                Files.write(run.resolve("results.csv"), (HistoryCommandTest.HEADER + "\nq,n\u00e9e").getBytes(
                        java.nio.charset.StandardCharsets.ISO_8859_1));
                expect = run.resolve("results.csv") + ": not UTF-8 text (line 2";
            }
            case "BOM" -> {
                // a byte-order mark is dropped, so the problem named is the row's, not the header's
                Files.writeString(run.resolve("results.csv"), "\uFEFF" + HistoryCommandTest.HEADER
                        + "\nq,none,fault,fault,0,,0,DATA,read,65536,0.9,,1000,16,off,,,p50_ns,5,ns,,,3\n");
                expect = "results.csv:2: threads must be a whole number from 1 to 4096, got '0'";
            }
            case "NOARG" -> args.clear();
            case "TWOARGS" -> args.add(run.toString());
            default -> args.add(what);
        }
        byte[] csv = Files.exists(run.resolve("results.csv")) ? Files.readAllBytes(run.resolve("results.csv")) : null;

        Cli o = run(args.toArray(String[]::new));
        o.assertBadInput();
        assertTrue(o.err().contains(expect), "want '" + expect + "' in: " + o.err());
        assertArrayEquals(csv, Files.readAllBytes(run.resolve("results.csv")), "results.csv untouched");
        try (Stream<Path> s = Files.walk(run)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")
                    || p.getFileName().toString().startsWith(".rlbench-staging")).toList();
            assertEquals(List.of(), tmp, "no temporary file left behind");
        }
        assertTrue(!Files.exists(run.resolve("report.md")), "no report written");
    }
}
