package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvJsonTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatItWroteWithTheFieldsInOrder() throws Exception {
        Path file = dir.resolve("env.json");
        EnvJson.collect("quick", List.of("./rlbench", "run", "--out", "a \"quoted\" dir"), dir, List.of("-Xmx512m", "-Dx=1"), 512L << 20)
                .write(file);
        Map<String, Object> env = EnvJson.read(file).fields();
        assertEquals(List.of("started", "profile", "command", "cpu_model", "cores", "memory_bytes", "jvm_max_heap_bytes", "jdk",
                "jvm_flags", "fork_jvm_args", "fork_max_heap_bytes", "os", "git_commit", "git_dirty"), List.copyOf(env.keySet()));
        assertEquals("quick", env.get("profile"));
        assertEquals("./rlbench run --out a \"quoted\" dir", env.get("command"));
        assertEquals(Runtime.getRuntime().availableProcessors(), ((Number) env.get("cores")).intValue());
        assertTrue(env.get("jvm_flags") instanceof List, env.toString());
        assertEquals(List.of("-Xmx512m", "-Dx=1"), env.get("fork_jvm_args"), "--jvm-args as given, one option an item");
        assertEquals(512L << 20, ((Number) env.get("fork_max_heap_bytes")).longValue());
        assertTrue(EnvJson.read(file).started().isPresent());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "no temporary file left");
        }
    }

    @Test
    void theBaselinesEnvJsonIsWrittenBackByteForByte() throws Exception {
        Path file = ResultsCsvTest.baseline().resolve("env.json");
        assertEquals(Files.readString(file), EnvJson.read(file).text());
    }

    @Test
    void aFieldAddedLaterIsWrittenAfterTheOthers() throws Exception {
        Path file = dir.resolve("env.json");
        Files.writeString(file, "{\n  \"started\": \"2026-03-01T10:00:00Z\",\n  \"profile\": \"quick\"\n}\n");
        record Settings(String governor, boolean smt) {
        }
        EnvJson env = EnvJson.read(file).put("machine", new Settings("performance", false));
        assertEquals("{\n  \"started\": \"2026-03-01T10:00:00Z\",\n  \"profile\": \"quick\",\n"
                + "  \"machine\": {\n    \"governor\": \"performance\",\n    \"smt\": false\n  }\n}\n", env.text());
    }

    @Test
    void noFileIsAnEmptyEnvironmentAndAMalformedOneIsBadInputNamingIt() throws Exception {
        assertTrue(EnvJson.read(dir.resolve("absent.json")).isEmpty());
        assertEquals(Optional.empty(), EnvJson.read(dir.resolve("absent.json")).started());
        Path file = dir.resolve("env.json");
        Files.writeString(file, "{\"cores\": 2,}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvJson.read(file));
        assertTrue(e.getMessage().startsWith(file + ": not JSON: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        Files.writeString(file, "[1]");
        assertEquals(file + ": not a JSON object (it holds an array)",
                assertThrows(IllegalArgumentException.class, () -> EnvJson.read(file)).getMessage());
        Files.write(file, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xE9, '"', '}'});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EnvJson.read(file)).getMessage()
                .startsWith(file + ": not UTF-8 text"));
        Files.writeString(file, "{\"started\": \"yesterday\"}");
        assertEquals(file + ": 'started' is not a time: 'yesterday'",
                assertThrows(IllegalArgumentException.class, () -> EnvJson.read(file).started()).getMessage());
        Files.writeString(file, "\uFEFF{\"started\": \"2026-03-01T10:00:00Z\"}");
        assertEquals(Optional.of(Instant.parse("2026-03-01T10:00:00Z")), EnvJson.read(file).started(), "a BOM is dropped");
    }
}
