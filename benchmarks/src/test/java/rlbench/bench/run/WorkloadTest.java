package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import rlbench.bench.locks.LocksBenchmark;
import rlbench.bench.workloads.FaultKind;
import rlbench.bench.workloads.OpThreads;
import rlbench.bench.workloads.Params;
import rlbench.bench.workloads.PunchBenchmark;
import rlbench.bench.workloads.SimulationState;
import rlbench.bench.workloads.WriteBenchmark;
import rlbench.fs.block.BlockDevice;
import rlbench.locks.DesignRegistry;

class WorkloadTest {

    private static Workload.Variant variant(Workload w, String method) {
        return w.variants().stream().filter(v -> v.method().equals(method)).findFirst().orElseThrow();
    }

    @Test
    void benchmarksAndTheirGroupMethodsComeFromJmhsBenchmarkList() {
        Map<Workload, List<String>> methods = new TreeMap<>();
        for (Workload w : Workload.values()) {
            methods.put(w, w.variants().stream().map(v -> v.method() + v.groupMethods()).toList());
        }
        assertEquals(Map.of(
                Workload.FAULT, List.of("fault[]", "withPuncher[punch, workerFault]"),
                Workload.WRITE, List.of("write[]", "withPuncher[punch, workerWrite]"),
                Workload.PUNCH, List.of("punch[punch, workerFault, workerWrite]"),
                Workload.MIXED, List.of("mixed[punch, workerFault, workerRead, workerWrite]"),
                Workload.DIO, List.of("dio[]", "withPuncher[punch, workerDio]"),
                Workload.LOCKS, List.of("instantiatePair[]", "invalidatePair[]", "mkwritePair[]"),
                Workload.FLOOR, List.of("casPair[]", "copy4k[]")), methods);
        assertEquals(List.of("off", "on"), Workload.FAULT.variants().stream().map(Workload.Variant::puncher).toList());
        assertEquals(List.of("on"), Workload.PUNCH.variants().stream().map(Workload.Variant::puncher).toList());
        assertEquals(List.of("off"), Workload.LOCKS.variants().stream().map(Workload.Variant::puncher).distinct().toList());
    }

    @Test
    void groupsGiveOnePuncherAndDealTheWorkersOut() {
        Workload.Variant twoWorkers = Workload.PUNCH.variants().get(0);
        assertArrayEquals(new int[] {1, 2, 2}, twoWorkers.threadGroups(4));
        assertArrayEquals(new int[] {1, 2, 1}, twoWorkers.threadGroups(3));
        assertArrayEquals(new int[] {1, 1, 0}, twoWorkers.threadGroups(1), "one worker means one worker");
        assertEquals(4, twoWorkers.totalThreads(3), "the puncher beside the workers");
        Workload.Variant threeWorkers = Workload.MIXED.variants().get(0);
        assertArrayEquals(new int[] {1, 1, 1, 0}, threeWorkers.threadGroups(2));
        assertEquals(new OpThreads(Map.of("punch", 1, "fault", 1, "read", 1, "write", 0)), threeWorkers.opThreads(2));
        assertEquals(new OpThreads(Map.of("fault", 3)), variant(Workload.FAULT, "fault").opThreads(3));
        assertEquals(3, variant(Workload.FAULT, "fault").totalThreads(3));
    }

    @Test
    void includePatternsMatchOnlyTheirBenchmark() {
        String include = Workload.FAULT.include(variant(Workload.FAULT, "fault"));
        assertEquals(true, "rlbench.bench.workloads.FaultBenchmark.fault".matches(include));
        assertEquals(false, "rlbench.bench.workloads.FaultBenchmark.faultX".matches(include));
    }

    @Test
    void groupMethodNamesBecomeOps() {
        assertEquals("fault", SuiteRunner.opName("workerFault"));
        assertEquals("punch", SuiteRunner.opName("punch"));
    }

