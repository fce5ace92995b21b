package rlbench.bench.results;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code lockstat.csv}: the run's lock statistics, one {@link Row} per benchmark and lock point, in
 * the manner of the kernel's {@code /proc/lock_stat}. Columns: {@code run_id, design, workload,
 * lock_point, threads}, one column per benchmark parameter (as in {@code results.csv}), then
 * {@code acquisitions, contended, contended_pct, wait_p50_ns, wait_p99_ns, wait_max_ns,
 * hold_p50_ns, hold_p99_ns, hold_max_ns, hold_samples}. Counts and times cover the measurement
 * iterations of every fork. A wait or hold cell is empty when there was nothing to measure (no
 * contended acquisition; no sampled hold: holds are sampled, one acquisition in 64 per thread).
 *
 * <p>Written as {@code results.csv} is, through Commons CSV: created with its header when the run
 * starts, one benchmark's rows appended in one write and forced to disk after its
 * {@code results.csv} rows, so an interrupted run keeps the finished benchmarks' rows whole.
 */
public final class LockStatCsv {

    public static final String FILE = "lockstat.csv";
    static final List<String> LEADING = List.of("run_id", "design", "workload", "lock_point", "threads");
    static final List<String> TRAILING = List.of("acquisitions", "contended", "contended_pct", "wait_p50_ns", "wait_p99_ns",
            "wait_max_ns", "hold_p50_ns", "hold_p99_ns", "hold_max_ns", "hold_samples");

    /**
     * One lock point of one benchmark. Times are NaN when not measured.
     *
     * @param params the benchmark's recorded parameters, by name
     */
    public record Row(String design, String workload, String lockPoint, int threads, Map<String, String> params,
                      long acquisitions, long contended, double waitP50Ns, double waitP99Ns, double waitMaxNs,
                      double holdP50Ns, double holdP99Ns, double holdMaxNs, long holdSamples) {

        public Row {
            params = Collections.unmodifiableMap(new TreeMap<>(params));
        }

        /** A row from the counts and the merged wait and hold histograms. */
        public static Row of(String design, String workload, String lockPoint, int threads, Map<String, String> params,
                             long acquisitions, long contended, Histogram wait, Histogram hold) {
            boolean w = wait.getTotalCount() > 0;
            boolean h = hold.getTotalCount() > 0;
            return new Row(design, workload, lockPoint, threads, params, acquisitions, contended,
                    w ? wait.getValueAtPercentile(50) : Double.NaN, w ? wait.getValueAtPercentile(99) : Double.NaN,
                    w ? wait.getMaxValue() : Double.NaN,
                    h ? hold.getValueAtPercentile(50) : Double.NaN, h ? hold.getValueAtPercentile(99) : Double.NaN,
                    h ? hold.getMaxValue() : Double.NaN, hold.getTotalCount());
        }

        /** Contended acquisitions as a percentage of all; NaN when there were none. */
        public double contendedPct() {
            return acquisitions == 0 ? Double.NaN : 100.0 * contended / acquisitions;
        }
    }

    private final Path file;
    private final String runId;
    private final List<String> paramColumns;

    private LockStatCsv(Path file, String runId, List<String> paramColumns) {
        this.file = file;
        this.runId = runId;
        this.paramColumns = List.copyOf(paramColumns);
    }

    /**
     * Creates {@code file} with its header.
     *
     * @throws UncheckedIOException when the file exists already or cannot be written
     */
    public static LockStatCsv create(Path file, String runId, List<String> paramColumns) {
        LockStatCsv csv = new LockStatCsv(file, runId, paramColumns);
        csv.write(print(List.of(header(paramColumns))), StandardOpenOption.CREATE_NEW);
        return csv;
    }

    static List<String> header(List<String> paramColumns) {
        List<String> h = new ArrayList<>(LEADING);
        h.addAll(paramColumns);
        h.addAll(TRAILING);
        return h;
    }

    /** Appends one benchmark's rows in one write, forced to disk; nothing for no rows. */
    public void append(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        List<List<String>> records = new ArrayList<>();
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(runId, r.design(), r.workload(), r.lockPoint(),
                    Integer.toString(r.threads())));
            for (String p : paramColumns) {
                cells.add(r.params().getOrDefault(p, ""));
            }
            cells.addAll(List.of(Long.toString(r.acquisitions()), Long.toString(r.contended()),
                    ResultsCsv.format(r.contendedPct()), ResultsCsv.format(r.waitP50Ns()), ResultsCsv.format(r.waitP99Ns()),
                    ResultsCsv.format(r.waitMaxNs()), ResultsCsv.format(r.holdP50Ns()), ResultsCsv.format(r.holdP99Ns()),
                    ResultsCsv.format(r.holdMaxNs()), Long.toString(r.holdSamples())));
            records.add(cells);
        }
        write(print(records), StandardOpenOption.APPEND);
    }

    /**
     * The rows of a {@code lockstat.csv}.
     *
     * @throws IllegalArgumentException with one line naming the file and line of a malformed row
     */
    public static List<Row> read(Path file) {
        List<Row> rows = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(in).setFormat(ResultsCsv.FORMAT).get()) {
            List<String> header = null;
            for (CSVRecord rec : parser) {
                List<String> cells = rec.toList();
                if (header == null) {
                    header = cells;
                    if (header.size() < LEADING.size() + TRAILING.size()
                            || !header.subList(0, LEADING.size()).equals(LEADING)
                            || !header.subList(header.size() - TRAILING.size(), header.size()).equals(TRAILING)) {
                        throw new IllegalArgumentException(file + ":1: not a lockstat.csv header: " + String.join(",", header));
                    }
                    continue;
                }
                rows.add(row(cells, header, file, rec.getRecordNumber()));
            }
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty: no header");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalStateException | UncheckedIOException e) {
            throw new IllegalArgumentException(file + ": not CSV: " + e.getMessage(), e);
        }
        return rows;
    }

    private static Row row(List<String> cells, List<String> header, Path file, long line) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException(file + ":" + line + ": " + cells.size() + " cells, the header has " + header.size());
        }
        try {
            Map<String, String> params = new TreeMap<>();
            int paramsTo = header.size() - TRAILING.size();
            for (int i = LEADING.size(); i < paramsTo; i++) {
                if (!cells.get(i).isEmpty()) {
                    params.put(header.get(i), cells.get(i));
                }
            }
            List<String> t = cells.subList(paramsTo, cells.size());
            return new Row(cells.get(1), cells.get(2), cells.get(3), Integer.parseInt(cells.get(4)), params,
                    Long.parseLong(t.get(0)), Long.parseLong(t.get(1)), number(t.get(3)), number(t.get(4)), number(t.get(5)),
                    number(t.get(6)), number(t.get(7)), number(t.get(8)), Long.parseLong(t.get(9)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + line + ": not a number: " + e.getMessage());
        }
    }

    private static double number(String cell) {
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }

    private static String print(List<List<String>> records) {
        return ResultsCsv.lines(records);
    }

    private void write(String text, StandardOpenOption mode) {
        ResultsCsv.write(file, text, mode);
    }
}
