package rlbench.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code results.csv}: one row per measured value, tidy. Columns: {@code run_id, design,
 * workload, op, threads}, one column per benchmark parameter, then {@code metric, value, unit,
 * ci_low, ci_high, n}.
 *
 * <p>The rows of one benchmark are appended with a single write and forced to disk before the
 * next benchmark starts, so an interrupted run leaves every finished benchmark's rows whole and
 * readable: a kill can only lose the benchmark that was running.
 */
public final class ResultsCsv {

    /**
     * The metrics, in the order rows are written: JMH's score ({@code ops_per_s}, or
     * {@code avgt_ns} for a workload that records the average time per call, see
     * {@link Workload.Score}), then the latency histogram's.
     */
    public static final List<String> METRICS = List.of("ops_per_s", "mean_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns");

    /** One measured value. Empty CI strings mean "not computed for this metric". */
    public record Row(String design, String workload, String op, int threads, Map<String, String> params,
                      String metric, double value, String unit, String ciLow, String ciHigh, long n) {
    }

    private final Path file;
    private final String runId;
    private final List<String> paramColumns;

    /** Creates the file with its header; {@code paramColumns} fixes the parameter columns. */
    public ResultsCsv(Path file, String runId, List<String> paramColumns) {
        this.file = file;
        this.runId = runId;
        this.paramColumns = List.copyOf(paramColumns);
        List<String> header = new ArrayList<>(List.of("run_id", "design", "workload", "op", "threads"));
        header.addAll(paramColumns);
        header.addAll(List.of("metric", "value", "unit", "ci_low", "ci_high", "n"));
        write(String.join(",", header) + "\n", StandardOpenOption.CREATE_NEW);
    }

    public List<String> paramColumns() {
        return paramColumns;
    }

    /** Appends one benchmark's rows in one write and forces them to disk. */
    public void append(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(runId, r.design(), r.workload(), r.op(), Integer.toString(r.threads())));
            for (String p : paramColumns) {
                cells.add(r.params().getOrDefault(p, ""));
            }
            cells.addAll(List.of(r.metric(), format(r.value()), r.unit(), r.ciLow(), r.ciHigh(), Long.toString(r.n())));
            for (int i = 0; i < cells.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(quote(cells.get(i)));
            }
            sb.append('\n');
        }
        write(sb.toString(), StandardOpenOption.APPEND);
    }

    /** Numbers as plain decimals, never in exponent form, so any CSV reader takes them. */
    public static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** RFC 4180 quoting: only when a cell holds a comma, a quote or a line break. */
    static String quote(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }

    private void write(String text, StandardOpenOption mode) {
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
