package rlbench.bench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rlbench.bench.history.ChangePoints;
import rlbench.bench.history.ChangeTable;
import rlbench.bench.history.EDivisive;
import rlbench.bench.history.RunHistory;
import rlbench.bench.output.Reporter;

/**
 * {@code rlbench history [DIR...]}: change points in every measured value across a series of runs
 * (E-divisive means, each candidate tested with a t-test). A report: exit 0 whatever it finds,
 * unless {@code --fail-on-regression} is given and some value's newest level is a regression.
 */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Find where each measured value changed level across a series of runs (E-divisive means with "
                + "a t-test, as Hunter/Apache Otava do) and say whether each change is a regression.",
            "DIR: a run folder, or a folder of run folders; runs are ordered by env.json 'started'.",
            "p: Student's t-test between the runs on either side of the change (up to the neighbouring changes), "
                + "times the number of places the change could have been put there."})
final class HistoryCommand implements Callable<Integer> {

    static final Path DEFAULT_DIR = Path.of("results", "history");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "DIR", description = "run folders or folders of runs (default results/history)")
    List<Path> dirs = new ArrayList<>();

    @Option(names = "--pvalue", defaultValue = "0.001", paramLabel = "P",
            description = "a change point needs p below this (default ${DEFAULT-VALUE})")
    double pValue;

    @Option(names = "--min-segment", defaultValue = "3", paramLabel = "N",
            description = "least number of runs on either side of a change point, at least 2 (default ${DEFAULT-VALUE})")
    int minSegment;

    @Option(names = "--metric", defaultValue = ".*", paramLabel = "REGEX",
            description = "only metrics whose whole name matches, e.g. 'ops_per_s|p99_ns' (default all)")
    String metric;

    @Option(names = "--min-magnitude", defaultValue = "0", paramLabel = "PCT",
            description = "leave out change points smaller than this many percent of the level before (as Otava's; default ${DEFAULT-VALUE})")
    double minMagnitude;

    @Mixin
    FormatOption format;

    @Option(names = "--fail-on-regression", description = "exit 1 when a value's newest level is a regression")
    boolean failOnRegression;

    @Override
    public Integer call() {
        if (!(pValue > 0 && pValue < 1)) {
            throw new UsageException("--pvalue must be between 0 and 1, got " + pValue);
        }
        if (minSegment < 2) {
            throw new UsageException("--min-segment must be at least 2 (a t-test needs two runs a side), got " + minSegment);
        }
        if (!(minMagnitude >= 0 && minMagnitude < 1e6)) {
            throw new UsageException("--min-magnitude must be a percentage, 0 or more, got " + minMagnitude);
        }
        Pattern metrics;
        try {
            metrics = Pattern.compile(metric);
        } catch (PatternSyntaxException e) {
            throw new UsageException("--metric '" + metric + "' is not a regular expression: " + e.getDescription());
        }
        Reporter reporter = format.reporter();
        RunHistory history;
        try {
            history = RunHistory.load(dirs.isEmpty() ? List.of(DEFAULT_DIR) : dirs);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + (dirs.isEmpty() ? " (the default; name run folders or a folder of runs)" : ""));
        }
        List<RunHistory.Run> runs = history.runs();
        if (runs.size() < 2L * minSegment) {
            throw new UsageException(runs.size() + " run" + (runs.size() == 1 ? "" : "s") + " found; a change point needs at least "
                    + 2L * minSegment + " (twice --min-segment " + minSegment + ")");
        }
        List<RunHistory.Series> series = history.series(m -> metrics.matcher(m).matches());
        if (series.isEmpty()) {
            TreeSet<String> known = new TreeSet<>();
            runs.forEach(r -> r.table().rows().keySet().forEach(k -> known.add(k.metric())));
            throw new UsageException("--metric '" + metric + "' matches no metric; the runs have " + String.join(", ", known));
        }
        List<ChangePoints.Change> changes = ChangePoints.find(series, new EDivisive(pValue, minSegment), minMagnitude);

        PrintWriter out = spec.commandLine().getOut();
        out.print(reporter.table(ChangeTable.of(changes)));
        long newestRegressions = changes.stream()
                .filter(c -> c.newest() && c.verdict() == ChangePoints.Verdict.REGRESSION).count();
        if (!reporter.dataOnly()) {
            long regressions = changes.stream().filter(c -> c.verdict() == ChangePoints.Verdict.REGRESSION).count();
            out.printf("%n%d series over %d runs (%s .. %s): %d change point%s, %d regression%s, %d still at a regressed level"
                            + " (p < %s, min segment %d%s)%n",
                    series.size(), runs.size(), runs.get(0).name(), runs.get(runs.size() - 1).name(),
                    changes.size(), changes.size() == 1 ? "" : "s", regressions, regressions == 1 ? "" : "s",
                    newestRegressions, java.math.BigDecimal.valueOf(pValue).stripTrailingZeros().toPlainString(), minSegment,
                    minMagnitude == 0 ? "" : ", min magnitude "
                            + java.math.BigDecimal.valueOf(minMagnitude).stripTrailingZeros().toPlainString() + "%");
        }
        out.flush();
        return failOnRegression && newestRegressions > 0 ? 1 : 0;
    }
}
