package rlbench.bench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rlbench.bench.compare.ResultsTable;
import rlbench.bench.history.GabExport;

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
    Path out;

    @Override
    public Integer call() {
        if (!format.equals("gab")) {
            throw new UsageException("--format must be gab, got '" + format + "'");
        }
        if (out != null && (out.getFileName() == null || out.getFileName().toString().isEmpty())) {
            throw new UsageException("--out needs a file name prefix, got '" + out + "'");
        }
        Path prefix;
        GabExport.Export export;
        try {
            ResultsTable table = ResultsTable.read(dir);
            export = GabExport.of(table);
            prefix = out != null ? out : (Files.isDirectory(dir) ? dir : table.file().toAbsolutePath().getParent()).resolve("gab");
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
}
