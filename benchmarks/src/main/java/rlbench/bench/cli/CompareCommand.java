package rlbench.bench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import rlbench.bench.report.CompareReport;
import picocli.CommandLine.Spec;
import rlbench.bench.compare.CompareTable;
import rlbench.bench.compare.Comparison;
import rlbench.bench.output.Numbers;
import rlbench.bench.output.Reporter;
import rlbench.bench.results.ResultsTable;
import rlbench.bench.results.RunFolder;
import rlbench.bench.run.Profile;

/**
 * {@code rlbench compare BASE NEW}: every metric both runs measured, its change with a confidence
 * interval and a p-value where the data allow, and a verdict. Exit 0 when nothing regressed
 * significantly beyond the threshold, 1 when something did, 2 on bad input.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two run folders (or results.csv files) metric by metric; exit 1 on a significant regression.")
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASE")
    Path base;

    @Parameters(index = "1", paramLabel = "NEW")
    Path next;

    /** With --report, more runs to draw beside BASE and NEW, without verdicts. */
    @Parameters(index = "2..*", paramLabel = "RUN", arity = "0..*",
            description = "with --report: more runs, drawn side by side with BASE and NEW, one line style per run, without verdicts")
    List<Path> more = new java.util.ArrayList<>();

    @Option(names = "--threshold", defaultValue = "5", paramLabel = "PCT",
            description = "changes within this many percent are 'unchanged' (default ${DEFAULT-VALUE})")
    double threshold;

    @Option(names = "--alpha", defaultValue = "0.01", paramLabel = "A", description = "false discovery rate across the compared rows, by Benjamini-Hochberg (default ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--ignore-param", paramLabel = "NAME",
            description = "leave this parameter out when matching rows (e.g. the one the two runs differ in); repeatable")
    List<String> ignoreParams = new java.util.ArrayList<>();

    @Option(names = "--report", paramLabel = "DIR",
            description = "also write compare.md, compare.html and plots/ into DIR (new or empty): the verdicts, the runs' settings side by side, and base against new drawn where a row changed significantly")
    Path report;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() {
        if (!(threshold >= 0 && threshold < 1000)) {
            throw new UsageException("--threshold must be a percentage from 0 to 1000, got " + threshold);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new UsageException("--alpha must be between 0 and 1, got " + alpha);
        }
        Reporter reporter = format.reporter();
        List<Comparison.Line> lines;
        int baseForks;
        int nextForks;
        boolean unreplicated;
        if (!more.isEmpty()) {
            if (report == null) {
                throw new UsageException("compare takes two runs, or more with --report DIR (drawn side by side, without verdicts)");
            }
            for (String verdictOnly : List.of("--threshold", "--alpha", "--format")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(verdictOnly)) {
                    throw new UsageException(verdictOnly + " sets how compare judges two runs; with three or more runs "
                            + "--report draws them side by side without verdicts, so it does not apply");
                }
            }
            List<Path> all = new java.util.ArrayList<>(List.of(base, next));
            all.addAll(more);
            writeReport(() -> CompareReport.writeMany(report, all, java.util.Set.copyOf(ignoreParams)));
            return 0;
        }
        if (report != null) {
            // Refused before the comparison's work, so a bad folder costs nothing.
            reportStep(() -> {
                CompareReport.checkTarget(report);
                return null;
            });
        }
        try {
            java.util.Set<String> ignored = java.util.Set.copyOf(ignoreParams);
            RunFolder baseRun = RunFolder.open(base);
            RunFolder nextRun = RunFolder.open(next);
            ResultsTable b = baseRun.results().ignoring(ignored);
            ResultsTable n = nextRun.results().ignoring(ignored);
            baseForks = forks(baseRun);
            nextForks = forks(nextRun);
            lines = Comparison.compare(b, n, baseRun, nextRun, threshold, alpha);
            // With 2 or more rounds in both runs the rounds are the replicates, whatever the forks.
            unreplicated = (baseForks == 1 || nextForks == 1) && (b.roundCount() < 2 || n.roundCount() < 2);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (report != null) {
            List<Comparison.Line> compared = lines;
            writeReport(() -> CompareReport.write(report, base, next, compared));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(reporter.table(CompareTable.of(lines)));
        if (unreplicated) {
            // stdout stays pure data for scripts; the note goes to stderr there.
            PrintWriter note = reporter.dataOnly() ? spec.commandLine().getErr() : out;
            note.println("note: a run here has 1 fork per benchmark: a shift that lasts a whole JVM run is in every iteration "
                    + "and tests as significant; gate on runs with 3 or more forks (--profile full) or rounds (run --rounds 3)");
        }
        long regressed = lines.stream().filter(l -> l.verdict() == Comparison.Verdict.REGRESSED).count();
        if (!reporter.dataOnly()) {
            long tested = lines.stream().filter(l -> l.verdict() != Comparison.Verdict.UNTESTED).count();
            out.printf(java.util.Locale.ROOT, "%n%d rows compared, %d tested (%.1f%%), %d regressed, %d improved (threshold %s%%, false discovery rate %s)%n",
                    lines.size(), tested, 100.0 * tested / lines.size(), regressed,
                    lines.stream().filter(l -> l.verdict() == Comparison.Verdict.IMPROVED).count(),
                    Numbers.compact(threshold), Numbers.compact(alpha));
            out.println("flagged of tested, by design: " + flaggedByDesign(lines));
        }
        out.flush();
        return regressed > 0 ? 1 : 0;
    }

    /** A step of {@code --report} that reads or writes the folder. */
    @FunctionalInterface
    private interface ReportStep<T> {
        T run() throws java.io.IOException;
    }

    /** Runs a {@code --report} step; its bad input and IO failures become one line and exit 2. */
    private <T> T reportStep(ReportStep<T> step) {
        try {
            return step.run();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new UsageException("cannot write the report into " + report + ": " + e.getMessage());
        }
    }

    /** Writes the report and says where it went, on stderr (stdout stays the table). */
    private void writeReport(ReportStep<CompareReport.Written> step) {
        CompareReport.Written w = reportStep(step);
        spec.commandLine().getErr().println("report: " + w.html() + " (" + w.plots() + " plots), " + w.markdown());
    }

    /**
     * Per design, in the order the rows came: the rows called regressed or improved out of those
     * tested (any verdict but untested), e.g. {@code rwsem 3/120 (2.5%)}; what an A/A or A/B
     * check of compare reads off.
     */
    static String flaggedByDesign(List<Comparison.Line> lines) {
        java.util.Map<String, long[]> counts = new java.util.LinkedHashMap<>();
        for (Comparison.Line l : lines) {
            if (l.verdict() == Comparison.Verdict.UNTESTED) {
                continue;
            }
            long[] c = counts.computeIfAbsent(l.key().design(), d -> new long[2]);
            c[1]++;
            if (l.verdict() == Comparison.Verdict.REGRESSED || l.verdict() == Comparison.Verdict.IMPROVED) {
                c[0]++;
            }
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        counts.forEach((d, c) -> parts.add(d + " " + c[0] + "/" + c[1] + " (" + String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * c[0] / c[1]) + ")"));
        return parts.isEmpty() ? "no row tested" : String.join(", ", parts);
    }

    /**
     * The profile's forks per benchmark, from the run's env.json; 0 when it recorded no profile.
     *
     * @throws IllegalArgumentException naming the env.json when its profile is not one this
     *                                  version knows: its forks, and so the 1-fork note, would be a guess
     */
    private static int forks(RunFolder run) {
        Optional<String> profile = run.env().profile();
        if (profile.isEmpty()) {
            return 0;
        }
        try {
            return Profile.parse(profile.get()).forks;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(run.envJson() + ": " + e.getMessage());
        }
    }
}
