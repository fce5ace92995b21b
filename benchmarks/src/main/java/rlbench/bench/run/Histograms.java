package rlbench.bench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Merges the latency histograms that benchmark forks leave behind ({@code <op>.<pid>.<nanos>.hlog}
 * in the run's scratch folder, one interval per measurement iteration) per op, and writes them
 * both as an HdrHistogram log ({@code .hlog}, readable by {@link HistogramLogReader}, every
 * iteration of every fork kept as its own interval) and as a percentile distribution of all of
 * them together ({@code .hgrm}, the text HdrHistogram's plotter reads).
 */
public final class Histograms {

    private Histograms() {
    }

    /** Every op's histograms in {@code dir}, merged across iterations and files (forks); op name to histogram. */
    public static Map<String, Histogram> mergeByOp(Path dir) {
        Map<String, Histogram> merged = new TreeMap<>();
        intervalsByOp(dir).forEach((op, intervals) -> merged.put(op, sum(intervals)));
        return merged;
    }

    /**
     * Every op's interval histograms in {@code dir}, one per measurement iteration of each fork,
     * forks in file-name order; op name to intervals.
     */
    public static Map<String, List<Histogram>> intervalsByOp(Path dir) {
        Map<String, List<Histogram>> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*.hlog")) {
            found.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read histograms in " + dir + ": " + e.getMessage(), e);
        }
        files.sort(null);
        for (Path f : files) {
            String name = f.getFileName().toString();
            out.computeIfAbsent(name.substring(0, name.indexOf('.')), k -> new ArrayList<>()).addAll(readIntervals(f));
        }
        return out;
    }

    /** All of {@code intervals} added into one histogram spanning their timestamps. */
    public static Histogram sum(List<Histogram> intervals) {
        Histogram total = new Histogram(3);
        total.setStartTimeStamp(Long.MAX_VALUE);
        for (Histogram h : intervals) {
            total.add(h);
            total.setStartTimeStamp(Math.min(total.getStartTimeStamp(), h.getStartTimeStamp()));
            total.setEndTimeStamp(Math.max(total.getEndTimeStamp(), h.getEndTimeStamp()));
        }
        if (intervals.isEmpty()) {
            total.setStartTimeStamp(0);
        }
        return total;
    }

    /**
     * The file name (without extension) of one benchmark op's merged histogram in {@code hgrm/};
     * parameters in name order, whatever map they come in, so a reader finds what a writer wrote.
     */
    public static String fileName(String design, String workload, String op, int threads, Map<String, String> params) {
        String p = new TreeMap<>(params).entrySet().stream().map(e -> e.getKey() + "-" + e.getValue())
                .collect(java.util.stream.Collectors.joining("_"));
        return (design + "__" + workload + "__" + op + "__t" + threads + "__" + p).replaceAll("[^A-Za-z0-9_.=-]", "-");
    }

    /** Every interval histogram of one {@code .hlog} file, added up. */
    public static Histogram read(Path hlog) {
        return sum(readIntervals(hlog));
    }

    /** The interval histograms of one {@code .hlog} file, in file order: one per measurement iteration. */
    public static List<Histogram> readIntervals(Path hlog) {
        List<Histogram> out = new ArrayList<>();
        try {
            HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                out.add((Histogram) h);
            }
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hlog + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes one histogram: {@link #write(List, Path, String)} with a single interval. */
    public static void write(Histogram h, Path folder, String base) {
        write(List.of(h), folder, base);
    }

    /**
     * Writes {@code base.hgrm}, the percentiles of all {@code intervals} together (in ns), and
     * {@code base.hlog}, each interval (measurement iteration) as its own histogram, so that
     * {@code compare} can test per-iteration values.
     */
    public static void write(List<Histogram> intervals, Path folder, String base) {
        Histogram h = sum(intervals);
        try {
            Files.createDirectories(folder);
            try (PrintStream out = new PrintStream(Files.newOutputStream(folder.resolve(base + ".hgrm")), false, "UTF-8")) {
                h.outputPercentileDistribution(out, 1.0);
            }
            try (PrintStream out = new PrintStream(Files.newOutputStream(folder.resolve(base + ".hlog")), false, "UTF-8")) {
                HistogramLogWriter w = new HistogramLogWriter(out);
                w.outputComment("rangelock-bench merged latency histogram, values in ns: " + base);
                w.outputLogFormatVersion();
                w.outputLegend();
                for (Histogram interval : intervals) {
                    w.outputIntervalHistogram(interval);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write histogram " + base + ": " + e.getMessage(), e);
        }
    }
}
