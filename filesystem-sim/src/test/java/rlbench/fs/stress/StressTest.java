package rlbench.fs.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import rlbench.fs.CacheMode;
import rlbench.fs.check.LockOrderChecker;
import rlbench.locks.Design;

/**
 * Every safe design survives the race-hunting mix with zero violations and a consistent lock
 * order: three seeds of two seconds each, eight threads on this two-core machine.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StressTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void safeDesignsStayClean(Design design) throws Exception {
        assertTrue(LockOrderChecker.ENABLED, "the lock-order checker must be on in tests");
        for (long seed = 1; seed <= 3; seed++) {
            StressRun.Result r = new StressRun(design::create, new StressRun.Options(8, 2_000, seed, 64, false))
                    .run(null, 1_000);
            assertNull(r.failure(), r.failure());
            assertNull(r.hang(), r.hang());
            assertEquals(0, r.violations(), () -> design.name() + " seed: " + r.messages());
            assertEquals(0, r.lockOrderViolations(), () -> r.lockOrderReports().toString());
            assertTrue(r.ops() > 1_000, "too few operations to mean anything: " + r.ops());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#unsafe")
    void noneIsCaughtByTheMix(Design design) throws Exception {
        StressRun.Result r = new StressRun(design::create, new StressRun.Options(8, 30_000, 1, 64, true))
                .run(null, 1_000);
        assertNull(r.failure(), r.failure());
        assertTrue(r.violations() > 0, "30 s of racing punches against readahead found nothing under " + design.name());
    }

    /** DAX mode: no page cache; every design's lock point is taken by every fault, and must still order them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#safe")
    void safeDesignsStayCleanInDaxMode(Design design) throws Exception {
        StressRun.Result r = new StressRun(design::create, new StressRun.Options(8, 2_000, 1, 64, false, CacheMode.DAX))
                .run(null, 1_000);
        assertNull(r.failure(), r.failure());
        assertNull(r.hang(), r.hang());
        assertEquals(0, r.violations(), () -> design.name() + " in DAX mode: " + r.messages());
        assertEquals(0, r.lockOrderViolations(), () -> r.lockOrderReports().toString());
        assertTrue(r.ops() > 1_000, "too few operations to mean anything: " + r.ops());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rlbench.fs.Designs#unsafe")
    void noneIsCaughtInDaxMode(Design design) throws Exception {
        StressRun.Result r = new StressRun(design::create, new StressRun.Options(8, 30_000, 1, 64, true, CacheMode.DAX))
                .run(null, 1_000);
        assertNull(r.failure(), r.failure());
        assertTrue(r.violations() > 0, "30 s of racing punches against DAX faults found nothing under " + design.name());
    }
}
