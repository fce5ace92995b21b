package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rlbench.bench.results.JsonText;

class ExportCommandTest {

    @TempDir
    Path dir;

    private static Cli run(String... args) {
        return Cli.run("export", args);
    }

    private static final String FAULT = "rwsem,fault,fault,2,,0,DATA,read,65536,0.9,,1000,16,on,,,";
    private static final String FAULT_OFF = "rwsem,fault,fault,2,,0,DATA,read,65536,0.9,,1000,16,off,,,";
    private static final String PUNCH = "range-tree,punch,punch,1,sparse,0,STAMP_ONLY,,524288,0.9,,0,262144,,,,";
    private static final String FLOOR = "none,floor,casPair,1,,,,,,,,,,,,,";

    /** A run like a real one: every metric of three benchmarks, and a floor row. */
    private Path sampleRun() throws Exception {
        Path run = dir.resolve("2026-03-01-quick");
        List<String> rows = new ArrayList<>();
        for (String bench : List.of(FAULT, FAULT_OFF, PUNCH)) {
            rows.add("q," + bench + "ops_per_s,96195.7,ops/s,90000.5,102390.9,3");
            rows.add("q," + bench + "mean_ns,9160.56,ns,,,306232");
            rows.add("q," + bench + "p50_ns,1422,ns,,,306232");
            rows.add("q," + bench + "p90_ns,12183,ns,,,306232");
            rows.add("q," + bench + "p99_ns,45311,ns,,,306232");
            rows.add("q," + bench + "p999_ns,1.23457e+06,ns,,,306232");
            rows.add("q," + bench + "max_ns,9000000,ns,,,306232");
        }
        rows.add("q," + FLOOR + "ops_per_s,123456789,ops/s,,,2");
        HistoryCommandTest.writeRun(run, null, rows);
        return run;
    }

    @Test
    void theLocksWorkloadsAverageTimeGoesToSmallerWithItsInterval() throws Exception {
        Path run = dir.resolve("2026-03-02-quick");
        HistoryCommandTest.writeRun(run, null, List.of(
                "q,page-lock,locks,invalidatePair,1,,,,,,,,,262144,,,,avgt_ns,3930840,ns/op,3800000,4061680,3",
                "q," + FLOOR + "ops_per_s,123456789,ops/s,,,2"));
        Cli o = run(run.toString(), "--format", "gab");
        assertEquals(0, o.code(), o.err());
        List<Map<String, Object>> smaller = entries(run.resolve("gab-smaller.json"));
        assertEquals(1, smaller.size(), smaller.toString());
        Map<String, Object> pair = smaller.get(0);
        assertEquals("locks/invalidatePair page-lock t1 punchPages=262144 avgt_ns", pair.get("name"));
        assertEquals("ns/op", pair.get("unit"));
        assertEquals("n=3 iterations, 99.9% CI [3800000, 4061680]", pair.get("extra"));
    }

    @Test
    void opsPerSecondGoesToBiggerAndLatencyPercentilesToSmaller() throws Exception {
        Path run = sampleRun();
        Cli o = run(run.toString(), "--format", "gab");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("wrote 4 ops/s values to " + run.resolve("gab-bigger.json")), o.out());
        assertTrue(o.out().contains("9 latencies to " + run.resolve("gab-smaller.json")), o.out());

        List<Map<String, Object>> bigger = entries(run.resolve("gab-bigger.json"));
        List<Map<String, Object>> smaller = entries(run.resolve("gab-smaller.json"));
        assertEquals(4, bigger.size());
        assertEquals(9, smaller.size());
        for (Map<String, Object> e : bigger) {
            assertTrue(((String) e.get("name")).endsWith(" ops_per_s"), e.toString());
            assertEquals("ops/s", e.get("unit"));
        }
        for (Map<String, Object> e : smaller) {
            assertTrue(((String) e.get("name")).matches(".* p(50|99|999)_ns"), e.toString());
            assertEquals("ns", e.get("unit"));
        }
        Set<Object> names = new HashSet<>();
        Stream.concat(bigger.stream(), smaller.stream()).forEach(e -> assertTrue(names.add(e.get("name")), "twice: " + e));

        Map<String, Object> fault = bigger.get(0);
        assertEquals("fault/fault rwsem t2 deviceLatencyNs=0 deviceMode=DATA faultKind=read filePages=65536 hitRatio=0.9 "
                + "punchIntervalUs=1000 punchPages=16 puncher=on ops_per_s", fault.get("name"));
        assertEquals(96195.7, (Double) fault.get("value"), 0);
        assertEquals("± 6195.2", fault.get("range"));
        assertEquals("n=3 samples, 99.9% CI [90000.5, 102390.9]", fault.get("extra"));
        Map<String, Object> floor = bigger.get(3);
        assertEquals("floor/casPair none t1 ops_per_s", floor.get("name"));
        assertEquals(123456789.0, (Double) floor.get("value"), 0);
        assertNull(floor.get("range"));
        assertFalse(floor.containsKey("range"));

