package rlbench.bench.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real-kernel stale-data check: it catches what it is for, and a short race on this kernel finds nothing. */
class KernelStressTest {

    @TempDir
    Path dir;

    private final Memory page = new Memory(KernelFile.PAGE);
    private final long addr = Pointer.nativeValue(page);

    private KernelStress stress() {
        KernelStress s = new KernelStress(new KernelStress.Options(1, 1, 1, 8, dir));
        s.prepare(8);
        page.clear();
        return s;
    }

    @Test
    void zeroesAndTheFilesOwnPatternPass() {
        KernelStress s = stress();
        s.checkPage(3, addr, true, 0, "test");
        page.setLong(8, KernelStress.pattern(false, 3, 7));
        s.checkPage(3, addr, false, 0, "test");
        assertEquals(0, s.foreignCount() + s.nonzeroHoleCount());
    }

    @Test
    void anotherFilesOrPagesDataIsForeign() {
        KernelStress s = stress();
        page.setLong(64, KernelStress.pattern(true, 3, 7));
        s.checkPage(3, addr, false, 0, "test");
        assertEquals(1, s.foreignCount(), "file B's data in A");
        page.clear();
        page.setLong(64, KernelStress.pattern(false, 4, 7));
        s.checkPage(3, addr, false, 0, "test");
        assertEquals(2, s.foreignCount(), "page 4's data at page 3");
    }

    @Test
    void aKnownHoleMustReadZero() {
        KernelStress s = stress();
        page.setLong(0, KernelStress.pattern(false, 5, 1));
        s.checkPage(5, addr, true, 0, "test");
        assertEquals(1, s.nonzeroHoleCount(), "A's own old data where a punch left a hole");
        s.checkPage(5, addr, false, 0, "test");
        assertEquals(1, s.nonzeroHoleCount(), "not a known hole: its own data is fine");
    }

    @Test
    void threeSecondsOnThisKernelFindNothing() throws Exception {
        KernelStress.Result r = new KernelStress(new KernelStress.Options(6, 3_000, 2, 512, dir)).run(null, 1_000);
        assertNull(r.failure());
        assertTrue(r.ops() > 1_000, "ops " + r.ops());
        assertEquals(0, r.violations(), r.messages().toString());
    }
}
