package rlbench.bench.workloads;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;
import rlbench.locks.stat.LockStat;

/**
 * One fork's lock statistics ({@link LockStat#snapshot}) as a file, and the merge of every
 * fork's file of one benchmark, which the runner turns into {@code lockstat.csv} rows.
 *
 * <p>The file is an HdrHistogram log, {@code lockstat.<pid>.<nanos>.hlog}: the benchmark's comment
 * lines, one comment line per lock point with its counts
 * ({@code #lockstat point=i_rwsem acquisitions=12 contended=3}), then two tagged interval
 * histograms per point, {@code <point>.wait} and {@code <point>.hold}, in nanoseconds. Any
 * HdrHistogram log reader reads the histograms; the counts are what the histograms cannot say
 * (hold times are sampled, and uncontended acquisitions have no wait).
 */
public final class LockStatLog {

    private static final Pattern COUNTS = Pattern.compile(
            "#lockstat point=([a-z][a-z0-9_.]*) acquisitions=(\\d+) contended=(\\d+)");

    /** One lock point over the forks: counts summed, histograms added. */
    public record Point(String name, long acquisitions, long contended, Histogram waitNs, Histogram holdNs) {
    }

    private LockStatLog() {
    }

    /** Writes {@code points} into a new file in {@code dir} (created if needed); returns it. */
    public static Path write(Path dir, List<String> comments, List<LockStat.Snapshot> points) {
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("lockstat." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".hlog");
            HistogramLogWriter w = new HistogramLogWriter(file.toFile());
            try {
                w.outputLogFormatVersion();
                for (String c : comments) {
                    w.outputComment(c.replace('\n', ' '));
                }
                for (LockStat.Snapshot p : points) {
                    w.outputComment("lockstat point=" + p.point().name() + " acquisitions=" + p.acquisitions()
                            + " contended=" + p.contended());
                }
                w.outputLegend();
                for (LockStat.Snapshot p : points) {
                    p.waitNs().setTag(p.point().name() + ".wait");
                    w.outputIntervalHistogram(p.waitNs());
                    p.holdNs().setTag(p.point().name() + ".hold");
                    w.outputIntervalHistogram(p.holdNs());
                }
            } finally {
                w.close();
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write lock statistics to " + dir, e);
        }
    }

    /**
     * Every fork's file in {@code dir} merged, per lock point in the order the first file lists
     * them; empty when there is no such folder (lock statistics were off).
     *
     * @throws IllegalArgumentException naming a file that is not a whole lock-statistics log
     */
    public static List<Point> merge(Path dir) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Histogram> histograms = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "lockstat.*.hlog")) {
            found.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lock statistics in " + dir + ": " + e.getMessage(), e);
        }
        files.sort(null);
        for (Path f : files) {
            readInto(f, counts, histograms);
        }
        List<Point> out = new ArrayList<>();
        counts.forEach((name, c) -> out.add(new Point(name, c[0], c[1],
                histograms.getOrDefault(name + ".wait", LockStat.newMerged()),
                histograms.getOrDefault(name + ".hold", LockStat.newMerged()))));
        return out;
    }

    private static void readInto(Path f, Map<String, long[]> counts, Map<String, Histogram> histograms) {
        try {
            int points = 0;
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                Matcher m = COUNTS.matcher(line);
                if (m.matches()) {
                    long[] c = counts.computeIfAbsent(m.group(1), k -> new long[2]);
                    c[0] += Long.parseLong(m.group(2));
                    c[1] += Long.parseLong(m.group(3));
                    points++;
                }
            }
            if (points == 0) {
                throw new IllegalArgumentException(f + ": not a lock-statistics log (no #lockstat lines)");
            }
            HistogramLogReader r = new HistogramLogReader(f.toFile());
            try {
                EncodableHistogram h;
                while ((h = r.nextIntervalHistogram()) != null) {
                    if (!(h instanceof Histogram hist) || h.getTag() == null) {
                        throw new IllegalArgumentException(f + ": an interval without a lock point's tag");
                    }
                    histograms.computeIfAbsent(h.getTag(), k -> LockStat.newMerged()).add(hist);
                }
            } finally {
                r.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(f.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(f + ": not a whole lock-statistics log (" + e + ")", e);
        }
    }
}
