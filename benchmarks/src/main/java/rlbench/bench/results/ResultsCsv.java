package rlbench.bench.results;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code results.csv}: one {@link Row} a line, tidy. Columns: {@code run_id, design, workload, op,
 * threads, round}, one column per benchmark parameter, then {@code metric, value, unit, ci_low,
 * ci_high, n}. {@code round} is the round number (from 1) on a row measured in one round of a
 * multi-round run, and empty on a row aggregated over the rounds (and on every row of a
 * single-round run, whose one round is its aggregate). Files written before rounds have no
 * {@code round} column; {@link ResultsTable} reads both. RFC 4180 through Commons CSV: a cell is quoted only when it must be, lines end in
 * {@code \n}. {@link ResultsTable} reads it back.
 *
 * <p>The rows of one benchmark are appended with a single write and forced to disk before the
 * next benchmark starts, so an interrupted run leaves every finished benchmark's rows whole and
 * readable: a kill can only lose the benchmark that was running.
 */
public final class ResultsCsv {

    /** The columns before the parameter columns. */
    static final List<String> LEADING = List.of("run_id", "design", "workload", "op", "threads", "round");
    /** The leading columns of a file written before rounds: no {@code round}. */
    static final List<String> LEADING_BEFORE_ROUNDS = LEADING.subList(0, LEADING.size() - 1);
    /** The columns after the parameter columns. */
    static final List<String> TRAILING = List.of("metric", "value", "unit", "ci_low", "ci_high", "n");

    /** How the file is written and read. */
    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private final Path file;
    private final String runId;
    private final List<String> paramColumns;
    /** Lines in the file so far, the header included: the next row's line number is one more. */
    private int lineCount = 1;

    private ResultsCsv(Path file, String runId, List<String> paramColumns) {
        this.file = file;
        this.runId = runId;
        this.paramColumns = List.copyOf(paramColumns);
    }

    /**
     * Creates {@code file} with its header; {@code paramColumns} fixes the parameter columns.
     *
     * @throws UncheckedIOException when the file exists already (earlier results are never
     *                              overwritten) or cannot be written
     */
    public static ResultsCsv create(Path file, String runId, List<String> paramColumns) {
        ResultsCsv csv = new ResultsCsv(file, runId, paramColumns);
        csv.write(csv.lines(List.of(header(paramColumns))), StandardOpenOption.CREATE_NEW);
        return csv;
    }

    /** The header of a file with these parameter columns. */
    static List<String> header(List<String> paramColumns) {
        List<String> header = new ArrayList<>(LEADING);
        header.addAll(paramColumns);
        header.addAll(TRAILING);
        return header;
    }

    /**
     * Appends one benchmark's rows in one write and forces them to disk. Each row is first checked
     * by the reader's own rules, so the file never holds a line that {@link ResultsTable} refuses
     * (a NaN value would be written as an empty cell, which it does): then nothing of the
     * benchmark is written.
     *
     * @throws IllegalArgumentException naming the line the row would have had, and the rule
     */
    public void append(List<Row> rows) {
        append(rows, 0);
    }

    /**
     * As {@link #append(List)}, the rows measured in round {@code round} (from 1); 0 for rows
     * aggregated over the rounds, whose {@code round} cell is empty.
     */
    public void append(List<Row> rows, int round) {
        List<List<String>> records = check(rows, round);
        write(lines(records), StandardOpenOption.APPEND);
        lineCount += records.size();
    }

    /**
     * What {@link #append} would write for {@code rows}, each record checked by the reader's rules.
     *
     * @throws IllegalArgumentException naming the line the first refused row would have had, and the rule
     */
    public List<List<String>> check(List<Row> rows) {
        return check(rows, 0);
    }

    /** As {@link #check(List)}, for rows of round {@code round} (0: aggregated, an empty cell). */
    public List<List<String>> check(List<Row> rows, int round) {
        if (round < 0) {
            throw new IllegalArgumentException("round must be 0 (aggregate) or more, got " + round);
        }
        List<String> header = header(paramColumns);
        List<List<String>> records = new ArrayList<>(rows.size());
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(runId, r.design(), r.workload(), r.op(), Integer.toString(r.threads()),
                    round == 0 ? "" : Integer.toString(round)));
            for (String p : paramColumns) {
                cells.add(r.params().getOrDefault(p, ""));
            }
            cells.addAll(List.of(r.metric(), format(r.value()), r.unit(), format(r.ciLow()), format(r.ciHigh()), Long.toString(r.n())));
            ResultsTable.row(cells, header, file, lineCount + records.size() + 1);
            records.add(cells);
        }
        return records;
    }

    /**
     * A number as the file holds it: a plain decimal, never in exponent form, so any CSV reader
     * takes it; whole numbers as integers, others to six significant digits; NaN and the
     * infinities as an empty cell ("not computed").
     */
    public static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** Records as CSV text in this file's format; shared with {@link LockStatCsv}. */
    static String lines(List<List<String>> records) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(sb, FORMAT)) {
            for (List<String> r : records) {
                printer.printRecord(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return sb.toString();
    }

    private void write(String text, StandardOpenOption mode) {
        write(file, text, mode);
    }

    /**
     * Writes {@code text} to {@code file} in one write and forces it to disk, so a kill leaves
     * every earlier write whole; shared with {@link LockStatCsv}.
     */
    static void write(Path file, String text, StandardOpenOption mode) {
        try (FileChannel ch = FileChannel.open(file, mode, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
