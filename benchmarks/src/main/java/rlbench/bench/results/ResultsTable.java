package rlbench.bench.results;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A {@code results.csv} read back and checked, syntax and values: the header must hold the fixed
 * columns; every line the header's number of cells; {@code value} and {@code n} numbers of 0 or
 * more (latencies, rates, times and counts cannot be negative), {@code n} whole; {@code threads}
 * a whole number from 1 to {@value #MAX_THREADS}; a confidence interval with its upper bound at 0
 * or more and its lower bound not above it; no measurement twice. A problem is reported with the
 * file and line number, for a one-line error.
 *
 * <p>The lower bound of an interval may be negative: JMH's 99.9% interval over three iterations
 * often reaches below zero ops/s, and it is the interval's width that {@code compare} uses.
 */
public final class ResultsTable {

    /** The most threads a row can record: the runner's own limit. */
    public static final int MAX_THREADS = 4096;

    private final Path file;
    private final Map<Row.Key, Row> rows;
    private final Map<Row.Key, Integer> lines;

    private ResultsTable(Path file, Map<Row.Key, Row> rows, Map<Row.Key, Integer> lines) {
        this.file = file;
        this.rows = Collections.unmodifiableMap(rows);
        this.lines = lines;
    }

    public Path file() {
        return file;
    }

    /**
     * The rows by key, in file order. The key is the row's own ({@link Row#key()}) unless
     * {@link #ignoring} left parameters out of it.
     */
    public Map<Row.Key, Row> rows() {
        return rows;
    }

    /** The line of the file {@code row} starts on. */
    public int line(Row row) {
        return lines.getOrDefault(row.key(), 0);
    }

    /**
     * Reads the CSV file {@code file}.
     *
     * @throws IllegalArgumentException with a one-line message naming the file and line
     */
    public static ResultsTable read(Path file) {
        String text = TextFiles.read(file);
        Map<Row.Key, Row> rows = new LinkedHashMap<>();
        Map<Row.Key, Integer> lines = new HashMap<>();
        List<String> header = null;
        int nextLine = 1;
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text)).setFormat(ResultsCsv.FORMAT).get()) {
            var records = parser.iterator();
            while (true) {
                int lineNo = nextLine;
                CSVRecord r;
                try {
                    if (!records.hasNext()) {
                        break;
                    }
                    r = records.next();
                } catch (UncheckedIOException e) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + csvProblem(e));
                }
                nextLine = (int) parser.getCurrentLineNumber() + 1;
                List<String> c = r.toList();
                if (header == null) {
                    header = checkHeader(c, file);
                    continue;
                }
                if (c.size() == 1 && c.get(0).isBlank()) {
                    continue;
                }
                Row row = row(c, header, file, lineNo);
                Row.Key key = row.key();
                if (rows.put(key, row) != null) {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": the same measurement appears twice: " + key);
                }
                lines.put(key, lineNo);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (header == null) {
            throw new IllegalArgumentException(file + " is empty: no header");
        }
        return new ResultsTable(file, rows, lines);
    }

    /**
     * The same rows with parameters {@code ignored} left out of every key, so that runs made with
     * different values of them match (compare a run with one made with another device latency).
     * Each row keeps its own full key, which names its histogram file.
     *
     * @throws IllegalArgumentException when leaving them out makes two rows the same
     */
    public ResultsTable ignoring(Set<String> ignored) {
        if (ignored.isEmpty()) {
            return this;
        }
        Map<Row.Key, Row> out = new LinkedHashMap<>();
        for (Map.Entry<Row.Key, Row> e : rows.entrySet()) {
            Row.Key shorter = e.getKey().without(ignored);
            if (out.put(shorter, e.getValue()) != null) {
                throw new IllegalArgumentException(file + ":" + line(e.getValue()) + ": without " + ignored
                        + " two rows measure the same thing: " + shorter);
            }
        }
        return new ResultsTable(file, out, lines);
    }

    private static List<String> checkHeader(List<String> header, Path file) {
        List<String> leading = ResultsCsv.LEADING;
        List<String> trailing = ResultsCsv.TRAILING;
        int paramsTo = header.size() - trailing.size();
        if (paramsTo < leading.size() || !header.subList(0, leading.size()).equals(leading)
                || !header.subList(paramsTo, header.size()).equals(trailing)) {
            throw new IllegalArgumentException(file + ":1: not a results.csv header (want " + String.join(",", leading)
                    + ",<params>," + String.join(",", trailing) + ")");
        }
        return header;
    }

    /** Line {@code line}'s cells checked and read, by the rules every reader and the writer share. */
    static Row row(List<String> c, List<String> header, Path file, int line) {
        if (c.size() != header.size()) {
            throw new IllegalArgumentException(file + ":" + line + ": " + c.size() + " cells, the header has " + header.size());
        }
        int paramsFrom = ResultsCsv.LEADING.size();
        int m = header.size() - ResultsCsv.TRAILING.size();
        Map<String, String> params = new TreeMap<>();
        for (int p = paramsFrom; p < m; p++) {
            if (!c.get(p).isEmpty()) {
                params.put(header.get(p), c.get(p));
            }
        }
        Cells cells = new Cells(c, file, line);
        double threads = cells.number(4, "threads", false);
        double value = cells.number(m + 1, "value", false);
        double ciLow = cells.number(m + 3, "ci_low", true);
        double ciHigh = cells.number(m + 4, "ci_high", true);
        double n = cells.number(m + 5, "n", false);
        if (threads != Math.rint(threads) || threads < 1 || threads > MAX_THREADS) {
            throw cells.bad(4, "threads must be a whole number from 1 to " + MAX_THREADS);
        }
        if (value < 0) {
            throw cells.bad(m + 1, "value must be 0 or more (a latency, rate or time cannot be negative)");
        }
        if (Double.isNaN(ciLow) != Double.isNaN(ciHigh)) {
            throw new IllegalArgumentException(file + ":" + line + ": ci_low and ci_high must both be given or both be empty");
        }
        if (ciHigh < 0) {
            throw cells.bad(m + 4, "ci_high must be 0 or more (the interval's upper bound of a value that cannot be negative)");
        }
        if (ciLow > ciHigh) {
            throw new IllegalArgumentException(file + ":" + line + ": ci_low " + c.get(m + 3) + " is above ci_high " + c.get(m + 4));
        }
        if (n != Math.rint(n) || n < 0 || n > Long.MAX_VALUE) {
            throw cells.bad(m + 5, "n must be a whole number, 0 or more (it counts samples)");
        }
        if (c.get(1).isEmpty() || c.get(2).isEmpty() || c.get(3).isEmpty() || c.get(m).isEmpty()) {
            throw new IllegalArgumentException(file + ":" + line + ": empty design, workload, op or metric");
        }
        return new Row(c.get(1), c.get(2), c.get(3), (int) threads, params, c.get(m), value, c.get(m + 2), ciLow, ciHigh, (long) n);
    }

    /** One line's cells, for number parsing with messages that name the file, line and column. */
    private record Cells(List<String> c, Path file, int line) {

        double number(int i, String column, boolean blankIsNaN) {
            String s = c.get(i);
            if (s.isEmpty() && blankIsNaN) {
                return Double.NaN;
            }
            try {
                double d = Double.parseDouble(s);
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + line + ": " + column + " is not a number: '" + s + "'");
            }
        }

        IllegalArgumentException bad(int i, String rule) {
            return new IllegalArgumentException(file + ":" + line + ": " + rule + ", got '" + c.get(i) + "'");
        }
    }

    /** Commons CSV's complaint in words; a quote left open is the common one. */
    private static String csvProblem(UncheckedIOException e) {
        Throwable cause = e.getCause();
        String message = cause == null || cause.getMessage() == null ? String.valueOf(e.getMessage()) : cause.getMessage();
        if (cause instanceof CSVException && message.contains("EOF reached before encapsulated token finished")) {
            return "unterminated quote (a quoted cell runs to the end of the file)";
        }
        return "not CSV: " + message.replaceAll("\\s+", " ");
    }
}
