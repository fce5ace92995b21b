package rlbench.bench.run;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import rlbench.bench.results.Row;

/**
 * The console summary: per workload, op and parameters, each design's JMH score (ops/s, or ns/op
 * for a workload that records average time) and p50 and p99 by threads.
 */
public final class SummaryTable {

    private SummaryTable() {
    }

    public static void print(List<Row> rows, PrintWriter out) {
        Map<String, Map<String, double[]>> groups = new TreeMap<>();
        for (Row r : rows) {
            int col = switch (r.metric()) {
                case "ops_per_s" -> 0;
                case "p50_ns" -> 1;
                case "p99_ns" -> 2;
                case "avgt_ns" -> 3;
                default -> -1;
            };
            if (col < 0) {
                continue;
            }
            String params = r.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
            String group = r.workload() + " / " + r.op() + "  [" + params + "]";
            String line = String.format("%-13s %7d", r.design(), r.threads());
            groups.computeIfAbsent(group, g -> new TreeMap<>())
                    .computeIfAbsent(line, l -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN})[col] = r.value();
        }
        out.println();
        out.println("Summary (ops/s and ns/op from JMH, 99.9% CI in results.csv; latency percentiles from the merged histograms)");
        for (Map.Entry<String, Map<String, double[]>> g : groups.entrySet()) {
            out.println(g.getKey());
            boolean avgt = g.getValue().values().stream().anyMatch(v -> !Double.isNaN(v[3]));
            if (avgt) {
                out.printf("  %-13s %7s %14s%n", "design", "threads", "ns/op");
            } else {
                out.printf("  %-13s %7s %14s %12s %12s%n", "design", "threads", "ops/s", "p50 ns", "p99 ns");
            }
            for (Map.Entry<String, double[]> l : g.getValue().entrySet()) {
                double[] v = l.getValue();
                if (avgt) {
                    out.printf("  %s %14s%n", l.getKey(), Double.isNaN(v[3]) ? "-" : String.format("%,.2f", v[3]));
                } else {
                    out.printf("  %s %14s %12s %12s%n", l.getKey(), cell(v[0]), cell(v[1]), cell(v[2]));
                }
            }
        }
        out.flush();
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "-" : String.format("%,.0f", v);
    }
}
