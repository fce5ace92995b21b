package rlbench.bench.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import rlbench.bench.output.Doc;
import rlbench.bench.output.Doc.Column;
import rlbench.bench.output.TableReporter;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.Row;

/**
 * The console summary {@code run} prints when it finishes: per workload, op and parameters, each
 * design's JMH score (ops/s, or ns/op for a workload that records average time) and p50 and p99
 * by threads, one plain-text table a group.
 */
public final class RunSummary {

    private static final int OPS = 0;
    private static final int P50 = 1;
    private static final int P99 = 2;
    private static final int AVGT = 3;

    private RunSummary() {
    }

    public static void print(List<Row> rows, PrintWriter out) {
        // Lines sorted by design, then threads as numbers (the key pads them to one width).
        Map<String, Map<String, Line>> groups = new TreeMap<>();
        for (Row r : rows) {
            int col = switch (r.metric()) {
                case "ops_per_s" -> OPS;
                case "p50_ns" -> P50;
                case "p99_ns" -> P99;
                case Metrics.AVGT -> AVGT;
                default -> -1;
            };
            if (col < 0) {
                continue;
            }
            String params = r.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            String group = r.workload() + " / " + r.op() + "  [" + params + "]";
            String order = String.format("%-13s %7d", r.design(), r.threads());
            groups.computeIfAbsent(group, g -> new TreeMap<>())
                    .computeIfAbsent(order, l -> new Line(r.design(), r.threads())).values[col] = r.value();
        }
        TableReporter text = new TableReporter();
        out.println();
        out.println("Summary (ops/s and ns/op from JMH, their intervals in results.csv; latency percentiles from the merged histograms)");
        for (Map.Entry<String, Map<String, Line>> g : groups.entrySet()) {
            out.println(g.getKey());
            out.print(text.table(table(List.copyOf(g.getValue().values()))));
        }
        out.flush();
    }

    private static Doc.Table table(List<Line> lines) {
        boolean avgt = lines.stream().anyMatch(l -> !Double.isNaN(l.values[AVGT]));
        List<Column> columns = avgt
                ? List.of(Column.left("design").atLeast(13), Column.right("threads").atLeast(7), Column.right("ns/op").atLeast(14))
                : List.of(Column.left("design").atLeast(13), Column.right("threads").atLeast(7), Column.right("ops/s").atLeast(14),
                        Column.right("p50 ns").atLeast(12), Column.right("p99 ns").atLeast(12));
        List<List<String>> rows = lines.stream().map(l -> avgt
                ? List.of(l.design, String.valueOf(l.threads),
                        Double.isNaN(l.values[AVGT]) ? "-" : String.format(Locale.ROOT, "%,.2f", l.values[AVGT]))
                : List.of(l.design, String.valueOf(l.threads), cell(l.values[OPS]), cell(l.values[P50]), cell(l.values[P99])))
                .toList();
        return new Doc.Table(columns, rows).indented(2);
    }

    /** One design at one thread count: its scores, NaN where not measured. */
    private static final class Line {
        final String design;
        final int threads;
        final double[] values = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};

        Line(String design, int threads) {
            this.design = design;
            this.threads = threads;
        }
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }
}
