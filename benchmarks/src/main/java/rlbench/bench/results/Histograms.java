package rlbench.bench.results;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The latency histogram files. The runner merges what benchmark forks leave behind
 * ({@code <op>.<pid>.<nanos>.hlog} in its scratch folder, one interval per measurement iteration)
 * per op, and writes each op both as an HdrHistogram log ({@code .hlog}, readable by
 * {@link HistogramLogReader}, every iteration of every fork kept as its own interval) and as a
 * percentile distribution of all of them together ({@code .hgrm}, the text HdrHistogram's plotter
 * reads), under the run's {@code hgrm/}.
 *
 * <p>Reading is strict: a file that is not what its name says, or is cut short, is refused with
 * a one-line {@link IllegalArgumentException} naming it, never taken for "no data". A truncated
 * {@code .hgrm} lacks the summary lines HdrHistogram ends it with; a truncated {@code .hlog} ends
 * in half an interval line, or holds none.
 */
public final class Histograms {

    /** The column titles HdrHistogram opens a percentile distribution with. */
    private static final List<String> HGRM_HEADER = List.of("Value", "Percentile", "TotalCount", "1/(1-Percentile)");
    /** The summary line HdrHistogram ends a percentile distribution with. */
    private static final String HGRM_LAST = "#[Buckets";

    /**
     * Appended to {@link #fileName} for an op's lock-wait histograms (the time each op waited for
     * locks), kept beside its latency histograms.
     */
    public static final String LOCK_WAIT_SUFFIX = ".lockwait";

