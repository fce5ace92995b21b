package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import rlbench.locks.Design;
import rlbench.locks.DesignRegistry;

class MainTest {

    private record Outcome(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void designsListsEveryRegisteredDesignWithSafetyAndOrigin() {
        Outcome o = run("designs");
        assertEquals(0, o.code());
        List<String> lines = o.out().lines().toList();
        assertEquals(List.of("none", "rwsem", "page-lock", "range-tree", "lock-entries", "two-state", "list-range", "seq-retry",
                "io-range", "mmap-write", "linux"),
                lines.stream().map(l -> l.split("\\s+")[0]).toList());
        assertEquals(DesignRegistry.all().size() + 1, lines.size());
        assertTrue(lines.get(0).contains("UNSAFE"), lines.get(0));
        String kernel = lines.get(lines.size() - 1);
        assertEquals("kernel", kernel.split("\\s+")[1], kernel);
        assertTrue(kernel.contains("Linux " + System.getProperty("os.version")), kernel);
        for (String l : lines.subList(1, lines.size() - 1)) {
            assertTrue(l.split("\\s+")[1].equals("safe"), l);
            assertTrue(l.split("\\s+").length > 3, "origin missing: " + l);
        }
        // scripts read these lines: the layout stays the one printf gave, no header, byte for byte
        int width = DesignRegistry.names().stream().mapToInt(String::length).max().orElseThrow();
        StringBuilder printf = new StringBuilder();
        for (Design d : DesignRegistry.all()) {
            printf.append(String.format("%-" + width + "s  %-6s  %s%n", d.name(), d.safe() ? "safe" : "UNSAFE", d.origin()));
        }
        assertTrue(o.out().startsWith(printf.toString()), o.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "--nope", "designs --bogus", "designs extra", "",
        "stress", "stress --design nope", "stress --design rwsem --seconds abc", "stress --design rwsem --seconds 0",
        "stress --design rwsem --threads -1", "stress --design rwsem --seed x", "stress --design rwsem --pages 2",
        "stress --design rwsem --cache-mode nvdimm", "stress --design linux --cache-mode dax",
        "run --threads 0", "run --threads -1", "run --threads a", "run --threads 1,,2", "run --threads ,",
        "run --designs nope", "run --designs rwsem,", "run --workloads nope", "run --profile huge",
        "run -p bad", "run -p =1", "run -p nope=1", "run -p hitRatio=", "run -p design=rwsem",
        "run --out /proc/rlbench-cannot-write-here"})
    void badInputGetsOneLineAndExitTwo(String argLine) {
        Outcome o = run(argLine.isEmpty() ? new String[0] : argLine.split(" "));
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.errLines().size(), "one line, got: " + o.err());
        assertTrue(o.err().startsWith("rlbench: "), o.err());
        assertEquals("", o.out());
    }

    @Test
    void unknownDesignListsTheKnownOnes() {
        String err = run("stress", "--design", "nope").err();
        assertTrue(err.contains("unknown design 'nope'") && err.contains("lock-entries"), err);
    }

    @Test
    void stressOfASafeDesignEndsWithTheSummaryLineAndExitsZero() {
        Outcome o = run("stress", "--design", "rwsem", "--seconds", "1", "--threads", "3");
        assertEquals(0, o.code(), o.out());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).matches("stress design=rwsem ops=[1-9][0-9]* violations=0 lockorder=0"),
                lines.get(lines.size() - 1));
    }

    @Test
    void stressRunsInDaxModeAndSaysSo() {
        Outcome o = run("stress", "--design", "seq-retry", "--cache-mode", "dax", "--seconds", "1", "--threads", "3");
        assertEquals(0, o.code(), o.out());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.get(0).startsWith("stress design=seq-retry cache-mode=dax "), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).matches("stress design=seq-retry ops=[1-9][0-9]* violations=0 lockorder=0"),
                lines.get(lines.size() - 1));
    }

    @Test
    void stressOfNoneFindsViolationsAndExitsOne() {
        Outcome o = run("stress", "--design", "none", "--seconds", "2");
        assertEquals(1, o.code(), o.out());
        List<String> lines = o.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).matches("stress design=none ops=\\d+ violations=[1-9][0-9]* lockorder=0"),
                lines.get(lines.size() - 1));
    }

    @Test
    void runRefusesANonEmptyOutFolderAndLeavesItAlone(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path old = dir.resolve("results.csv");
        java.nio.file.Files.writeString(old, "earlier results");
        Outcome o = run("run", "--profile", "smoke", "--out", dir.toString());
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.errLines().size(), o.err());
        assertTrue(o.err().contains("not empty"), o.err());
        assertEquals("earlier results", java.nio.file.Files.readString(old));
    }

    @Test
    void unknownSubcommandIsNamed() {
        assertTrue(run("nope").err().contains("unknown subcommand 'nope'"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "designs --help"})
    void helpPrintsUsage(String argLine) {
        Outcome o = run(argLine.split(" "));
        assertEquals(0, o.code());
        assertTrue(o.out().contains("Usage: rlbench"), o.out());
    }
}
