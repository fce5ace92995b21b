package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --format} of compare and history: an unknown name is one line naming the known ones, before any input is read. */
class FormatOptionTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "html", "CSV", ""})
    void compareRefusesAnUnknownFormat(String format) {
        Cli o = Cli.run("compare", dir.resolve("a").toString(), dir.resolve("b").toString(), "--format", format).assertBadInput();
        assertEquals("rlbench: --format: unknown format '" + format + "'; known: table, md, csv", o.err().strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "html"})
    void historyRefusesAnUnknownFormat(String format) {
        Cli o = Cli.run("history", dir.toString(), "--format", format).assertBadInput();
        assertEquals("rlbench: --format: unknown format '" + format + "'; known: table, md, csv", o.err().strip());
    }
}
