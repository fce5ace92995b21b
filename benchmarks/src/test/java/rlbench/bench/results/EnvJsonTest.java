package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    void theBaselinesFieldsReadTyped() {
        EnvJson env = EnvJson.read(ResultsCsvTest.baseline().resolve("env.json"));
        assertEquals(Optional.of(Instant.parse("2026-12-01T23:29:14.389176595Z")), env.started());
        assertEquals(Optional.of("quick"), env.profile());
        assertEquals(OptionalInt.of(2), env.cores());
        assertEquals(OptionalLong.of(25275953152L), env.memoryBytes());
        assertEquals(OptionalLong.of(6320816128L), env.jvmMaxHeapBytes());
        assertEquals(OptionalLong.of(6320816128L), env.forkMaxHeapBytes());
        assertEquals(List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), env.jvmFlags());
        assertEquals(List.of(), env.forkJvmArgs());
        assertEquals(Optional.of("621a0cc7875f49c73bb45ea247380069c5298d76"), env.gitCommit());
        assertTrue(env.gitDirty(), "the old baseline folder had been deleted to make room for it");
        assertEquals(Optional.of("AMD EPYC"), env.cpuModel());
        assertEquals(Optional.of("./rlbench run --profile quick --seed 1 --out results/baseline"), env.command());
        assertTrue(env.jdk().orElseThrow().startsWith("OpenJDK 64-Bit Server VM 17"), env.jdk().toString());
        assertTrue(env.os().orElseThrow().startsWith("Linux "), env.os().toString());
    }

    @Test
    void missingAndNullFieldsAreUnknownAndUnknownFieldsAreKeptAsRead() throws Exception {
        Path file = dir.resolve("env.json");
        Files.writeString(file, "{\"memory_bytes\": null, \"git_commit\": null, \"git_dirty\": null, \"cores\": 4.0,"
                + " \"newer_field\": {\"cores\": \"many\"}, \"machine\": {\"smt_active\": false}}");
        EnvJson env = EnvJson.read(file);
        assertEquals(OptionalLong.empty(), env.memoryBytes(), "null: the machine did not expose it");
        assertEquals(Optional.empty(), env.gitCommit(), "null: no git");
        assertFalse(env.gitDirty());
        assertEquals(OptionalInt.of(4), env.cores(), "4.0 is a whole number");
        assertEquals(Optional.empty(), env.started());
        assertEquals(Optional.empty(), env.profile());
        assertEquals(OptionalLong.empty(), env.jvmMaxHeapBytes());
        assertEquals(List.of(), env.jvmFlags());
        assertEquals(Map.of("cores", "many"), env.fields().get("newer_field"), "a field this version does not know is kept unchecked");
        assertTrue(env.text().contains("\"newer_field\": {\n    \"cores\": \"many\"\n  }"), env.text());
    }

    /** A known field of the wrong type or out of range: one line naming the file and the field. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\"cores\": \"2\"                 | 'cores' must be a whole number of 1 or more, not the string \"2\"",
        "\"cores\": 0                       | 'cores' must be a whole number of 1 or more, not 0",
        "\"cores\": -4                      | 'cores' must be a whole number of 1 or more, not -4",
        "\"cores\": 2.5                     | 'cores' must be a whole number of 1 or more, not 2.5",
        "\"cores\": 1e12                    | 'cores' must be a whole number of 1 or more, not 1000000000000",
        "\"cores\": true                    | 'cores' must be a whole number of 1 or more, not true",
        "\"memory_bytes\": -1               | 'memory_bytes' must be a whole number of bytes, 0 or more, not -1",
        "\"memory_bytes\": \"8 GiB\"          | 'memory_bytes' must be a whole number of bytes, 0 or more, not the string \"8 GiB\"",
        "\"jvm_max_heap_bytes\": 1.5        | 'jvm_max_heap_bytes' must be a whole number of bytes, 0 or more, not 1.5",
        "\"fork_max_heap_bytes\": 99999999999999999999 | 'fork_max_heap_bytes' must be a whole number of bytes, 0 or more, not 99999999999999999999",
        "\"started\": \"2026-03-01\"          | 'started' must be an ISO-8601 instant such as \"2026-03-01T10:00:00Z\", not the string \"2026-03-01\"",
        "\"started\": 1767225600           | 'started' must be an ISO-8601 instant such as \"2026-03-01T10:00:00Z\", not 1767225600",
        "\"git_dirty\": \"false\"             | 'git_dirty' must be true or false, not the string \"false\"",
        "\"git_dirty\": 0                   | 'git_dirty' must be true or false, not 0",
        "\"jvm_flags\": \"-Xmx1g\"            | 'jvm_flags' must be a list of strings, not the string \"-Xmx1g\"",
        "\"jvm_flags\": [\"-Xmx1g\", 2]       | 'jvm_flags' must be a list of strings, not a list holding 2",
        "\"fork_jvm_args\": {\"a\": \"b\"}      | 'fork_jvm_args' must be a list of strings, not an object",
        "\"fork_jvm_args\": [null]          | 'fork_jvm_args' must be a list of strings, not a list holding null",
        "\"profile\": 3                     | 'profile' must be a string, not 3",
        "\"profile\": [\"quick\"]             | 'profile' must be a string, not a list",
        "\"git_commit\": false              | 'git_commit' must be a string, not false",
        "\"cpu_model\": {}                  | 'cpu_model' must be a string, not an object"})
    void aKnownFieldOfTheWrongTypeOrOutOfRangeIsBadInputNamingTheFileAndTheField(String field, String why) throws Exception {
        Path file = dir.resolve("env.json");
        Files.writeString(file, "{\"newer_field\": 1, " + field + "}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvJson.read(file));
        assertEquals(file + ": " + why, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aStringInAMessageStaysOnOneLineAndShort() throws Exception {
        Path file = dir.resolve("env.json");
        Files.writeString(file, "{\"cores\": \"two\\nlines" + "x".repeat(200) + "\"}");
        String message = assertThrows(IllegalArgumentException.class, () -> EnvJson.read(file)).getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.endsWith(", not the string \"two\\nlines" + "x".repeat(66) + "...\""), message);
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
        assertEquals(file + ": 'started' must be an ISO-8601 instant such as \"2026-03-01T10:00:00Z\", not the string \"yesterday\"",
                assertThrows(IllegalArgumentException.class, () -> EnvJson.read(file)).getMessage());
        Files.writeString(file, "\uFEFF{\"started\": \"2026-03-01T10:00:00Z\"}");
        assertEquals(Optional.of(Instant.parse("2026-03-01T10:00:00Z")), EnvJson.read(file).started(), "a BOM is dropped");
    }
}