    /** What the report asks of a workload instead of knowing it: the range parameter and the puncher's op. */
    @Test
    void theDescriptorSaysWhichParameterIsARangeAndWhichOpThePuncher() {
        for (Workload w : List.of(Workload.FAULT, Workload.WRITE, Workload.PUNCH, Workload.MIXED)) {
            assertEquals(Optional.of("punch"), w.puncherOp(), w.name());
            assertEquals("punchPages", w.rangeParam, w.name());
            assertTrue(w.variants().stream().anyMatch(v -> v.groupMethods().contains(w.puncherOp().get())),
                    "a method of the puncher's op runs in a group of " + w);
        }
        assertEquals(Optional.empty(), Workload.LOCKS.puncherOp());
        assertEquals(Optional.empty(), Workload.FLOOR.puncherOp());
        for (Workload w : Workload.values()) {
            if (w.rangeParam != null) {
                assertNotNull(Params.declared(w.benchmark).get(w.rangeParam), w + " declares its range parameter");
            }
        }
        assertEquals(4, Workload.threadsUsed(Map.of("puncher", "on"), 3));
        assertEquals(3, Workload.threadsUsed(Map.of("puncher", "off"), 3));
        assertEquals(3, Workload.threadsUsed(Map.of(), 3), "rows without the column");
        assertEquals(Optional.of(Workload.LOCKS), Workload.find("locks"));
        assertEquals(Optional.empty(), Workload.find("LOCKS"));
    }

