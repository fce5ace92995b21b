package rlbench.bench.export;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import rlbench.bench.results.JsonText;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.ResultsTable;
import rlbench.bench.results.Row;
import rlbench.bench.results.StagedOutputs;

/**
 * A run in the JSON that github-action-benchmark reads with its {@code customBiggerIsBetter} and
 * {@code customSmallerIsBetter} tools: an array of {@code {name, unit, value, range, extra}}. One
 * file holds one direction, so a run becomes two: ops/s in one, latencies in the other.
 *
 * <p>Exported metrics: {@code ops_per_s} and the latency percentiles {@code p50_ns}, {@code p99_ns}
 * and {@code p999_ns}: the typical op, the tail, and the far tail. {@code mean_ns} and
 * {@code p90_ns} add little next to them, and {@code max_ns} is a single operation, too noisy for a
 * tracker that alerts on every change beyond a fixed ratio. The {@code locks} workload's
 * {@code avgt_ns} (JMH's average time per lock + unlock pair, over iterations) goes with the
 * latencies: smaller is better.
 *
 * <p>A name is the row's whole identity, {@code workload/op design tN param=value ... metric}
 * (parameters in name order), so it stays the same from run to run and no two rows share one.
 */
public final class GabExport {

    /** The exported metrics, in the order they appear in {@code results.csv}. */
    public static final List<String> METRICS = List.of("ops_per_s", "p50_ns", "p99_ns", "p999_ns", "avgt_ns");

    /** One benchmark entry, written as a JSON object of these fields; {@code range} and {@code extra} are left out when null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String name, String unit, double value, String range, String extra) {
    }

    /** A run's entries split by direction. */
    public record Export(List<Entry> bigger, List<Entry> smaller) {
    }

    private GabExport() {
    }

    /**
     * The exported rows of {@code table}, in its order.
     *
     * @throws IllegalArgumentException when it has none, or two rows would share a name
     */
    public static Export of(ResultsTable table) {
        List<Entry> bigger = new ArrayList<>();
        List<Entry> smaller = new ArrayList<>();
        Map<String, Row.Key> named = new HashMap<>();
        for (Map.Entry<Row.Key, Row> e : table.rows().entrySet()) {
            Row.Key k = e.getKey();
            Row v = e.getValue();
            int direction = Metrics.direction(k.metric());
            if (!METRICS.contains(k.metric()) || direction == 0) {
                continue;
            }
            String name = name(k);
            Row.Key other = named.put(name, k);
            if (other != null) {
                throw new IllegalArgumentException(table.file() + ":" + table.line(v) + ": two rows would share the benchmark name '"
                        + name + "'");
            }
            boolean interval = !Double.isNaN(v.ciLow()) && !Double.isNaN(v.ciHigh()) && v.ciHigh() >= v.ciLow();
            String range = interval ? "± " + ResultsCsv.format((v.ciHigh() - v.ciLow()) / 2) : null;
            boolean fromJmh = direction > 0 || Metrics.AVGT.equals(k.metric());
            String extra = fromJmh
                    ? "n=" + v.n() + (direction > 0 ? " samples" : " iterations")
                            + (interval ? ", 99.9% CI [" + JsonText.number(v.ciLow()) + ", " + JsonText.number(v.ciHigh()) + "]" : "")
                    : "n=" + v.n() + " ops";
            (direction > 0 ? bigger : smaller).add(new Entry(name, v.unit(), v.value(), range, extra));
        }
        if (bigger.isEmpty() && smaller.isEmpty()) {
            throw new IllegalArgumentException("nothing to export: " + table.file() + " has no " + String.join(", ", METRICS) + " rows");
        }
        return new Export(List.copyOf(bigger), List.copyOf(smaller));
    }

    /** {@code workload/op design tN param=value ... metric}. */
    static String name(Row.Key k) {
        StringBuilder sb = new StringBuilder(k.workload()).append('/').append(k.op()).append(' ').append(k.design())
                .append(" t").append(k.threads());
        k.params().forEach((p, v) -> sb.append(' ').append(p).append('=').append(v));
        return sb.append(' ').append(k.metric()).toString();
    }

    /** The file for ops/s entries, {@code PREFIX-bigger.json}. */
    public static Path biggerFile(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + "-bigger.json");
    }

    /** The file for latency entries, {@code PREFIX-smaller.json}. */
    public static Path smallerFile(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + "-smaller.json");
    }

    /**
     * Writes both files next to {@code prefix}, both or neither: each is written whole to a
     * staging folder beside them, and only when both are written, and neither target is a folder,
     * are they renamed over the targets, so a reader never sees half a file and a failure leaves
     * the previous files as they were.
     *
     * @throws IllegalArgumentException with a one-line message when a file cannot be written
     */
    public static void write(Export export, Path prefix) {
        Path bigger = biggerFile(prefix);
        Path smaller = smallerFile(prefix);
        try (StagedOutputs out = StagedOutputs.in(prefix.toAbsolutePath().getParent())) {
            Files.writeString(out.file(bigger.getFileName().toString()), json(export.bigger()), StandardCharsets.UTF_8);
            Files.writeString(out.file(smaller.getFileName().toString()), json(export.smaller()), StandardCharsets.UTF_8);
            out.commit();
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("cannot write " + bigger + " and " + smaller + ": " + e.getFile()
                    + " is in the way (not a folder)");
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write " + bigger + " and " + smaller + ": " + e.getMessage());
        }
    }

    /** The entries as a JSON array of {@code {name, unit, value, range?, extra?}} objects. */
    static String json(List<Entry> entries) {
        return JsonText.write(entries);
    }
}
