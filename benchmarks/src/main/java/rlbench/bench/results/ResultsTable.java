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
import java.util.SortedMap;
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
 * <p>A run of several rounds holds each benchmark's rows once per round (their {@code round} cell
 * the round's number) and once aggregated over the rounds ({@code round} empty): {@link #rows}
 * holds the aggregates, which every command reads as it read a single-round run's rows, and
 * {@link #rounds} the per-round values, the unit of replication that {@code compare} tests and
 * the report's ratios pair. A file from before rounds, with no {@code round} column, reads as one
 * of aggregates only.
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
    private final Map<Row.Key, SortedMap<Integer, Row>> rounds;

    private ResultsTable(Path file, Map<Row.Key, Row> rows, Map<Row.Key, Integer> lines,
                         Map<Row.Key, SortedMap<Integer, Row>> rounds) {
        this.file = file;
        this.rows = Collections.unmodifiableMap(rows);
        this.lines = lines;
        this.rounds = Collections.unmodifiableMap(rounds);
    }

    /**
     * The per-round rows by key (the same keys as {@link #rows}), each keyed by its round number;
     * empty for a single-round run or a file from before rounds.
     */
    public Map<Row.Key, SortedMap<Integer, Row>> rounds() {
        return rounds;
    }

    /** The per-round values of the row with this key, in round order; empty when it has none. */
    public double[] roundValues(Row.Key key) {
        SortedMap<Integer, Row> r = rounds.get(key);
        return r == null ? new double[0] : r.values().stream().mapToDouble(Row::value).toArray();
    }

    /** The most rounds any row has: 0 for a single-round run or a file from before rounds. */
    public int roundCount() {
        return rounds.values().stream().mapToInt(m -> m.lastKey()).max().orElse(0);
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
        Map<Row.Key, SortedMap<Integer, Row>> rounds = new LinkedHashMap<>();
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
                int round = round(c, header, file, lineNo);
                if (round > 0) {
                    if (rounds.computeIfAbsent(key, k -> new TreeMap<>()).put(round, row) != null) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": the same measurement appears twice in round "
                                + round + ": " + key);
                    }
                    continue;
                }
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
        return new ResultsTable(file, rows, lines, rounds);
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
        Map<Row.Key, SortedMap<Integer, Row>> outRounds = new LinkedHashMap<>();
        for (Map.Entry<Row.Key, SortedMap<Integer, Row>> e : rounds.entrySet()) {
            Row.Key shorter = e.getKey().without(ignored);
            if (outRounds.put(shorter, e.getValue()) != null) {
                throw new IllegalArgumentException(file + ": without " + ignored + " two rows measure the same thing: " + shorter);
            }
        }
        return new ResultsTable(file, out, lines, outRounds);
    }

    private static List<String> checkHeader(List<String> header, Path file) {
        List<String> leading = leading(header);
        List<String> trailing = ResultsCsv.TRAILING;
        int paramsTo = header.size() - trailing.size();
        if (paramsTo < leading.size() || !header.subList(0, leading.size()).equals(leading)
                || !header.subList(paramsTo, header.size()).equals(trailing)) {
            throw new IllegalArgumentException(file + ":1: not a results.csv header (want "
                    + String.join(",", ResultsCsv.LEADING_BEFORE_ROUNDS) + "[,round],<params>," + String.join(",", trailing) + ")");
        }
        return header;
    }

    /**
     * The leading columns this header has: with {@code round}, or those of a file from before
     * rounds. No benchmark parameter is named {@code round}, so the two cannot be confused.
     */
    private static List<String> leading(List<String> header) {
        List<String> now = ResultsCsv.LEADING;
        return header.size() >= now.size() && header.subList(0, now.size()).equals(now) ? now : ResultsCsv.LEADING_BEFORE_ROUNDS;
    }

    /** The line's round: 0 when the file has no round column or the cell is empty (an aggregate). */
    static int round(List<String> c, List<String> header, Path file, int line) {
        if (leading(header) != ResultsCsv.LEADING) {
            return 0;
        }
        int i = ResultsCsv.LEADING.size() - 1;
        String s = c.get(i);
        if (s.isEmpty()) {
            return 0;
        }
        try {
            int r = Integer.parseInt(s);
            if (r >= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(file + ":" + line + ": round must be empty (an aggregate) or a whole number "
                + "from 1, got '" + s + "'");
    }

    /** Line {@code line}'s cells checked and read, by the rules every reader and the writer share. */
    static Row row(List<String> c, List<String> header, Path file, int line) {
        if (c.size() != header.size()) {
            throw new IllegalArgumentException(file + ":" + line + ": " + c.size() + " cells, the header has " + header.size());
        }
        round(c, header, file, line);
        int paramsFrom = leading(header).size();
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
