package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command that reads a run's env.json refuses one whose known fields hold the wrong type,
 * with one line naming the file and the field and exit 2, rather than reading {@code "cores": "2"}
 * as 0 cores; and {@code compare} refuses a profile it does not know rather than guessing its forks.
 */
class EnvJsonValuesTest {

    private static final String CORES_A_STRING = "{\n  \"started\": \"2026-03-01T10:00:00Z\",\n  \"profile\": \"quick\",\n"
            + "  \"cores\": \"2\"\n}\n";

    @TempDir
    Path dir;

    /** A run of one design of fault/fault at one and two threads, with env.json {@code env}. */
    private Path run(String name, String env) throws Exception {
        List<String> rows = new ArrayList<>();
        for (int t : List.of(1, 2)) {
            String bench = "q,rwsem,fault,fault," + t + ",,0,DATA,read,65536,0.9,,1000,16,off,,,";
            rows.add(bench + "ops_per_s," + 100_000 * t + ",ops/s," + 98_000 * t + "," + 102_000 * t + ",3");
            rows.add(bench + "p50_ns,1420,ns,,,306232");
        }
        Path run = dir.resolve("runs").resolve(name);
        HistoryCommandTest.writeRun(run, Instant.parse("2026-03-01T10:00:00Z"), rows);
        Files.writeString(run.resolve("env.json"), env);
        return run;
    }

    @ParameterizedTest
    @ValueSource(strings = {"report", "compare", "history", "export", "doctor"})
    void coresAsAStringIsBadInputNamingTheFileAndTheField(String command) throws Exception {
        Path good = run("a", "{\"started\": \"2026-02-01T10:00:00Z\", \"profile\": \"quick\", \"cores\": 2}\n");
        Path bad = run("b", CORES_A_STRING);
        List<String> args = switch (command) {
            case "compare" -> List.of(good.toString(), bad.toString());
            case "history" -> List.of(dir.resolve("runs").toString());
            case "export" -> List.of(good.toString(), bad.toString(), "--format", "otava", "--out", dir.resolve("otava").toString());
            default -> List.of(bad.toString());
        };
        Cli o = Cli.run(command, args.toArray(String[]::new)).assertBadInput();
        assertEquals("rlbench: " + bad.resolve("env.json") + ": 'cores' must be a whole number of 1 or more, not the string \"2\"\n",
                o.err());
        assertEquals(CORES_A_STRING, Files.readString(bad.resolve("env.json")), "env.json untouched");
        try (Stream<Path> s = Files.walk(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().matches("report\\..*|plots|otava.*")), "nothing written");
        }
    }

    @Test
    void reportRefusesAProfileItDoesNotKnowAsCompareDoes() throws Exception {
        Path run = run("a", "{\"profile\": \"custom\"}\n");
        Cli o = Cli.run("report", run.toString()).assertBadInput();
        assertEquals("rlbench: " + run.resolve("env.json") + ": unknown profile 'custom' (known: smoke, quick, full)\n", o.err());
        assertFalse(Files.exists(run.resolve("report.md")), "nothing written");
    }

    @Test
    void compareRefusesAProfileItDoesNotKnowRatherThanGuessingItsForks() throws Exception {
        Path base = run("a", "{\"profile\": \"quick\"}\n");
        Path next = run("b", "{\"profile\": \"custom\"}\n");
        Cli o = Cli.run("compare", base.toString(), next.toString()).assertBadInput();
        assertEquals("rlbench: " + next.resolve("env.json") + ": unknown profile 'custom' (known: smoke, quick, full)\n", o.err());

        Files.writeString(next.resolve("env.json"), "{\"cores\": 2}\n");
        o = Cli.run("compare", base.toString(), next.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("note: a run here has 1 fork per benchmark"), "the base's quick profile still counts: " + o.out());
        Files.writeString(base.resolve("env.json"), "{\"cores\": 2}\n");
        o = Cli.run("compare", base.toString(), next.toString());
        assertEquals(0, o.code(), o.err());
        assertFalse(o.out().contains("1 fork"), "no profile recorded: nothing known, nothing said: " + o.out());
    }
}
