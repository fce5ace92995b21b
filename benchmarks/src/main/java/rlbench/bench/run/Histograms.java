package rlbench.bench.run;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Merges the latency histograms that benchmark forks leave behind ({@code <op>.<pid>.<nanos>.hlog}
 * in the run's scratch folder) into one histogram per op, and writes the merged result both as an
 * HdrHistogram log ({@code .hlog}, readable by {@link HistogramLogReader}) and as a percentile
 * distribution ({@code .hgrm}, the text HdrHistogram's plotter reads).
 */
public final class Histograms {

    private Histograms() {
    }

    /** Every op's histograms in {@code dir}, merged across files (forks); op name to histogram. */
    public static Map<String, Histogram> mergeByOp(Path dir) {
        Map<String, Histogram> merged = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return merged;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.hlog")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String op = name.substring(0, name.indexOf('.'));
                HistogramLogReader reader = new HistogramLogReader(f.toFile());
                EncodableHistogram h;
                while ((h = reader.nextIntervalHistogram()) != null) {
                    Histogram target = merged.computeIfAbsent(op, k -> {
                        Histogram fresh = new Histogram(3);
                        fresh.setStartTimeStamp(Long.MAX_VALUE);
                        return fresh;
                    });
                    target.add((Histogram) h);
                    target.setStartTimeStamp(Math.min(target.getStartTimeStamp(), h.getStartTimeStamp()));
                    target.setEndTimeStamp(Math.max(target.getEndTimeStamp(), h.getEndTimeStamp()));
                }
                reader.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read histograms in " + dir + ": " + e.getMessage(), e);
        }
        return merged;
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
        Histogram sum = new Histogram(3);
        try {
            HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                sum.add((Histogram) h);
            }
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + hlog + ": " + e.getMessage(), e);
        }
        return sum;
    }

    /** Writes {@code h} as {@code base.hgrm} (percentiles, in ns) and {@code base.hlog}. */
    public static void write(Histogram h, Path folder, String base) {
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
                w.outputIntervalHistogram(h);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write histogram " + base + ": " + e.getMessage(), e);
        }
    }
}