    @Test
    void theLocksWorkloadRunsEveryDesignAtOneThreadOnlyWhateverTheThreadsAsked() {
        // full: quick narrows the invalidate pair to 1 and 262144 pages to fit three rounds in its time
        RunPlan plan = RunPlan.expand(Profile.FULL, DesignRegistry.names(), List.of(Workload.LOCKS, Workload.FLOOR),
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
        assertEquals(Map.of("lockstat", "on"), plan.specs().stream().filter(s -> s.variant().method().equals("instantiatePair"))
                .findFirst().orElseThrow().params(), "only the invalidate pair is swept over the range; every pair has the switch");
    }

    /**
     * A profile case is planned beside the crossed matrix, for its variant only, every design and
     * thread count, with its values over the profile's; a -p naming one of its parameters leaves
     * it out, and each benchmark is planned once.
     */
    @Test
    void profileCasesArePlannedBesideTheMatrixAndGiveWayToTheUsersValues() {
        List<String> designs = List.of("rwsem", "range-tree");
        RunPlan plain = RunPlan.expand(Profile.QUICK, designs, List.of(Workload.FAULT), List.of(1, 2), Map.of());
        List<RunPlan.Spec> disjoint = plain.specs().stream().filter(s -> "disjoint".equals(s.params().get("punchTarget"))).toList();
        assertEquals(designs.size() * 2, disjoint.size(), "one per design and thread count");
        assertTrue(disjoint.stream().allMatch(s -> s.variant().method().equals("withPuncher")), "the case's variant only");
        RunPlan.Spec one = disjoint.get(0);
        assertEquals("262144", one.params().get("punchPages"));
        assertEquals("open", one.params().get("arrival"));
        assertEquals("read", one.params().get("faultKind"), "what the case leaves alone comes from the profile");
        // matrix: 2 variants x 2 designs x 2 thread counts, at quick's one hit ratio
        assertEquals(8 + disjoint.size(), plain.specs().size());
        assertEquals(plain.specs().size(), new java.util.HashSet<>(plain.specs()).size());

        RunPlan user = RunPlan.expand(Profile.QUICK, designs, List.of(Workload.FAULT), List.of(1),
                Map.of("punchTarget", List.of("disjoint"), "punchPages", List.of("16")));
        assertTrue(user.specs().stream().allMatch(s -> s.params().get("punchPages").equals("16")),
                "a -p naming a parameter the case sets leaves the case out");
        assertEquals(2 * 2, user.specs().size());
        RunPlan other = RunPlan.expand(Profile.QUICK, designs, List.of(Workload.FAULT), List.of(1),
                Map.of("lockstat", List.of("on", "off")));
        assertEquals((2 * 2 + 2) * 2, other.specs().size(), "a -p the case does not set crosses the case too");

        RunPlan without = RunPlan.expand(Profile.QUICK, designs, List.of(Workload.WRITE), List.of(1), Map.of());
        assertTrue(without.specs().stream().noneMatch(s -> "disjoint".equals(s.params().get("punchTarget"))),
                "a case of a workload the run leaves out is not planned");
    }

    @Test
    void theLocksWorkloadRecordsJmhsAverageTimeInNanoseconds() {
        assertEquals("avgt_ns", Workload.LOCKS.score.metric);
        assertEquals("ns/op", Workload.LOCKS.score.unit);
        assertEquals("ops_per_s", Workload.FLOOR.score.metric);
    }

    /** The registry is the one list of designs: no benchmark repeats it as @Param values. */
    @Test
    void noBenchmarkListsTheDesignsTheRegistryIsTheOnlyList() throws Exception {
        assertEquals(0, LocksBenchmark.class.getField("design").getAnnotation(Param.class).value().length);
        assertEquals(0, SimulationState.class.getField("design").getAnnotation(Param.class).value().length);
        for (Workload w : Workload.values()) {
            assertEquals(w != Workload.FLOOR, w.perDesign(), w.name());
            for (Workload.Variant v : w.variants()) {
                assertFalse(v.defaults().containsKey("design"), "the plan passes design itself: " + w + "." + v.method());
            }
        }
    }

    @Test
    void parameterTypesAreFoundInTheBenchmarkItsSuperclassesAndItsStateClasses() {
        assertEquals(double.class, Params.declared(Workload.FAULT.benchmark).get("hitRatio").type());
        assertEquals(int.class, Params.declared(Workload.FAULT.benchmark).get("framePoolPages").type(), "in SimulationState");
        assertEquals(long.class, Params.declared(Workload.LOCKS.benchmark).get("punchPages").type(), "in LocksBenchmark.Range");
        assertEquals(null, Params.declared(Workload.FLOOR.benchmark).get("punchPages"));
        assertEquals(FaultKind.class, Params.declared(Workload.FAULT.benchmark).get("faultKind").type());
        assertEquals(BlockDevice.Mode.class, Params.declared(Workload.PUNCH.benchmark).get("deviceMode").type());
    }

    /**
     * Typed parameters keep the values users type and results.csv records: an enum's constant
     * names are exactly the strings of before, so old runs compare with new ones.
     */
    @Test
    void enumParametersKeepTheValuesResultsHaveAlwaysRecorded() {
        assertEquals(List.of("read", "write"), names(FaultKind.class));
        assertEquals(List.of("dense", "sparse"), names(PunchBenchmark.Cache.class));
        assertEquals(List.of("disjoint", "shared"), names(WriteBenchmark.Regions.class));
        assertEquals(List.of("DATA", "STAMP_ONLY"), names(BlockDevice.Mode.class));
        assertEquals(List.of("read", "write"), variant(Workload.FAULT, "fault").defaults().get("faultKind"));
        assertEquals(List.of("dense", "sparse"), Workload.PUNCH.variants().get(0).defaults().get("cache"));
        assertEquals(List.of("STAMP_ONLY"), Workload.PUNCH.variants().get(0).defaults().get("deviceMode"));
    }

    /** One parameter name means one thing: the same type and bounds in every workload that has it. */
    @Test
    void aParameterSharedByWorkloadsIsDeclaredAlikeInEach() {
        Map<String, String> seen = new TreeMap<>();
        for (Workload w : Workload.values()) {
            for (Params.Declared d : Params.declared(w.benchmark).values()) {
                String shape = d.type().getName() + " " + Arrays.toString(new Object[] {bounds(d)});
                String before = seen.putIfAbsent(d.name(), shape);
                assertTrue(before == null || before.equals(shape) || d.name().equals("punchPages") && w == Workload.LOCKS,
                        d.name() + " in " + w + ": " + shape + " against " + before);
            }
        }
    }

    private static String bounds(Params.Declared d) {
        rlbench.bench.workloads.Bounds b = d.field().getAnnotation(rlbench.bench.workloads.Bounds.class);
        return b == null ? "-" : b.min() + ".." + b.max() + " " + b.why();
    }

    private static List<String> names(Class<? extends Enum<?>> e) {
        return Arrays.stream(e.getEnumConstants()).map(Enum::name).toList();
    }
}
