package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTextTest {

    @TempDir
    Path dir;

    private Map<String, Object> read(String text) throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, text);
        return JsonText.readObject(f);
    }

    @Test
    void anEnvJsonLikeMapIsLaidOutAsEnvJsonAlwaysWasAndReadsBack() throws Exception {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("started", "2026-03-01T10:00:00.123456789Z");
        env.put("cores", 2);
        env.put("memory_bytes", 25_276_514_304L);
        env.put("jvm_flags", List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-Xmx1g"));
        env.put("fork_jvm_args", List.of());
        env.put("git_commit", null);
        env.put("git_dirty", false);
        String text = JsonText.write(env);
        assertEquals("{\n  \"started\": \"2026-03-01T10:00:00.123456789Z\",\n  \"cores\": 2,\n  \"memory_bytes\": 25276514304,\n"
                + "  \"jvm_flags\": [\"--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED\", \"-Xmx1g\"],\n"
                + "  \"fork_jvm_args\": [],\n  \"git_commit\": null,\n  \"git_dirty\": false\n}\n", text);
        Map<String, Object> back = read(text);
        assertEquals(env, back);
        assertEquals(List.copyOf(env.keySet()), List.copyOf(back.keySet()), "key order kept");
    }

    @Test
    void nestedListsAndMapsGoOneItemALineAndRecordsAreObjects() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("name", "fault/fault none t1 p50_ns");
        inner.put("value", 1422.0);
        inner.put("empty", Map.of());
        assertEquals("[\n  {\n    \"name\": \"fault/fault none t1 p50_ns\",\n    \"value\": 1422,\n    \"empty\": {}\n  },\n"
                + "  [\n    [],\n    [1.5, \"x\", true]\n  ],\n  []\n]\n",
                JsonText.write(List.of(inner, List.of(List.of(), List.of(1.5, "x", true)), List.of())));
        record Governor(int cpu, String governor) {
        }
        assertEquals("{\n  \"governors\": [\n    {\n      \"cpu\": 0,\n      \"governor\": \"performance\"\n    }\n  ]\n}\n",
                JsonText.write(Map.of("governors", List.of(new Governor(0, "performance")))));
    }

    @Test
    void doublesArePlainDecimalsThatReadBackExactly() throws Exception {
        assertEquals("[10000000, 1234570, 0.1, -2.5, 0.0000001, 0, 96195.7, 42]\n",
                JsonText.write(Arrays.asList(1.0E7, 1234570.0, 0.1, -2.5, 1e-7, 0.0, 96195.7, 42)));
        for (double d : new double[] {1.0E7, 1e-7, 123456.789, Double.MIN_VALUE, 1e300, -0.5}) {
            Object back = read(JsonText.write(Map.of("d", d))).get("d");
            assertEquals(d, ((Number) back).doubleValue(), "round trip of " + d);
        }
        assertThrows(IllegalArgumentException.class, () -> JsonText.write(List.of(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> JsonText.write(Map.of("x", Double.POSITIVE_INFINITY)));
    }

    @Test
    void stringsWithQuotesBackslashesControlCharactersAndNonAsciiSurviveARoundTrip() throws Exception {
        String nasty = "a \"quote\", a \\ backslash, a / slash\n\ttab\r\b\f\u0001\u001f, é, 日本, \uD83D\uDE00 and </script>";
        String text = JsonText.write(Map.of("k\"ey\n", nasty));
        assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n'), "no raw control character: " + text);
        assertEquals(Map.of("k\"ey\n", nasty), read(text));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "'{\"a\": 1} x'          | (line 1, column 10)",
        "'{\"a\": \"open'        | Unexpected end-of-input",
        "'{\"a\": nope}'         | Unrecognized token 'nope'",
        "'[1, 2,]'               | Unexpected character",
        "'{\"a\" 1}'             | was expecting a colon",
        "'{\"a\": 01}'           | Leading zeroes not allowed",
        "'{\"a\": NaN}'          | Non-standard token 'NaN'",
        "'{\"a\": 1, \"a\": 2}'  | Duplicate field 'a'",
        "'{\"a\": \"b\nc\"}'     | Illegal unquoted character",
        "'{\"a\": 1,}'          | was expecting double-quote to start field name",
        "'[1 2]'                | was expecting comma",
        "'+1'                   | Unexpected character ('+'",
        "'1.'                   | Decimal point not followed by a digit",
        "'\"\\x\"'                 | Unrecognized character escape 'x'",
        "'\"\\u12g4\"'             | Unexpected character ('g'",
        "'\"\\u12'                | Unexpected end-of-input",
    })
    void malformedTextIsRefusedOnOneLineNamingTheFileAndWhere(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(text));
        assertTrue(e.getMessage().startsWith(dir.resolve("x.json") + ": not JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void notAnObjectAnEmptyFileAndDeepNestingAreRefused() {
        assertEquals(dir.resolve("x.json") + ": not a JSON object (it holds an array)",
                assertThrows(IllegalArgumentException.class, () -> read("[1]")).getMessage());
        assertEquals(dir.resolve("x.json") + ": empty, not a JSON object",
                assertThrows(IllegalArgumentException.class, () -> read("")).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read("[".repeat(100_000)));
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
