package rlbench.bench.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code jmh/results.json}: every benchmark of a run in one JMH JSON array, the file
 * jmh-visualizer and other JMH tools open as one run. JMH writes one result file per invocation,
 * and the runner invokes it once per benchmark; each of those files is added here as it appears,
 * and the whole array is written again through a temporary file, so an interrupted run leaves a
 * file that is whole and holds every finished benchmark.
 */
public final class JmhResults {

    private final Path file;
    private final ArrayNode all = JsonNodeFactory.instance.arrayNode();

    /** Collects into {@code file}, which is written at the first {@link #add}. */
    public JmhResults(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** How many benchmark results the file holds. */
    public int size() {
        return all.size();
    }

    /**
     * Adds the results in one JMH JSON result file (an array, one entry per benchmark JMH ran)
     * and rewrites the file.
     *
     * @throws IllegalArgumentException naming {@code jmhJson} when it is not a JMH JSON array
     * @throws IOException              when the file cannot be written
     */
    public void add(Path jmhJson) throws IOException {
        JsonNode results = JsonText.read(jmhJson);
        if (!results.isArray()) {
            throw new IllegalArgumentException(jmhJson + ": not a JMH result file (want a JSON array of benchmarks)");
        }
        for (JsonNode r : results) {
            if (!r.isObject() || !r.path("benchmark").isTextual()) {
                throw new IllegalArgumentException(jmhJson + ": not a JMH result file (an entry without a \"benchmark\" name)");
            }
        }
        all.addAll((ArrayNode) results);
        StagedOutputs.writeFile(file, JsonText.write(all));
    }
}
