package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import rlbench.bench.locks.LocksBenchmark;
import rlbench.locks.DesignRegistry;

class WorkloadTest {

    @Test
    void groupsGiveOnePuncherAndDealTheWorkersOut() {
        Workload.Variant twoWorkers = new Workload.Variant("punch", "on", 2);
        assertArrayEquals(new int[] {1, 2, 2}, twoWorkers.threadGroups(4));
        assertArrayEquals(new int[] {1, 2, 1}, twoWorkers.threadGroups(3));
        assertArrayEquals(new int[] {1, 1, 0}, twoWorkers.threadGroups(1), "one worker means one worker");
        Workload.Variant threeWorkers = new Workload.Variant("mixed", "on", 3);
        assertArrayEquals(new int[] {1, 1, 1, 0}, threeWorkers.threadGroups(2));
    }

    @Test
    void includePatternsMatchOnlyTheirBenchmark() {
        String include = Workload.FAULT.include(Workload.FAULT.variants.get(0));
        assertEquals(true, "rlbench.bench.workloads.FaultBenchmark.fault".matches(include));
        assertEquals(false, "rlbench.bench.workloads.FaultBenchmark.faultX".matches(include));
    }

    @Test
    void groupMethodNamesBecomeOps() {
        assertEquals("fault", SuiteRunner.opName("workerFault"));
        assertEquals("punch", SuiteRunner.opName("punch"));
    }

    @Test
    void theLocksWorkloadRunsEveryDesignAtOneThreadOnlyWhateverTheThreadsAsked() {
        RunPlan plan = RunPlan.expand(Profile.QUICK, DesignRegistry.names(), List.of(Workload.LOCKS, Workload.FLOOR),
                List.of(2, 4), Map.of());
        Map<String, List<Integer>> threads = plan.specs().stream().collect(Collectors.groupingBy(
                s -> s.workload().lowerName(), Collectors.mapping(RunPlan.Spec::threads, Collectors.toList())));
        assertEquals(List.of(1), threads.get("locks").stream().distinct().toList());
        assertEquals(List.of(2, 4), threads.get("floor").stream().distinct().toList(), "others keep the counts asked for");
        // instantiate + mkwrite + invalidate at 1, 64 and 262144 pages, for every design
        assertEquals(5 * DesignRegistry.names().size(), threads.get("locks").size());
        assertEquals(DesignRegistry.names(), plan.specs().stream().filter(s -> s.variant().method().equals("mkwritePair"))
                .map(RunPlan.Spec::design).toList());
        assertEquals(List.of("1", "64", "262144"), plan.specs().stream()
                .filter(s -> s.variant().method().equals("invalidatePair") && s.design().equals("rwsem"))
                .map(s -> s.params().get("punchPages")).toList());
        assertEquals(Map.of(), plan.specs().stream().filter(s -> s.variant().method().equals("instantiatePair"))
                .findFirst().orElseThrow().params(), "only the invalidate pair is swept over the range");
    }

    @Test
    void theLocksWorkloadRecordsJmhsAverageTimeInNanoseconds() {
        assertEquals("avgt_ns", Workload.LOCKS.score.metric);
        assertEquals("ns/op", Workload.LOCKS.score.unit);
        assertEquals("ops_per_s", Workload.FLOOR.score.metric);
    }

    /** JMH wants the default list as constants; the runner passes the registry's names, and this keeps the two equal. */
    @Test
    void theLocksBenchmarksDefaultDesignsAreTheRegistrysDesigns() throws Exception {
        Param p = LocksBenchmark.class.getField("design").getAnnotation(Param.class);
        assertEquals(DesignRegistry.names(), List.of(p.value()));
    }

    @Test
    void parameterTypesAreFoundInTheBenchmarkItsSuperclassesAndItsStateClasses() {
        assertEquals(double.class, Preflight.paramType(Workload.FAULT, "hitRatio"));
        assertEquals(int.class, Preflight.paramType(Workload.FAULT, "framePoolPages"), "in SimulationState");
        assertEquals(long.class, Preflight.paramType(Workload.LOCKS, "punchPages"), "in LocksBenchmark.Range");
        assertEquals(null, Preflight.paramType(Workload.FLOOR, "punchPages"));
    }
}
