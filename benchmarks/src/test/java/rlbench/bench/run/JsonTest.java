package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {

    @TempDir
    Path dir;

    @Test
    void anEnvJsonLikeMapReadsBackAsWrittenWithNumbersAsDoubles() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("started", "2026-03-01T10:00:00.123456789Z");
        env.put("profile", "quick");
        env.put("cores", 2);
        env.put("memory_bytes", 25_276_514_304L);
        env.put("jvm_flags", List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"));
        env.put("git_commit", null);
        env.put("git_dirty", false);
        String text = Json.write(env);
        assertTrue(text.startsWith("{\n  \"started\": \"2026-03-01T10:00:00.123456789Z\",\n"), text);
        assertTrue(text.contains("\n  \"cores\": 2,\n  \"memory_bytes\": 25276514304,\n"), text);
        assertTrue(text.contains("\"jvm_flags\": [\"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED\", \"-Xmx1g\"],"), text);
        assertTrue(text.endsWith("\n}\n"), text);

        Map<String, Object> expected = new LinkedHashMap<>(env);
        expected.put("cores", 2.0);
        expected.put("memory_bytes", 25_276_514_304.0);
        Object back = Json.parse(text);
        assertEquals(expected, back);
        assertEquals(new ArrayList<>(env.keySet()), new ArrayList<>(((Map<?, ?>) back).keySet()), "key order kept");
    }

    @Test
    void envFileReadsWhatEnvFileWrote() throws Exception {
        Path file = dir.resolve("env.json");
        EnvFile.write(file, Profile.QUICK, List.of("./rlbench", "run", "--out", "a \"quoted\" dir"), dir,
                ForkJvm.parse("-Xmx512m -Dx=1"), Map.of("smt_active", true));
        Map<String, Object> env = EnvFile.read(file);
        assertEquals("quick", env.get("profile"));
        assertEquals("./rlbench run --out a \"quoted\" dir", env.get("command"));
        assertEquals((double) Runtime.getRuntime().availableProcessors(), env.get("cores"));
        assertTrue(env.get("jvm_flags") instanceof List, env.toString());
        assertEquals(List.of("-Xmx512m", "-Dx=1"), env.get("fork_jvm_args"), "--jvm-args as given, one option an item");
        assertEquals((double) (512L << 20), env.get("fork_max_heap_bytes"));
        assertTrue(java.time.Instant.parse((String) env.get("started")) != null);
        assertEquals(Map.of("smt_active", true), env.get("machine"), "the machine settings as given");
        assertEquals(Map.of(), EnvFile.read(dir.resolve("absent.json")));
    }

    @Test
    void stringsWithQuotesBackslashesControlCharactersAndNonAsciiSurviveARoundTrip() {
        String nasty = "a \"quote\", a \\ backslash, a / slash\n\ttab\r\b\f\u0001\u001f, é, 日本, \uD83D\uDE00 and </script>";
        String text = Json.write(Map.of("k\"ey\n", nasty));
        assertTrue(text.contains("\\\"quote\\\""), text);
        assertTrue(text.contains("\\n\\ttab\\r\\u0008\\u000c\\u0001\\u001f"), text);
        assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n'), "no raw control character: " + text);
        assertEquals(Map.of("k\"ey\n", nasty), Json.parse(text));
    }

    @Test
    void unicodeAndShortEscapesAreDecoded() {
        assertEquals("é\u00e9A\uD83D\uDE00/\b\f\n\r\t\"\\",
                Json.parse("\"\u00e9\\u00e9\\u0041\\ud83d\\uDE00\\/\\b\\f\\n\\r\\t\\\"\\\\\""));
    }

    @Test
    void nestedListsAndMapsRoundTripAndListsOfObjectsGoOneItemALine() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("name", "fault/fault none t1 p50_ns");
        inner.put("value", 1422.0);
        inner.put("empty", Map.of());
        List<Object> doc = List.of(inner, List.of(List.of(), List.of(1.5, "x", true)), List.of());
        String text = Json.write(doc);
        assertEquals("[\n  {\n    \"name\": \"fault/fault none t1 p50_ns\",\n    \"value\": 1422,\n    \"empty\": {}\n  },\n"
                + "  [\n    [],\n    [1.5, \"x\", true]\n  ],\n  []\n]\n", text);
        assertEquals(List.of(inner, List.of(List.of(), List.of(1.5, "x", true)), List.of()), Json.parse(text));
    }

    @Test
    void doublesArePlainDecimalsThatReadBackExactly() {
        assertEquals("[10000000, 1234570, 0.1, -2.5, 0.0000001, 0, 96195.7, 42]\n",
                Json.write(Arrays.asList(1.0E7, 1234570.0, 0.1, -2.5, 1e-7, 0.0, 96195.7, 42)));
        for (double d : new double[] {1.0E7, 1e-7, 123456.789, Double.MIN_VALUE, 1e300, -0.5}) {
            assertEquals(List.of(d), Json.parse(Json.write(List.of(d))), "round trip of " + d);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("x", Double.POSITIVE_INFINITY)));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "'{\"a\": 1} x'          | trailing text at offset 9",
        "'{\"a\": \"open'        | unterminated string at offset 6",
        "'{\"a\": nope}'         | not a value at offset 6",
        "'[1, 2,]'               | not a value at offset 6",
        "'{\"a\" 1}'             | expected ':' at offset 5",
        "'{\"a\": 1,}'           | expected a key at offset 8",
        "'[1 2]'                 | expected ']' at offset 3",
        "''                      | unexpected end at offset 0",
        "'{\"a\": 01}'           | not a value at offset 6",
        "'{\"a\": +1}'           | not a value at offset 6",
        "'{\"a\": 1.}'           | not a value at offset 6",
        "'{\"a\": NaN}'          | not a value at offset 6",
        "'\"\\x\"'               | bad escape '\\x' at offset 1",
        "'\"\\u12g4\"'           | bad \\u escape at offset 3",
        "'\"\\u12'               | short \\u escape at offset 3",
        "'{\"a\": 1, \"a\": 2}'  | duplicate key 'a' at offset 9",
    })
    void malformedTextIsRefusedWithTheOffsetOfTheProblem(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aRawControlCharacterInAStringIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[\"a\nb\"]"));
        assertEquals("control character in a string at offset 3", e.getMessage());
    }

    @Test
    void envFileNamesTheFileAndTheOffsetWhenItIsNotJson() throws Exception {
        Path file = dir.resolve("env.json");
        java.nio.file.Files.writeString(file, "{\"cores\": 2,}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EnvFile.read(file));
        assertEquals(file + ": expected a key at offset 12", e.getMessage());
        java.nio.file.Files.writeString(file, "[1]");
        e = assertThrows(IllegalArgumentException.class, () -> EnvFile.read(file));
        assertEquals(file + ": not a JSON object", e.getMessage());
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[".repeat(100_000)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(java.util.List.of()), Json.parse("[[]]"));
    }
}
