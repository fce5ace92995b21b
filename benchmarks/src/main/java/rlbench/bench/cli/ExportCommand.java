package rlbench.bench.cli;

import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rlbench.bench.history.GabExport;
import rlbench.bench.results.RunFolder;

/**
 * {@code rlbench export DIR --format gab}: a run's throughput and latency percentiles in
 * github-action-benchmark's custom JSON, one file per direction.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a run's ops/s and latency percentiles (p50, p99, p99.9) for a CI benchmark tracker.",
            "gab: github-action-benchmark's custom format, two files: PREFIX-bigger.json (ops/s, tool "
                + "customBiggerIsBetter) and PREFIX-smaller.json (latencies, tool customSmallerIsBetter)."})
final class ExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a run folder (or its results.csv)")
    Path dir;

    @Option(names = "--format", required = true, paramLabel = "F", description = "gab (the only format so far)")
    String format;

    @Option(names = "--out", paramLabel = "PREFIX", description = "write PREFIX-bigger.json and PREFIX-smaller.json (default DIR/gab)")
    String out;

    @Override
    public Integer call() {
        if (!format.equals("gab")) {
            throw new UsageException("--format must be gab, got '" + format + "'");
        }
        Path prefix = out == null ? null : prefix(out);
        GabExport.Export export;
        try {
            RunFolder run = RunFolder.open(dir);
            export = GabExport.of(run.results());
            if (prefix == null) {
                prefix = run.dir().resolve("gab");
            }
            GabExport.write(export, prefix);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf("wrote %d ops/s values to %s and %d latencies to %s%n", export.bigger().size(), GabExport.biggerFile(prefix),
                export.smaller().size(), GabExport.smallerFile(prefix));
        w.flush();
        return 0;
    }

    /**
     * The {@code --out} prefix. A folder is refused by name: the files are named after the
     * prefix, so {@code --out results/} would otherwise write {@code results-bigger.json} beside
     * the folder, not in it.
     */
    private static Path prefix(String value) {
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
            throw new UsageException("--out takes a file name prefix, not a folder: '" + value + "' (it writes PREFIX-bigger.json "
                    + "and PREFIX-smaller.json; for files in that folder give --out " + p.resolve("gab") + ")");
        }
        return p;
    }
}
