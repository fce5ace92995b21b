package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedOutputsTest {

    @TempDir
    Path dir;

    private List<String> everything() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    private void previousOutputs() throws IOException {
        Files.writeString(dir.resolve("report.md"), "old report");
        Files.createDirectories(dir.resolve("plots"));
        Files.writeString(dir.resolve("plots/a.png"), "old a");
        Files.writeString(dir.resolve("plots/b.png"), "old b");
    }

    @Test
    void outputsReplaceThePreviousOnesTogetherAtCommit() throws Exception {
        previousOutputs();
        try (StagedOutputs out = StagedOutputs.in(dir)) {
            Files.writeString(out.file("report.md"), "new report");
            Files.writeString(out.folder("plots").resolve("c.png"), "new c");
            assertEquals("old report", Files.readString(dir.resolve("report.md")), "nothing replaced before the commit");
            assertTrue(Files.exists(dir.resolve("plots/a.png")));
            out.commit();
        }
        assertEquals(List.of("plots", "plots/c.png", "report.md"), everything(), "old plots gone with the old folder, nothing staged left");
        assertEquals("new report", Files.readString(dir.resolve("report.md")));
    }

    @Test
    void aFailureBeforeTheCommitLeavesThePreviousOutputsAndNoTemporaryFiles() throws Exception {
        previousOutputs();
        List<String> before = everything();
        assertThrows(IllegalStateException.class, () -> {
            try (StagedOutputs out = StagedOutputs.in(dir)) {
                Files.writeString(out.file("report.md"), "new report");
                Files.writeString(out.folder("plots").resolve("c.png"), "new c");
                throw new IllegalStateException("an input could not be read");
            }
        });
        assertEquals(before, everything());
        assertEquals("old report", Files.readString(dir.resolve("report.md")));
    }

    @Test
    void aTargetInTheWayIsFoundBeforeAnythingIsReplaced() throws Exception {
        previousOutputs();
        Files.createDirectories(dir.resolve("report.html/inside"));
        List<String> before = everything();
        FileSystemException e = assertThrows(FileSystemException.class, () -> {
            try (StagedOutputs out = StagedOutputs.in(dir)) {
                Files.writeString(out.file("report.md"), "new report");
                out.file("report.html");
            }
        });
        assertEquals(dir.resolve("report.html").toString(), e.getFile());
        assertTrue(e.getMessage().contains("a folder is in the way of a file"), e.getMessage());
        assertEquals(before, everything());

        Files.writeString(dir.resolve("figures"), "a file where a folder goes");
        assertThrows(FileAlreadyExistsException.class, () -> {
            try (StagedOutputs out = StagedOutputs.in(dir)) {
                out.folder("figures");
            }
        });
    }

    @Test
    void aTargetThatAppearsInTheWayBeforeTheCommitStopsItWhole() throws Exception {
        previousOutputs();
        assertThrows(FileSystemException.class, () -> {
            try (StagedOutputs out = StagedOutputs.in(dir)) {
                Files.writeString(out.file("report.md"), "new report");
                Files.writeString(out.file("report.html"), "new html");
                Files.createDirectories(dir.resolve("report.html"));
                out.commit();
            }
        });
        assertEquals("old report", Files.readString(dir.resolve("report.md")), "checked before the first rename");
        assertEquals(List.of("plots", "plots/a.png", "plots/b.png", "report.html", "report.md"), everything());
    }

    @Test
    void aFailedRenameIsPutBack() throws Exception {
        previousOutputs();
        Files.writeString(dir.resolve("report.html"), "old html");
        List<String> before = everything();
        try (StagedOutputs out = StagedOutputs.in(dir)) {
            Files.writeString(out.file("report.md"), "new report");
            Files.writeString(out.file("new.txt"), "a file that was not there");
            Files.writeString(out.folder("plots").resolve("c.png"), "new c");
            Files.writeString(out.file("report.html"), "new html");
            StagedOutputs.Rename real = out.rename;
            out.rename = (from, to) -> {
                if (from.getParent().equals(out.dir()) && to.endsWith("report.html")) {
                    throw new IOException("disk gone");
                }
                real.move(from, to);
            };
            assertEquals("disk gone", assertThrows(IOException.class, out::commit).getMessage());
        }
        assertEquals(before, everything(), "the previous outputs back, the new file gone, nothing staged left");
        assertEquals("old report", Files.readString(dir.resolve("report.md")));
        assertEquals("old html", Files.readString(dir.resolve("report.html")));
        assertEquals("old a", Files.readString(dir.resolve("plots/a.png")));
    }

    @Test
    void writeFileReplacesOneFileWholeAndCreatesItsFolder() throws Exception {
        Path f = dir.resolve("jmh/results.json");
        StagedOutputs.writeFile(f, "[]\n");
        StagedOutputs.writeFile(f, "[1]\n");
        assertEquals("[1]\n", Files.readString(f));
        assertEquals(List.of("jmh", "jmh/results.json"), everything());
    }

    @Test
    void anOutputNameIsOneFileName() throws Exception {
        try (StagedOutputs out = StagedOutputs.in(dir)) {
            for (String bad : List.of("", "a/b", "..", ".", ".previous")) {
                assertThrows(IllegalArgumentException.class, () -> out.file(bad), bad);
            }
            out.file("x");
            assertThrows(IllegalArgumentException.class, () -> out.file("x"), "twice");
        }
        assertEquals(List.of(), everything());
    }
}
