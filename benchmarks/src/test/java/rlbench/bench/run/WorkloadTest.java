package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void groupsGiveOnePuncherAndSpreadTheWorkers() {
        Workload.Variant twoWorkers = new Workload.Variant("punch", "on", 2);
        assertArrayEquals(new int[] {1, 2, 2}, twoWorkers.threadGroups(4));
        assertArrayEquals(new int[] {1, 2, 1}, twoWorkers.threadGroups(3));
        assertArrayEquals(new int[] {1, 1, 1}, twoWorkers.threadGroups(1), "every method gets a thread");
        assertEquals(2, twoWorkers.workerThreads(1), "and the recorded count says so");
        assertEquals(4, twoWorkers.workerThreads(4));
        Workload.Variant plain = new Workload.Variant("fault", "off", 0);
        assertEquals(3, plain.workerThreads(3));
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
