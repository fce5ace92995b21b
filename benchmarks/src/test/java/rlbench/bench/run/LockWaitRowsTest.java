package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.Row;

class LockWaitRowsTest {

    @Test
    void anOpsLockWaitRowsComeFromItsHistogramOneValuePerOp() {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(0, 96); // 96 ops took every lock at once
        h.recordValue(1000);
        h.recordValue(2000);
        h.recordValue(3000);
        h.recordValue(9_000_000);
        List<Row> rows = SuiteRunner.lockWaitRows("rwsem", "fault", "fault", 2, Map.of("puncher", "on"), h);
        assertEquals(Metrics.LOCK_WAIT, rows.stream().map(Row::metric).toList());
        assertEquals(0, rows.get(0).value(), "p50: most ops did not wait");
        assertEquals(3000, rows.get(1).value(), 3);
        assertEquals(9_000_000, rows.get(2).value(), 9_000);
        assertEquals(4.0, rows.get(3).value(), 1e-9, "4 of 100 ops waited");
        assertEquals("%", rows.get(3).unit());
        assertEquals(100, rows.get(0).n());
        assertEquals(-1, Metrics.direction("lock_contended_pct"));
        assertEquals(-1, Metrics.direction("lock_wait_p99_ns"));
    }

    @Test
    void anOpThatWasNeverMeasuredGetsNoRows() {
        assertEquals(List.of(), SuiteRunner.lockWaitRows("none", "fault", "fault", 1, Map.of(), new Histogram(3)));
    }
}
