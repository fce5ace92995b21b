package rlbench.bench.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import rlbench.bench.results.ResultsTable;
import rlbench.bench.results.Row;
import rlbench.bench.results.RunFolder;

/**
 * Run folders in the order they were made, and every measured value as a series across them.
 *
 * <p>A folder holding {@code results.csv} is a run; any other folder stands for the run folders
 * directly inside it. Runs are ordered by the {@code started} time of their {@code env.json}; if
 * any run lacks one, all are ordered by folder name instead (the default names begin with a
 * timestamp), so that one order holds for every run.
 */
public final class RunHistory {

    /** One run: its folder name, its start time when known, and its rows. */
    public record Run(String name, Path dir, Optional<Instant> started, ResultsTable table) {
    }

    /**
     * One measured value across the runs that measured it, oldest first: {@code runs.get(i)}
     * measured {@code values[i]}.
     */
    public record Series(Row.Key key, List<Run> runs, double[] values) {
    }

    private final List<Run> runs;

    private RunHistory(List<Run> runs) {
        this.runs = runs;
    }

    /** The runs, oldest first. */
    public List<Run> runs() {
        return runs;
    }

    /**
     * Reads the runs in {@code dirs} (run folders or folders of run folders).
     *
     * @throws IllegalArgumentException with a one-line message for a missing folder, a folder with
     *                                  no runs, or a malformed {@code results.csv}
     */
    public static RunHistory load(List<Path> dirs) {
        Set<Path> runDirs = new LinkedHashSet<>();
        for (Path dir : dirs) {
            if (!Files.exists(dir)) {
                throw new IllegalArgumentException("no such folder: " + dir);
            }
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("not a folder: " + dir);
            }
            if (isRun(dir)) {
                runDirs.add(dir.toAbsolutePath().normalize());
                continue;
            }
            List<Path> inside;
            try (Stream<Path> s = Files.list(dir)) {
                inside = s.filter(RunHistory::isRun).map(p -> p.toAbsolutePath().normalize()).sorted().toList();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list " + dir + ": " + e.getMessage());
            }
            if (inside.isEmpty()) {
                throw new IllegalArgumentException("no runs in " + dir + ": no results.csv in it or in a folder inside it");
            }
            runDirs.addAll(inside);
        }
        List<Run> runs = new ArrayList<>();
        for (Path d : runDirs) {
            RunFolder run = RunFolder.open(d);
            runs.add(new Run(run.name(), d, started(run), run.results()));
        }
        Comparator<Run> byName = Comparator.comparing(Run::name, RunHistory::naturalOrder).thenComparing(r -> r.dir().toString());
        if (runs.stream().allMatch(r -> r.started().isPresent())) {
            runs.sort(Comparator.comparing((Run r) -> r.started().orElseThrow()).thenComparing(byName));
        } else {
            runs.sort(byName);
        }
        return new RunHistory(List.copyOf(runs));
    }

    private static boolean isRun(Path dir) {
        return RunFolder.isRun(dir);
    }

    /**
     * The {@code started} time in the run's {@code env.json}; empty when there is no env.json or
     * it has no {@code started} field.
     *
     * @throws IllegalArgumentException naming the run when env.json or its time is unreadable:
     *         silently dropping one run's time would reorder the whole series by name
     */
    static Optional<Instant> started(RunFolder run) {
        return run.env().started();
    }

    /** Names with their digit runs compared as numbers: run 9 before run 10. */
    static int naturalOrder(String a, String b) {
        java.util.regex.Matcher x = CHUNK.matcher(a);
        java.util.regex.Matcher y = CHUNK.matcher(b);
        while (x.find() && y.find()) {
            String p = x.group();
            String q = y.group();
            int c = Character.isDigit(p.charAt(0)) && Character.isDigit(q.charAt(0))
                    ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q)) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return a.compareTo(b);
    }

    private static final java.util.regex.Pattern CHUNK = java.util.regex.Pattern.compile("\\d+|\\D+");

    /**
     * Every key whose metric {@code metrics} accepts, as a series over the runs that measured it,
     * in the order the keys first appear.
     */
    public List<Series> series(Predicate<String> metrics) {
        Map<Row.Key, List<Run>> runsOf = new LinkedHashMap<>();
        for (Run r : runs) {
            for (Row.Key k : r.table().rows().keySet()) {
                if (metrics.test(k.metric())) {
                    runsOf.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
                }
            }
        }
        List<Series> out = new ArrayList<>(runsOf.size());
        runsOf.forEach((k, rs) -> {
            double[] v = new double[rs.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = rs.get(i).table().rows().get(k).value();
            }
            out.add(new Series(k, List.copyOf(rs), v));
        });
        return out;
    }
}