        Map<String, Object> p999 = smaller.get(2);
        assertTrue(((String) p999.get("name")).startsWith("fault/fault rwsem t2 ") && p999.get("name").toString().endsWith(" p999_ns"));
        assertEquals(1234570.0, (Double) p999.get("value"), 0);
        String smallerText = Files.readString(run.resolve("gab-smaller.json"));
        assertTrue(smallerText.contains("\"value\": 1234570,"), "a plain number, no exponent: " + smallerText);
        assertTrue(smallerText.startsWith("[\n  {\n    \"name\": ") && smallerText.endsWith("\n  }\n]\n"), smallerText);
        assertEquals("n=306232 ops", p999.get("extra"));
        assertTrue(smaller.stream().anyMatch(e -> e.get("name").equals("punch/punch range-tree t1 cache=sparse deviceLatencyNs=0 "
                + "deviceMode=STAMP_ONLY filePages=524288 hitRatio=0.9 punchIntervalUs=0 punchPages=262144 p50_ns")), smaller.toString());
    }

    @Test
    void outPicksThePrefixAndOldFilesAreReplacedWhole() throws Exception {
        Path run = sampleRun();
        Path prefix = dir.resolve("ci/out/bench");
        Files.createDirectories(prefix.getParent());
        Files.writeString(dir.resolve("ci/out/bench-bigger.json"), "[{\"name\": \"stale\", \"unit\": \"x\", \"value\": 1},".repeat(500));
        Cli o = run(run.resolve("results.csv").toString(), "--format", "gab", "--out", prefix.toString());
        assertEquals(0, o.code(), o.err());
        assertEquals(4, entries(dir.resolve("ci/out/bench-bigger.json")).size());
        assertEquals(9, entries(dir.resolve("ci/out/bench-smaller.json")).size());
        try (Stream<Path> s = Files.list(prefix.getParent())) {
            assertEquals(List.of("bench-bigger.json", "bench-smaller.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left behind");
        }
        assertFalse(Files.exists(run.resolve("gab-bigger.json")));
    }

    @Test
    void aTargetInTheWayReplacesNeitherFile() throws Exception {
        Path run = sampleRun();
        assertEquals(0, run(run.toString(), "--format", "gab").code());
        byte[] bigger = Files.readAllBytes(run.resolve("gab-bigger.json"));
        Files.delete(run.resolve("gab-smaller.json"));
        Files.createDirectories(run.resolve("gab-smaller.json/inside"));
        Files.writeString(run.resolve("results.csv"), Files.readString(run.resolve("results.csv")).replace("96195.7", "50000"));

        Cli o = run(run.toString(), "--format", "gab").assertBadInput();
        assertTrue(o.err().contains(run.resolve("gab-smaller.json") + ": a folder is in the way of a file"), o.err());
        assertArrayEquals(bigger, Files.readAllBytes(run.resolve("gab-bigger.json")), "the other file is not replaced");
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(List.of("gab-bigger.json", "gab-smaller.json", "results.csv"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left behind");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"out/", "out", ".", ""})
    void outMustBeAFileNamePrefixNotAFolder(String out) throws Exception {
        Path run = sampleRun();
        Files.createDirectories(dir.resolve("out"));
        String value = out.isEmpty() ? "" : dir.resolve(out) + (out.endsWith("/") ? "/" : "");
        Cli o = run(run.toString(), "--format", "gab", "--out", value).assertBadInput();
        if (out.isEmpty()) {
            assertTrue(o.err().contains("--out needs a file name prefix, got ''"), o.err());
        } else {
            assertTrue(o.err().contains("--out takes a file name prefix, not a folder: '" + value + "'"), o.err());
            assertTrue(o.err().contains("give --out " + dir.resolve(out).resolve("gab")), o.err());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".json")), "nothing written");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"MISSING", "NORESULTS", "BADCSV", "NOTHING", "--format json", "--format", "NOFORMAT", "UNWRITABLE",
        "--out", "--bogus"})
    void badInputGetsOneLineAndExitTwo(String argLine) throws Exception {
        Path run = sampleRun();
        List<String> args = new ArrayList<>(List.of(run.toString(), "--format", "gab"));
        switch (argLine) {
            case "MISSING" -> args.set(0, dir.resolve("nope").toString());
            case "NORESULTS" -> args.set(0, Files.createDirectories(dir.resolve("empty")).toString());
            case "BADCSV" -> Files.writeString(run.resolve("results.csv"), HistoryCommandTest.HEADER + "\nq," + FAULT + "ops_per_s,1,ops/s\n");
            case "NOTHING" -> Files.writeString(run.resolve("results.csv"), HistoryCommandTest.HEADER + "\nq," + FAULT + "max_ns,1,ns,,,5\n");
            case "NOFORMAT" -> args = List.of(run.toString());
            case "UNWRITABLE" -> {
                Files.writeString(dir.resolve("a-file"), "not a folder");
                args.addAll(List.of("--out", dir.resolve("a-file/sub/prefix").toString()));
            }
            default -> args = new ArrayList<>(List.of(run.toString(), "--format", "gab"));
        }
        if (argLine.startsWith("--")) {
            args = new ArrayList<>(List.of(run.toString()));
            args.addAll(List.of(argLine.split(" ")));
            if (!argLine.startsWith("--format")) {
                args.addAll(List.of("--format", "gab"));
            }
        }
        Cli o = run(args.toArray(String[]::new));
        o.assertBadInput();
        if (argLine.equals("BADCSV")) {
            assertTrue(o.err().contains("results.csv:2: 20 cells, the header has 23"), o.err());
        }
        try (Stream<Path> s = Files.list(run)) {
            assertEquals(List.of("results.csv"), s.map(p -> p.getFileName().toString()).sorted().toList(), "nothing written: " + argLine);
        }
    }

    /** A run at {@code day} of March 2026 whose fault ops/s and p50 are {@code ops} and {@code p50}, and, if {@code punch}, a punch row. */
    private Path otavaRun(String name, int day, double ops, double p50, boolean punch) throws Exception {
        Path run = dir.resolve("runs").resolve(name);
        List<String> rows = new ArrayList<>(List.of("q," + FAULT + "ops_per_s," + ops + ",ops/s,1,2,3", "q," + FAULT + "p50_ns," + p50 + ",ns,,,100",
                "q," + FAULT + "max_ns,99,ns,,,100"));
        if (punch) {
            rows.add("q," + PUNCH + "p99_ns,5000,ns,,,100");
        }
        HistoryCommandTest.writeRun(run, java.time.Instant.parse("2026-03-" + String.format("%02d", day) + "T08:30:00Z"), rows);
        return run;
    }

    @Test
    void otavaGetsOneRowPerRunInTimeOrderAndOneColumnPerValueEveryRunMeasured() throws Exception {
        // made in another order than they ran: the rows follow env.json's start times
        otavaRun("b", 2, 200, 20, true);
        otavaRun("a", 3, 300, 30, false);
        otavaRun("c", 1, 100, 10, true);
        Path prefix = dir.resolve("track");
        Cli o = run(dir.resolve("runs").toString(), "--format", "otava", "--out", prefix.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("wrote 3 runs x 2 values to " + prefix + ".csv"), o.out());
        assertTrue(o.out().contains("1 values left out, not measured by every run"), o.out());
        List<org.apache.commons.csv.CSVRecord> records;
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.parse(Files.newBufferedReader(dir.resolve("track.csv")))) {
            records = parser.getRecords();
        }
        String opsName = "fault/fault rwsem t2 deviceLatencyNs=0 deviceMode=DATA faultKind=read filePages=65536 hitRatio=0.9 "
                + "punchIntervalUs=1000 punchPages=16 puncher=on ops_per_s";
        assertEquals(List.of("time", "commit", "run", opsName, opsName.replace("ops_per_s", "p50_ns")), records.get(0).toList(),
                "max_ns is not tracked, and the punch row is missing from run a");
        assertEquals(4, records.size(), "a header and one row per run");
        assertEquals(List.of("2026-03-01 08:30:00 +0000", "", "c", "100", "10"), records.get(1).toList());
        assertEquals(List.of("2026-03-02 08:30:00 +0000", "", "b", "200", "20"), records.get(2).toList());
        assertEquals(List.of("2026-03-03 08:30:00 +0000", "", "a", "300", "30"), records.get(3).toList());
        JsonNode test = JsonText.read(dir.resolve("track.yaml")).path("tests").path("rangelock-bench");
        assertEquals("csv", test.path("type").asText());
        assertEquals(dir.resolve("track.csv").toString(), test.path("file").asText());
        assertEquals("time", test.path("time_column").asText());
        assertEquals(1, test.path("metrics").path(opsName).path("direction").asInt(), "ops/s: bigger is better");
        assertEquals(-1, test.path("metrics").path(opsName.replace("ops_per_s", "p50_ns")).path("direction").asInt(),
                "latency: smaller is better");
        assertEquals(opsName, test.path("metrics").path(opsName).path("column").asText());
    }

    @Test
    void otavaExportsOneRunWithItsCommitIntoTheRunFolderByDefault() throws Exception {
        Path run = otavaRun("one", 4, 100, 10, true);
        Files.writeString(run.resolve("env.json"), "{\"started\": \"2026-03-04T08:30:00Z\", \"git_commit\": \"abc123\"}");
        Cli o = run(run.toString(), "--format", "otava");
        assertEquals(0, o.code(), o.err());
        List<String> lines = Files.readAllLines(run.resolve("otava.csv"));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("2026-03-04 08:30:00 +0000,abc123,one,100,10,5000"), lines.get(1));
        assertTrue(Files.isRegularFile(run.resolve("otava.yaml")));
    }

    @Test
    void theCommittedBaselineExportsAsOneOtavaRowWithAColumnPerValue() throws Exception {
        Path prefix = dir.resolve("baseline-otava");
        Cli o = run(rlbench.bench.results.ResultsCsvTest.baseline().toString(), "--format", "otava", "--out", prefix.toString());
        assertEquals(0, o.code(), o.err());
        List<org.apache.commons.csv.CSVRecord> records;
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.parse(Files.newBufferedReader(dir.resolve("baseline-otava.csv")))) {
            records = parser.getRecords();
        }
        assertEquals(2, records.size(), "a header and the run");
        assertEquals(records.get(0).size(), records.get(1).size());
        JsonNode metrics = JsonText.read(dir.resolve("baseline-otava.yaml")).path("tests").path("rangelock-bench").path("metrics");
        assertEquals(records.get(0).size() - 3, metrics.size(), "one column per metric, each configured");
        for (int i = 3; i < records.get(1).size(); i++) {
            assertTrue(Double.parseDouble(records.get(1).get(i)) >= 0, records.get(0).get(i));
        }
    }

    @Test
    void anOtavaTargetInTheWayReplacesNeitherFile() throws Exception {
        Path a = otavaRun("a", 1, 100, 10, false);
        Files.writeString(dir.resolve("track.csv"), "old csv");
        Files.createDirectories(dir.resolve("track.yaml"));
        run(a.toString(), "--format", "otava", "--out", dir.resolve("track").toString()).assertBadInput();
        assertEquals("old csv", Files.readString(dir.resolve("track.csv")), "the CSV is not replaced when its configuration cannot be");
        assertTrue(Files.isDirectory(dir.resolve("track.yaml")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOSTART", "NOCOMMON", "GABTWO", "MISSING"})
    void otavaBadInputGetsOneLineAndExitTwoAndWritesNothing(String what) throws Exception {
        Path a = otavaRun("a", 1, 100, 10, false);
        Path b = otavaRun("b", 2, 100, 10, false);
        List<String> args = new ArrayList<>(List.of(a.toString(), b.toString(), "--format", "otava"));
        switch (what) {
            case "NOSTART" -> Files.delete(b.resolve("env.json"));
            case "NOCOMMON" -> HistoryCommandTest.writeRun(b, java.time.Instant.parse("2026-03-02T08:30:00Z"),
                    List.of("q," + PUNCH + "p99_ns,5000,ns,,,100"));
            case "GABTWO" -> args.set(3, "gab");
            case "MISSING" -> args.set(1, dir.resolve("nope").toString());
            default -> throw new AssertionError(what);
        }
        Cli o = run(args.toArray(String[]::new)).assertBadInput();
        switch (what) {
            case "NOSTART" -> assertTrue(o.err().contains("has no 'started' time"), o.err());
            case "NOCOMMON" -> assertTrue(o.err().contains("measured by every one of the 2 runs"), o.err());
            case "GABTWO" -> assertTrue(o.err().contains("--format gab exports one run, got 2 folders"), o.err());
            default -> { }
        }
        try (Stream<Path> s = Files.walk(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("otava") || p.getFileName().toString().startsWith("gab")),
                    "nothing written");
        }
    }

    /** The objects of a JSON array, each checked to hold only the fields the action reads. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Path file) throws Exception {
        JsonNode parsed = JsonText.read(file);
        assertTrue(parsed.isArray(), file + " is not a JSON array");
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode o : parsed) {
            Map<String, Object> m = new ObjectMapper().convertValue(o, Map.class);
            assertTrue(Set.of("name", "unit", "value", "range", "extra").containsAll(m.keySet()), m.toString());
            assertTrue(o.path("name").isTextual() && o.path("unit").isTextual() && o.path("value").isNumber(), m.toString());
            m.put("value", o.get("value").asDouble());
            out.add(m);
        }
        return out;
    }
}
