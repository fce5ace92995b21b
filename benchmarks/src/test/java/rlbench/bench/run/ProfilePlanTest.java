package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.Row;
import rlbench.bench.workloads.LockStatLog;
import rlbench.locks.DesignRegistry;
import rlbench.locks.stat.LockPoint;

/** What the profiles plan with ten designs, and the retries row a run writes for an optimistic design. */
class ProfilePlanTest {

    @Test
    void smokeRunsEveryDesignsFaultWriteAndPunchAtOneAndTwoThreadsWithoutPuncherGroups() {
        List<String> designs = DesignRegistry.names();
        RunPlan plan = RunPlan.expand(Profile.SMOKE, designs, Profile.SMOKE.workloads, List.of(1, 2), Map.of());
        Set<String> shapes = plan.specs().stream()
                .map(s -> s.design() + " " + s.workload().lowerName() + " " + s.variant().method() + " " + s.threads())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(designs.size() * 3 * 2, plan.specs().size(), shapes.toString());
        for (String d : designs) {
            for (int t : List.of(1, 2)) {
                assertTrue(shapes.contains(d + " fault fault " + t), d + " fault at " + t);
                assertTrue(shapes.contains(d + " write write " + t), d + " write at " + t);
                assertTrue(shapes.contains(d + " punch punch " + t), d + " punch at " + t);
            }
        }
        assertTrue(shapes.stream().noneMatch(s -> s.contains("withPuncher")), "smoke runs no fault or write puncher group");
    }

    @Test
    void quickMeasuresDirectIoWithoutItsPuncherGroup() {
        RunPlan plan = RunPlan.expand(Profile.QUICK, List.of("io-range"), List.of(Workload.DIO), List.of(1, 2), Map.of());
        assertEquals(2, plan.specs().size(), plan.specs().toString());
        assertTrue(plan.specs().stream().allMatch(s -> s.variant().method().equals("dio")
                && s.params().get("regions").equals("disjoint") && s.params().get("ioBytes").equals("4096")));
    }

    @Test
    void retriesAreCountedOverTheBusiestOpsOps() {
        RunPlan.Spec s = RunPlan.expand(Profile.SMOKE, List.of("seq-retry"), List.of(Workload.FAULT), List.of(1), Map.of())
                .specs().get(0);
        Histogram faults = new Histogram(3);
        faults.recordValueWithCount(1000, 400);
        Histogram punches = new Histogram(3);
        punches.recordValueWithCount(5000, 10);
        Map<String, List<Histogram>> intervals = Map.of("fault", List.of(faults), "punch", List.of(punches));
        List<LockStatLog.Point> points = List.of(
                new LockStatLog.Point(LockPoint.INSTANTIATE_RETRY.name(), 20, 0, new Histogram(3), new Histogram(3)),
                new LockStatLog.Point(LockPoint.INSTANTIATE.name(), 420, 3, new Histogram(3), new Histogram(3)));
        List<Row> rows = SuiteRunner.retryRows(s, intervals, points);
        assertEquals(1, rows.size());
        assertEquals("fault", rows.get(0).op());
        assertEquals(Metrics.RETRIES_PER_OP, rows.get(0).metric());
        assertEquals(0.05, rows.get(0).value(), 1e-12);
        assertEquals(-1, Metrics.direction(Metrics.RETRIES_PER_OP), "fewer retries are better");

        List<LockStatLog.Point> none = List.of(
                new LockStatLog.Point(LockPoint.INSTANTIATE.name(), 420, 3, new Histogram(3), new Histogram(3)));
        assertTrue(SuiteRunner.retryRows(s, intervals, none).isEmpty(), "no retry, no row");
    }
}