    /** One line of a {@code .hgrm}: {@code inverseTail} is 1/(1-percentile), infinite on the last line. */
    public record Percentile(double value, double percentile, long count, double inverseTail) {
    }

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
     *
     * @throws IllegalArgumentException naming a file that is not a whole HdrHistogram log
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
     * The longest {@link #fileName}: with its extension ({@code .hgrm}, {@code .hlog}) it stays
     * under the 255 bytes a file name may have on Linux file systems. Every name the committed
     * baseline has (212 at most) is shorter, so its files keep their names.
     */
    static final int MAX_NAME = 245;

    /**
     * The file name (without extension) of one benchmark op's merged histogram in {@code hgrm/};
     * parameters in name order, whatever map they come in, so a reader finds what a writer wrote.
     * A name longer than {@value #MAX_NAME} characters (a workload with many parameters) keeps
     * the design, workload, op and threads and replaces the parameters by {@code sha-} and the
     * first 16 hex digits of the SHA-256 of the full name: still one name per key, and a reader
     * that splits names into parameters sees none rather than a cut one.
     */
    public static String fileName(String design, String workload, String op, int threads, Map<String, String> params) {
        String p = new TreeMap<>(params).entrySet().stream().map(e -> e.getKey() + "-" + e.getValue())
                .collect(Collectors.joining("_"));
        String head = design + "__" + workload + "__" + op + "__t" + threads + "__";
        String full = (head + p).replaceAll("[^A-Za-z0-9_.=-]", "-");
        if (full.length() <= MAX_NAME) {
            return full;
        }
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(full.getBytes(StandardCharsets.UTF_8));
            return (head + "sha-" + java.util.HexFormat.of().formatHex(d, 0, 8)).replaceAll("[^A-Za-z0-9_.=-]", "-");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** {@link #fileName} of a row's key: the histogram its latency rows were taken from. */
    public static String fileName(Row.Key k) {
        return fileName(k.design(), k.workload(), k.op(), k.threads(), k.params());
    }

    /** Every interval histogram of one {@code .hlog} file, added up. */
    public static Histogram read(Path hlog) {
        return sum(readIntervals(hlog));
    }

    /**
     * The interval histograms of one {@code .hlog} file, in file order: one per measurement
     * iteration.
     *
     * @throws IllegalArgumentException naming the file (and line) when it is not UTF-8 text, holds
     *                                  a line that is neither a comment, the legend nor an interval,
     *                                  holds no interval, or an interval does not decode
     */
    public static List<Histogram> readIntervals(Path hlog) {
        String text = TextFiles.read(hlog);
        List<Integer> intervalLines = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("\"StartTimestamp\"") || line.startsWith("StartTimestamp")) {
                continue;
            }
            if (!isIntervalLine(line)) {
                throw new IllegalArgumentException(hlog + ":" + (i + 1) + ": " + (cutShort(lines, i) ? CUT
                        : "not an HdrHistogram log line: '" + shorten(line) + "'"));
            }
            intervalLines.add(i + 1);
        }
        if (intervalLines.isEmpty()) {
            throw new IllegalArgumentException(hlog + ": no interval histogram in it (an empty or truncated .hlog)");
        }
        List<Histogram> out = new ArrayList<>();
        try {
            HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                if (!(h instanceof Histogram histogram)) {
                    throw new IllegalArgumentException(hlog + ": holds " + h.getClass().getSimpleName() + "s, not integer histograms");
                }
                out.add(histogram);
            }
            reader.close();
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith(hlog.toString())) {
                throw e;
            }
            int line = intervalLines.get(Math.min(out.size(), intervalLines.size() - 1));
            throw new IllegalArgumentException(hlog + ":" + line + ": " + (cutShort(lines, line - 1) ? CUT
                    : "a corrupt or truncated interval histogram (" + e + ")"));
        }
        if (out.size() != intervalLines.size()) {
            throw new IllegalArgumentException(hlog + ": " + intervalLines.size() + " interval lines but " + out.size()
                    + " decoded: corrupt or truncated");
        }
        return out;
    }

    /** {@code [Tag=name,]start,length,max,HISTFAAA...}: three numbers and a compressed histogram. */
    private static boolean isIntervalLine(String line) {
        String body = line.startsWith("Tag=") ? line.substring(line.indexOf(',') + 1) : line;
        String[] f = body.split(",", -1);
        if (f.length != 4 || !f[3].startsWith("HIST")) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            try {
                Double.parseDouble(f[i]);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private static final String CUT = "truncated: the file ends inside this line";

    /** Whether line {@code i} is the last and has no line end: the file was cut inside it. */
    private static boolean cutShort(String[] lines, int i) {
        return i == lines.length - 1 && !lines[i].isEmpty();
    }

    private static String shorten(String line) {
        return line.length() <= 40 ? line : line.substring(0, 40) + "...";
    }

    /**
     * The lines of one {@code .hgrm} percentile distribution, in file order.
     *
     * @throws IllegalArgumentException naming the file (and line) when it is not UTF-8 text, lacks
     *                                  the column titles, holds a line that is not a percentile, or
     *                                  lacks the summary lines at its end (truncated)
     */
    public static List<Percentile> readDistribution(Path hgrm) {
        String[] lines = TextFiles.read(hgrm).split("\n", -1);
        List<Percentile> out = new ArrayList<>();
        boolean header = false;
        String last = "";
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            last = line;
            if (!header) {
                if (!List.of(line.split("\\s+")).equals(HGRM_HEADER)) {
                    throw new IllegalArgumentException(hgrm + ":" + (i + 1) + ": not an HdrHistogram percentile distribution "
                            + "(want its column titles '" + String.join(" ", HGRM_HEADER) + "')");
                }
                header = true;
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            if (cutShort(lines, i)) {
                throw new IllegalArgumentException(hgrm + ":" + (i + 1) + ": " + CUT);
            }
            out.add(percentile(line.split("\\s+"), hgrm, i + 1));
        }
        if (!header) {
            throw new IllegalArgumentException(hgrm + ": empty, not an HdrHistogram percentile distribution");
        }
        if (!last.startsWith(HGRM_LAST)) {
            throw new IllegalArgumentException(hgrm + ": truncated: no '" + HGRM_LAST + " ...]' summary line at its end");
        }
        return out;
    }

    private static Percentile percentile(String[] c, Path hgrm, int line) {
        try {
            if (c.length == 3 || c.length == 4) {
                double percentile = Double.parseDouble(c[1]);
                double inverseTail = c.length == 4 ? Double.parseDouble(c[3]) : Double.POSITIVE_INFINITY;
                return new Percentile(Double.parseDouble(c[0]), percentile, Long.parseLong(c[2]), inverseTail);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(hgrm + ":" + line + ": not a percentile line (value, percentile, count, "
                + "1/(1-percentile)): '" + shorten(String.join(" ", c)) + "'");
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
