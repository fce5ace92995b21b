package rlbench.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rlbench.bench.results.Row;

class RunSummaryTest {

    private static Row row(String design, String workload, int threads, String metric, double value) {
        return new Row(design, workload, workload, threads, Map.of("puncher", "off"), metric, value, "", Double.NaN, Double.NaN, 1);
    }

    /** The layout run printed before the summary went through the table reporter; numbers in the default locale, as ever. */
    @Test
    void oneTableAGroupDesignsThenThreadsInOrder() {
        List<Row> rows = List.of(
                row("rangelock", "fault", 16, "ops_per_s", 1_234_567.4), row("rangelock", "fault", 16, "p50_ns", 1072),
                row("none", "fault", 2, "ops_per_s", 2_000_000), row("none", "fault", 2, "p99_ns", 1526),
                row("none", "fault", 16, "p50_ns", 999), row("none", "fault", 2, "max_ns", 5),
                row("averyveryverylongdesign", "locks", 1, "avgt_ns", 12.345));
        StringWriter out = new StringWriter();
        RunSummary.print(rows, new PrintWriter(out));
        assertEquals(String.format("""

                Summary (ops/s and ns/op from JMH, their intervals in results.csv; latency percentiles from the merged histograms)
                fault / fault  [puncher=off]
                  design        threads          ops/s       p50 ns       p99 ns
                  none                2      %s            -        %s
                  none               16              -          999            -
                  rangelock          16      %s        %s            -
                locks / locks  [puncher=off]
                  design        threads          ns/op
                  averyveryverylongdesign       1          %s
                """, String.format("%,.0f", 2e6), String.format("%,.0f", 1526.0), String.format("%,.0f", 1_234_567.4),
                String.format("%,.0f", 1072.0), String.format("%,.2f", 12.345)), out.toString());
    }
}
