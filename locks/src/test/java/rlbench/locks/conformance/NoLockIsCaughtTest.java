package rlbench.locks.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rlbench.locks.designs.NoLock;
import rlbench.locks.index.PageIndex;

/** The detector is only worth something if it catches the design that locks nothing. */
class NoLockIsCaughtTest {
    @Test
    void overlapDetectorSeesConflictingHoldersUnderNone() throws Exception {
        ConflictWorkload w = new ConflictWorkload(NoLock.DESIGN.create(new PageIndex()), 256, 64, false);
        w.run(8, Long.MAX_VALUE, 3_000, 60, 1);
        assertTrue(w.detector.violations() > 0,
                "none locks nothing, yet no overlap was seen in " + w.ops.get() + " operations");
    }
}
