package rlbench.bench.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.options.TimeValue;
import rlbench.fs.block.BlockDevice;

/** The declarations the runner and the setups share: one parse, one set of words for a refusal. */
class ParamsTest {

    private static Params.Declared fault(String name) {
        return Params.declared(FaultBenchmark.class).get(name);
    }

    private static String refusal(Params.Declared d, String value) {
        return assertThrows(IllegalArgumentException.class, () -> d.parse(value)).getMessage();
    }

    @Test
    void valuesAreParsedToTheFieldsTypeWithinItsBounds() {
        assertEquals(4096, fault("filePages").parse("4096"));
        assertEquals(1000L, fault("punchIntervalUs").parse("1000"));
        assertEquals(0.5, fault("hitRatio").parse("0.5"));
        assertEquals(FaultKind.write, fault("faultKind").parse("write"));
        assertEquals(BlockDevice.Mode.STAMP_ONLY, fault("deviceMode").parse("STAMP_ONLY"));
        assertEquals("filePages=4096.0 is not a whole number", refusal(fault("filePages"), "4096.0"));
        assertEquals("filePages= 4096 is not a whole number", refusal(fault("filePages"), " 4096"), "JMH would refuse it too");
        assertEquals("framePoolPages=3000000000 is outside 2..2147483647 (the filesystem keeps at least 2 free frames)",
                refusal(fault("framePoolPages"), "3000000000"), "an int field is bounded by its type as well");
        assertEquals("hitRatio=-0.1 is outside 0..1", refusal(fault("hitRatio"), "-0.1"));
        assertEquals("deviceMode=data is neither DATA nor STAMP_ONLY", refusal(fault("deviceMode"), "data"));
    }

    @Test
    void sameValuesAreComparedAsTheirType() {
        assertTrue(fault("filePages").same("4096", "04096"));
        assertTrue(fault("hitRatio").same("0.5", ".50"));
        assertFalse(fault("hitRatio").same("0.5", "0.05"));
        assertFalse(fault("faultKind").same("read", "write"));
    }

    @Test
    void anInstanceForTheRulesTakesTheValuesTheClassHas() {
        FaultBenchmark b = Params.instance(FaultBenchmark.class, Map.of("filePages", "64", "punchPages", "65",
                "faultKind", "write", "deviceMode", "DATA", "readPages", "3"));
        assertEquals(64, b.filePages);
        assertEquals(FaultKind.write, b.faultKind);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.check(OpThreads.plain("fault", 1)));
        assertEquals("punchPages=65 is larger than filePages=64: a punch must fit in the file", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Params.instance(FaultBenchmark.class, Map.of("filePages", "x")));
    }

    @Test
    void checkBoundsReadsTheFieldsJmhHasTyped() {
        FaultBenchmark b = Params.instance(FaultBenchmark.class, Map.of("filePages", "64", "punchPages", "1",
                "faultKind", "read", "deviceMode", "DATA", "hitRatio", "0.5", "punchIntervalUs", "0"));
        Params.checkBounds(b);
        b.hitRatio = Double.NaN;
        assertEquals("hitRatio=NaN is not a finite number", assertThrows(IllegalArgumentException.class,
                () -> Params.checkBounds(b)).getMessage());
        b.hitRatio = 0.5;
        b.faultKind = null;
        assertEquals("faultKind has no value", assertThrows(IllegalArgumentException.class, () -> Params.checkBounds(b)).getMessage());
    }

    /** A fork's threads per op, from what JMH hands its setup: plain {@code -t}, or thread groups. */
    @Test
    void opThreadsFollowJmhsThreadsAndGroups() {
        assertEquals(new OpThreads(Map.of("write", 6)), OpThreads.of(params("WriteBenchmark.write", 6, new int[] {1}, List.of())));
        assertEquals(new OpThreads(Map.of("punch", 2, "write", 4)),
                OpThreads.of(params("WriteBenchmark.withPuncher", 6, new int[] {1, 2}, List.of("punch", "workerWrite"))),
                "-tg 1,2 with 6 threads is two groups");
        assertEquals(0, OpThreads.plain("fault", 3).of("write"));
    }

    private static BenchmarkParams params(String benchmark, int threads, int[] groups, List<String> labels) {
        IterationParams it = new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1);
        return new BenchmarkParams("rlbench.bench.workloads." + benchmark, "generated", false, threads, groups, labels, 1, 0,
                it, it, Mode.Throughput, new WorkloadParams(), TimeUnit.SECONDS, 1, "java", List.of(), "17", "vm", "17", "1.37",
                TimeValue.minutes(10));
    }
}
