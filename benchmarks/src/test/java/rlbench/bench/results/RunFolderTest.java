package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {

    @TempDir
    Path dir;

    @Test
    void knowsWhereEverythingOfARunIs() {
        RunFolder run = RunFolder.at(dir.resolve("2026-03-01-quick"));
        assertEquals("2026-03-01-quick", run.name());
        assertEquals(run.dir().resolve("results.csv"), run.resultsCsv());
        assertEquals(run.dir().resolve("env.json"), run.envJson());
        assertEquals(run.dir().resolve("jmh/results.json"), run.jmhResults());
        assertEquals(run.dir().resolve("plots"), run.plots());
        assertEquals(run.dir().resolve("report.md"), run.reportMd());
        assertEquals(run.dir().resolve("report.html"), run.reportHtml());
        Row.Key k = new Row.Key("rwsem", "fault", "fault", 2, Map.of("hitRatio", "0.9", "cache", "a b"), "p50_ns");
        assertEquals(run.dir().resolve("hgrm/rwsem__fault__fault__t2__cache-a-b_hitRatio-0.9.hlog"), run.histogram(k, ".hlog"));
    }

    @Test
    void opensARunFolderOrItsResultsFileAndNamesWhatIsMissing() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        assertEquals("no such run folder or file: " + dir.resolve("nope"),
                assertThrows(IllegalArgumentException.class, () -> RunFolder.open(dir.resolve("nope"))).getMessage());
        assertEquals("no results.csv in " + run,
                assertThrows(IllegalArgumentException.class, () -> RunFolder.open(run)).getMessage());
        assertFalse(RunFolder.isRun(run));

        Path csv = Files.writeString(run.resolve("results.csv"), "");
        assertTrue(RunFolder.isRun(run));
        assertEquals(run, RunFolder.open(run).dir());
        RunFolder byFile = RunFolder.open(csv);
        assertEquals(run.toAbsolutePath(), byFile.dir(), "a results file's folder is its run");
        assertEquals(csv, byFile.resultsCsv());
        assertTrue(byFile.env().isEmpty(), "no env.json: an empty environment");
    }
}
