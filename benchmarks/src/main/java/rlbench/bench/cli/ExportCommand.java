package rlbench.bench.cli;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rlbench.bench.export.GabExport;
import rlbench.bench.export.OtavaExport;
import rlbench.bench.history.RunHistory;
import rlbench.bench.results.RunFolder;

/**
 * {@code rlbench export DIR... --format gab|otava}: runs' throughput and latency percentiles for a
 * benchmark tracker. {@code gab}: one run in github-action-benchmark's custom JSON, one file per
 * direction. {@code otava}: runs as the CSV Apache Otava reads, one row a run, with the test's
 * configuration beside it.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write runs' ops/s and latency percentiles (p50, p99, p99.9) for a CI benchmark tracker.",
            "gab: github-action-benchmark's custom format for one run, two files: PREFIX-bigger.json (ops/s, tool "
                + "customBiggerIsBetter) and PREFIX-smaller.json (latencies, tool customSmallerIsBetter).",
            "otava: Apache Otava's CSV for one or more runs (run folders or folders of them, ordered by start time), "
                + "PREFIX.csv with one row a run and PREFIX.yaml, the test's configuration with each metric's direction."})
final class ExportCommand implements Callable<Integer> {

    static final List<String> FORMATS = List.of("gab", "otava");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "run folders (or a run's results.csv); otava also takes folders of runs")
    List<Path> dirs;

    @Option(names = "--format", required = true, paramLabel = "F", description = "gab or otava")
    String format;

    @Option(names = "--out", paramLabel = "PREFIX",
            description = "gab: PREFIX-bigger.json and PREFIX-smaller.json (default DIR/gab); otava: PREFIX.csv and PREFIX.yaml (default DIR/otava, the first DIR)")
    String out;

    @Override
    public Integer call() {
        if (!FORMATS.contains(format)) {
            throw new UsageException("--format must be one of " + String.join(", ", FORMATS) + ", got '" + format + "'");
        }
        Path prefix = out == null ? null : prefix(out, format);
        PrintWriter w = spec.commandLine().getOut();
        try {
            if (format.equals("gab")) {
                if (dirs.size() != 1) {
                    throw new UsageException("--format gab exports one run, got " + dirs.size() + " folders");
                }
                RunFolder run = RunFolder.open(dirs.get(0));
                GabExport.Export export = GabExport.of(run.results());
                prefix = prefix != null ? prefix : run.dir().resolve("gab");
                GabExport.write(export, prefix);
                w.printf("wrote %d ops/s values to %s and %d latencies to %s%n", export.bigger().size(), GabExport.biggerFile(prefix),
                        export.smaller().size(), GabExport.smallerFile(prefix));
            } else {
                OtavaExport.Export export = OtavaExport.of(RunHistory.load(dirs));
                prefix = prefix != null ? prefix : (Files.isDirectory(dirs.get(0)) ? dirs.get(0) : dirs.get(0).toAbsolutePath().getParent())
                        .resolve("otava");
                OtavaExport.write(export, prefix);
                w.printf("wrote %d runs x %d values to %s and the test's configuration to %s%s%n", export.rows().size(),
                        export.directions().size(), OtavaExport.csvFile(prefix), OtavaExport.configFile(prefix),
                        export.leftOut() == 0 ? "" : "; " + export.leftOut() + " values left out, not measured by every run");
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        w.flush();
        return 0;
    }

    /**
     * The {@code --out} prefix. A folder is refused by name: the files are named after the
     * prefix, so {@code --out results/} would otherwise write {@code results-bigger.json} beside
     * the folder, not in it.
     */
    private static Path prefix(String value, String format) {
        Path p;
        try {
            p = Path.of(value);
        } catch (InvalidPathException e) {
            throw new UsageException("--out '" + value + "' is not a path: " + e.getReason());
        }
        if (value.isEmpty() || p.getFileName() == null || p.getFileName().toString().isEmpty()) {
            throw new UsageException("--out needs a file name prefix, got '" + value + "'");
        }
        if (value.endsWith("/") || value.endsWith(File.separator) || Files.isDirectory(p)) {
            throw new UsageException("--out takes a file name prefix, not a folder: '" + value + "' (it writes "
                    + (format.equals("gab") ? "PREFIX-bigger.json and PREFIX-smaller.json" : "PREFIX.csv and PREFIX.yaml")
                    + "; for files in that folder give --out " + p.resolve(format) + ")");
        }
        return p;
    }
}
