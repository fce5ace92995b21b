package rlbench.bench.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import rlbench.bench.history.RunHistory;
import rlbench.bench.output.CsvReporter;
import rlbench.bench.output.Doc;
import rlbench.bench.results.JsonText;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.ResultsCsv;
import rlbench.bench.results.Row;
import rlbench.bench.results.RunFolder;
import rlbench.bench.results.StagedOutputs;

/**
 * Runs as the CSV that Apache Otava (formerly Hunter) reads with a test of {@code type: csv}: one
 * row per run, oldest first; a {@code time} column (the run's start, from env.json, in UTC); the
 * attributes {@code commit} and {@code run}; then one column per tracked value, named as
 * github-action-benchmark's export names it ({@code workload/op design tN param=value ... metric},
 * {@link GabExport#name}), with the metrics {@link GabExport#METRICS} chooses.
 *
 * <p>Otava turns every metric cell into a float and refuses the file at an empty one, so only the
 * values every run measured become columns; {@link Export#leftOut} counts the others. Beside the
 * CSV goes the test's configuration, {@code PREFIX.yaml}: the file, the time column, the
 * attributes and each metric with its direction (Otava takes a metric as bigger-is-better unless
 * told {@code direction: -1}, which every latency needs). It is written as JSON, which is YAML too,
 * so Otava's loader reads it and no second codec is needed.
 */
public final class OtavaExport {

    /** The columns before the metrics. */
    static final List<String> LEADING = List.of("time", "commit", "run");

    /** Otava's own time layout in its examples: ISO date, time, and the offset. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xx").withZone(ZoneOffset.UTC);

    /**
     * @param header  the CSV header: {@link #LEADING}, then the metric columns
     * @param rows    one per run, in the header's order
     * @param directions each metric column's direction, +1 bigger is better, -1 smaller
     * @param leftOut tracked values some run did not measure, left out
     */
    public record Export(List<String> header, List<List<String>> rows, Map<String, Integer> directions, int leftOut) {
    }

    private OtavaExport() {
    }

    /**
     * The runs of {@code history}, oldest first.
     *
     * @throws IllegalArgumentException naming the run when one has no start time, or when the runs
     *                                  have no tracked value in common
     */
    public static Export of(RunHistory history) {
        List<RunHistory.Run> runs = history.runs();
        for (RunHistory.Run r : runs) {
            if (r.started().isEmpty()) {
                throw new IllegalArgumentException(RunFolder.at(r.dir()).envJson() + " has no 'started' time; Otava orders runs by time");
            }
        }
        Set<Row.Key> common = null;
        Set<Row.Key> tracked = new LinkedHashSet<>();
        for (RunHistory.Run r : runs) {
            Set<Row.Key> keys = new LinkedHashSet<>();
            for (Row.Key k : r.table().rows().keySet()) {
                if (GabExport.METRICS.contains(k.metric()) && Metrics.direction(k.metric()) != 0) {
                    keys.add(k);
                }
            }
            tracked.addAll(keys);
            if (common == null) {
                common = keys;
            } else {
                common.retainAll(keys);
            }
        }
        if (common == null || common.isEmpty()) {
            throw new IllegalArgumentException("nothing to export: no " + String.join(", ", GabExport.METRICS)
                    + " value was measured by every one of the " + runs.size() + " runs");
        }
        List<String> header = new ArrayList<>(LEADING);
        Map<String, Integer> directions = new LinkedHashMap<>();
        for (Row.Key k : common) {
            String name = GabExport.name(k);
            header.add(name);
            directions.put(name, Metrics.direction(k.metric()));
        }
        List<List<String>> rows = new ArrayList<>();
        for (RunHistory.Run r : runs) {
            String commit = RunFolder.at(r.dir()).env().gitCommit().orElse("");
            List<String> row = new ArrayList<>(List.of(TIME.format(r.started().orElseThrow()), commit, r.name()));
            for (Row.Key k : common) {
                row.add(ResultsCsv.format(r.table().rows().get(k).value()));
            }
            rows.add(row);
        }
        return new Export(List.copyOf(header), List.copyOf(rows), directions, tracked.size() - common.size());
    }

    /** The CSV, {@code PREFIX.csv}. */
    public static Path csvFile(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".csv");
    }

    /** The test's configuration for Otava, {@code PREFIX.yaml}. */
    public static Path configFile(Path prefix) {
        return prefix.resolveSibling(prefix.getFileName() + ".yaml");
    }

    /**
     * Writes both files, both or neither (see {@link StagedOutputs}). The configuration names the
     * test {@code rangelock-bench} and its file as {@code prefix} was given, so Otava finds it from
     * the folder the export ran in.
     *
     * @throws IllegalArgumentException with a one-line message when a file cannot be written
     */
    public static void write(Export export, Path prefix) {
        Path csv = csvFile(prefix);
        Path config = configFile(prefix);
        try (StagedOutputs out = StagedOutputs.in(prefix.toAbsolutePath().getParent())) {
            Files.writeString(out.file(csv.getFileName().toString()), csv(export), StandardCharsets.UTF_8);
            Files.writeString(out.file(config.getFileName().toString()), config(export, csv), StandardCharsets.UTF_8);
            out.commit();
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("cannot write " + csv + " and " + config + ": " + e.getFile() + " is in the way (not a folder)");
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write " + csv + " and " + config + ": " + e.getMessage());
        }
    }

    /** The CSV: Otava's importer is Python's csv module, which reads what Commons CSV writes. */
    static String csv(Export export) {
        return new CsvReporter().table(new Doc.Table(export.header(), export.rows(), LEADING.size()));
    }

    static String config(Export export, Path csv) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        export.directions().forEach((name, direction) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("column", name);
            m.put("direction", direction);
            metrics.put(name, m);
        });
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("type", "csv");
        test.put("file", csv.toString());
        test.put("time_column", LEADING.get(0));
        test.put("attributes", LEADING.subList(1, LEADING.size()));
        test.put("metrics", metrics);
        return JsonText.write(Map.of("tests", Map.of("rangelock-bench", test)));
    }
}
