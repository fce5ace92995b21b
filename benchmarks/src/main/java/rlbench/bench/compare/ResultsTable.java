package rlbench.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's {@code results.csv} read back and checked: the header must hold the fixed columns, every
 * line must have the header's number of cells, numbers must parse. A problem is reported with the
 * file and line number, for a one-line error.
 */
public final class ResultsTable {

    /** The columns every results.csv has; the parameter columns sit between {@code threads} and {@code metric}. */
    static final List<String> LEADING = List.of("run_id", "design", "workload", "op", "threads");
    static final List<String> TRAILING = List.of("metric", "value", "unit", "ci_low", "ci_high", "n");

    /** A row's identity across runs: what is measured, under which parameters. */
    public record Key(String design, String workload, String op, int threads, Map<String, String> params, String metric) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(design + " " + workload + "/" + op + " t" + threads);
            params.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            return sb.append(' ').append(metric).toString();
        }
    }

    /**
     * One measured value: NaN bounds when the run did not compute a confidence interval.
     * {@code measured} is the row's key as written, all parameters included, which names its
     * histogram file even when the comparison ignores some parameters.
     */
    public record Value(double value, String unit, double ciLow, double ciHigh, long n, int line, Key measured) {
    }

    private final Path file;
    private final Map<Key, Value> rows;

    private ResultsTable(Path file, Map<Key, Value> rows) {
        this.file = file;
        this.rows = rows;
    }

    public Path file() {
        return file;
    }

    public Map<Key, Value> rows() {
        return rows;
    }

    /**
     * Reads {@code path}: a run folder (its {@code results.csv}) or the CSV file itself.
     *
     * @throws IllegalArgumentException with a one-line message naming the file and line
     */
    public static ResultsTable read(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("results.csv") : path;
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such run folder or file: " + path);
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no results.csv in " + path);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty: no header");
        }
        List<String> header = split(lines.get(0), file, 1);
        int paramsFrom = LEADING.size();
        int paramsTo = header.size() - TRAILING.size();
        if (paramsTo < paramsFrom || !header.subList(0, paramsFrom).equals(LEADING)
                || !header.subList(paramsTo, header.size()).equals(TRAILING)) {
            throw new IllegalArgumentException(file + ":1: not a results.csv header (want " + String.join(",", LEADING)
                    + ",<params>," + String.join(",", TRAILING) + ")");
        }
        Map<Key, Value> rows = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            int lineNo = i + 1;
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> c = split(lines.get(i), file, lineNo);
            if (c.size() != header.size()) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": " + c.size() + " cells, the header has " + header.size());
            }
            Map<String, String> params = new TreeMap<>();
            for (int p = paramsFrom; p < paramsTo; p++) {
                if (!c.get(p).isEmpty()) {
                    params.put(header.get(p), c.get(p));
                }
            }
            int threads = (int) number(c.get(4), "threads", file, lineNo, false);
            int m = paramsTo;
            Key key = new Key(c.get(1), c.get(2), c.get(3), threads, params, c.get(m));
            Value v = new Value(number(c.get(m + 1), "value", file, lineNo, false), c.get(m + 2),
                    number(c.get(m + 3), "ci_low", file, lineNo, true), number(c.get(m + 4), "ci_high", file, lineNo, true),
                    (long) number(c.get(m + 5), "n", file, lineNo, false), lineNo, key);
            if (c.get(1).isEmpty() || c.get(2).isEmpty() || c.get(3).isEmpty() || c.get(m).isEmpty()) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": empty design, workload, op or metric");
            }
            if (rows.put(key, v) != null) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": the same measurement appears twice: " + key);
            }
        }
        return new ResultsTable(file, rows);
    }

    /**
     * The same rows with parameters {@code ignored} left out of every key, so that runs made with
     * different values of them match (compare a run with one made with another device latency).
     *
     * @throws IllegalArgumentException when leaving them out makes two rows the same
     */
    public ResultsTable ignoring(java.util.Set<String> ignored) {
        if (ignored.isEmpty()) {
            return this;
        }
        Map<Key, Value> out = new LinkedHashMap<>();
        for (Map.Entry<Key, Value> e : rows.entrySet()) {
            Key k = e.getKey();
            Map<String, String> params = new TreeMap<>(k.params());
            params.keySet().removeAll(ignored);
            Key shorter = new Key(k.design(), k.workload(), k.op(), k.threads(), params, k.metric());
            if (out.put(shorter, e.getValue()) != null) {
                throw new IllegalArgumentException(file + ":" + e.getValue().line() + ": without " + ignored
                        + " two rows measure the same thing: " + shorter);
            }
        }
        return new ResultsTable(file, out);
    }

    private static double number(String s, String column, Path file, int line, boolean blankIsNaN) {
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

    /** RFC 4180 cells: quotes around a cell may hold commas and doubled quotes. */
    static List<String> split(String line, Path file, int lineNo) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"' && cell.length() == 0) {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": unterminated quote");
        }
        cells.add(cell.toString());
        return cells;
    }
}
