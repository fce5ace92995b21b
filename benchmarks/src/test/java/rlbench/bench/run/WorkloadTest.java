package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

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
}
