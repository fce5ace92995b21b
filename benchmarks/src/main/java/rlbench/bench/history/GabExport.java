package rlbench.bench.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import rlbench.bench.compare.Comparison;
import rlbench.bench.compare.ResultsTable;
import rlbench.bench.run.Json;
import rlbench.bench.run.ResultsCsv;

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

    /** The metric that is JMH's own average over iterations, not a histogram's percentile. */
    private static final String JMH_AVERAGE = "avgt_ns";

    /** One benchmark entry; {@code range} and {@code extra} are null when absent. */
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
        Map<String, ResultsTable.Key> named = new HashMap<>();
        for (Map.Entry<ResultsTable.Key, ResultsTable.Value> e : table.rows().entrySet()) {
            ResultsTable.Key k = e.getKey();
            ResultsTable.Value v = e.getValue();
            int direction = Comparison.direction(k.metric());
            if (!METRICS.contains(k.metric()) || direction == 0) {
                continue;
            }
            String name = name(k);
            ResultsTable.Key other = named.put(name, k);
            if (other != null) {
                throw new IllegalArgumentException(table.file() + ":" + v.line() + ": two rows would share the benchmark name '"
                        + name + "'");
            }
            boolean interval = !Double.isNaN(v.ciLow()) && !Double.isNaN(v.ciHigh()) && v.ciHigh() >= v.ciLow();
            String range = interval ? "± " + ResultsCsv.format((v.ciHigh() - v.ciLow()) / 2) : null;
            boolean fromJmh = direction > 0 || JMH_AVERAGE.equals(k.metric());
            String extra = fromJmh
                    ? "n=" + v.n() + (direction > 0 ? " samples" : " iterations")
                            + (interval ? ", 99.9% CI [" + Json.number(v.ciLow()) + ", " + Json.number(v.ciHigh()) + "]" : "")
                    : "n=" + v.n() + " ops";
            (direction > 0 ? bigger : smaller).add(new Entry(name, v.unit(), v.value(), range, extra));
        }
        if (bigger.isEmpty() && smaller.isEmpty()) {
            throw new IllegalArgumentException("nothing to export: " + table.file() + " has no " + String.join(", ", METRICS) + " rows");
        }
        return new Export(List.copyOf(bigger), List.copyOf(smaller));
    }

    /** {@code workload/op design tN param=value ... metric}. */
    static String name(ResultsTable.Key k) {
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
     * Writes both files next to {@code prefix}. Each is written whole to a temporary file in the
     * same folder and then renamed over the target, so a reader never sees half a file.
     *
     * @throws IllegalArgumentException with a one-line message when a file cannot be written
     */
    public static void write(Export export, Path prefix) {
        Path dir = prefix.toAbsolutePath().getParent();
        List<Path> targets = List.of(biggerFile(prefix), smallerFile(prefix));
        List<String> texts = List.of(json(export.bigger()), json(export.smaller()));
        List<Path> temps = new ArrayList<>();
        Path current = targets.get(0);
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < targets.size(); i++) {
                current = targets.get(i);
                // Not createTempFile: its files are owner-only, and the exports are meant to be read by others.
                Path tmp = dir.resolve("." + current.getFileName() + ".tmp");
                temps.add(tmp);
                Files.writeString(tmp, texts.get(i), StandardCharsets.UTF_8);
            }
            for (int i = 0; i < targets.size(); i++) {
                current = targets.get(i);
                move(temps.get(i), current);
            }
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write " + current + ": " + e);
        } finally {
            for (Path t : temps) {
                try {
                    Files.deleteIfExists(t);
                } catch (IOException e) {
                    // a stray temporary file is harmless; the error that matters is already thrown
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The entries as a JSON array of {@code {name, unit, value, range?, extra?}} objects. */
    static String json(List<Entry> entries) {
        List<Map<String, Object>> objects = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", e.name());
            o.put("unit", e.unit());
            o.put("value", e.value());
            if (e.range() != null) {
                o.put("range", e.range());
            }
            if (e.extra() != null) {
                o.put("extra", e.extra());
            }
            objects.add(o);
        }
        return Json.write(objects);
    }
}
