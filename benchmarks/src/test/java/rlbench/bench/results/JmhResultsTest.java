package rlbench.bench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JmhResultsTest {

    @TempDir
    Path dir;

    /** A JMH JSON result file as JMH writes it for one benchmark (trimmed to the fields tools read). */
    private Path jmhFile(String name, String benchmark, double score, String threads) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, """
                [
                    {
                        "jmhVersion" : "1.37",
                        "benchmark" : "%s",
                        "mode" : "thrpt",
                        "threads" : %s,
                        "forks" : 1,
                        "params" : {
                            "design" : "rwsem"
                        },
                        "primaryMetric" : {
                            "score" : %s,
                            "scoreError" : "NaN",
                            "scoreConfidence" : [
                                "NaN",
                                "NaN"
                            ],
                            "scoreUnit" : "ops/s",
                            "rawData" : [
                                [
                                    %s
                                ]
                            ]
                        },
                        "secondaryMetrics" : {
                        }
                    }
                ]
                """.formatted(benchmark, threads, score, score));
        return f;
    }

    @Test
    void everyBenchmarkOfTheRunIsOneEntryOfOneArray() throws Exception {
        Path out = dir.resolve("jmh/results.json");
        JmhResults all = new JmhResults(out);
        all.add(jmhFile("001-a.json", "rlbench.bench.workloads.FaultBenchmark.fault", 475830.12, "1"));
        JsonNode after1 = new ObjectMapper().readTree(out.toFile());
        assertEquals(1, after1.size(), "whole after the first benchmark, as an interrupted run leaves it");
        all.add(jmhFile("002-b.json", "rlbench.bench.workloads.PunchBenchmark.punch", 1.5e-3, "2"));

        JsonNode parsed = new ObjectMapper().readTree(out.toFile());
        assertTrue(parsed.isArray(), parsed.toString());
        assertEquals(2, parsed.size());
        assertEquals(List.of("rlbench.bench.workloads.FaultBenchmark.fault", "rlbench.bench.workloads.PunchBenchmark.punch"),
                List.of(parsed.get(0).get("benchmark").asText(), parsed.get(1).get("benchmark").asText()));
        assertEquals(475830.12, parsed.get(0).get("primaryMetric").get("score").asDouble());
        assertEquals(1.5e-3, parsed.get(1).get("primaryMetric").get("score").asDouble());
        assertEquals(2, parsed.get(1).get("threads").asInt());
        assertEquals("NaN", parsed.get(0).get("primaryMetric").get("scoreError").asText());
        try (var s = Files.list(out.getParent())) {
            assertEquals(List.of(out), s.toList(), "no temporary file left");
        }
    }

    @Test
    void aFileThatIsNotJmhJsonIsRefusedAndTheCollectedOnesKept() throws Exception {
        Path out = dir.resolve("results.json");
        JmhResults all = new JmhResults(out);
        all.add(jmhFile("001-a.json", "a.B.c", 1, "1"));
        Path cut = dir.resolve("002-cut.json");
        Files.writeString(cut, Files.readString(dir.resolve("001-a.json")).substring(0, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all.add(cut));
        assertTrue(e.getMessage().startsWith(cut + ": not JSON: "), e.getMessage());
        Path object = dir.resolve("003-object.json");
        Files.writeString(object, "{\"benchmark\": \"a.B.c\"}");
        assertThrows(IllegalArgumentException.class, () -> all.add(object));
        assertEquals(1, new ObjectMapper().readTree(out.toFile()).size());
    }
}
