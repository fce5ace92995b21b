package rlbench.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ForkJvmTest {

    private static final long LAUNCHER_HEAP = 6L << 30;

    private static ForkJvm parse(String jvmArgs, String... launcherArgs) {
        return ForkJvm.parse(jvmArgs, List.of(launcherArgs), LAUNCHER_HEAP);
    }

    @Test
    void withoutOptionsTheForksInheritTheLaunchersHeapAndDirectMemoryFollowsIt() {
        ForkJvm f = parse(null, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED");
        assertEquals(List.of(), f.args());
        assertEquals(LAUNCHER_HEAP, f.maxHeapBytes());
        assertEquals(LAUNCHER_HEAP, f.maxDirectBytes());
        assertTrue(f.heapSource().startsWith("the launcher's maximum heap"), f.heapSource());
    }

    @Test
    void sizesParseInEveryUnitAndTheLastOptionWinsAsInTheJvm() {
        assertEquals(2L << 30, parse("-Xmx2g").maxHeapBytes());
        assertEquals(512L << 20, parse("-Xmx2G -Xmx512M").maxHeapBytes());
        assertEquals(1L << 40, parse("-Xmx1t").maxHeapBytes());
        assertEquals(64L << 10, parse("-Xmx64k").maxHeapBytes());
        assertEquals(123_456_789L, parse("-Xmx123456789").maxHeapBytes());
        ForkJvm f = parse("-Xms1g -Xmx2g -XX:MaxDirectMemorySize=8g -Dfoo=bar -XX:+UseSerialGC");
        assertEquals(List.of("-Xms1g", "-Xmx2g", "-XX:MaxDirectMemorySize=8g", "-Dfoo=bar", "-XX:+UseSerialGC"), f.args());
        assertEquals(2L << 30, f.maxHeapBytes());
        assertEquals(8L << 30, f.maxDirectBytes());
        assertEquals("--jvm-args -Xmx2g", f.heapSource());
    }

    @Test
    void theLaunchersOwnLimitsCountWhenTheOptionsLeaveThemOut() {
        assertEquals(1L << 30, parse("-Dx=1", "-XX:MaxDirectMemorySize=1g").maxDirectBytes());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("-Xms2g", "-Xmx1g"));
        assertTrue(e.getMessage().contains("-Xms2g is larger than the maximum heap -Xmx1g (the launcher's"), e.getMessage());
        assertEquals(8L << 30, parse("-Xms8g").maxHeapBytes(), "HotSpot raises a default maximum to the initial heap");
    }

    @Test
    void malformedOptionsAreRefusedWithOneLine() {
        for (String bad : new String[] {"", "  ", "Xmx2g", "-Xmx2g foo", "-Xmx", "-Xmx2gb", "-Xmx0", "-Xmx-1g",
            "-Xms3g -Xmx2g", "-XX:MaxDirectMemorySize=lots", "-Xmx99999999999999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--jvm-args"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void theProbeStartsTheJvmOnceAndReportsWhatItRejects() {
        parse("-Xmx64m -XX:+UseSerialGC").probe();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("-XX:+RlbenchNoSuchOption").probe());
        assertTrue(e.getMessage().endsWith(": Unrecognized VM option 'RlbenchNoSuchOption'"), e.getMessage());
    }

    @Test
    void bytesPrintInGibAboveOneGib() {
        assertEquals("2.0 GiB", ForkJvm.bytes(2L << 30));
        assertEquals("512 MiB", ForkJvm.bytes(512L << 20));
        assertEquals("1 MiB", ForkJvm.bytes(1));
    }
}
