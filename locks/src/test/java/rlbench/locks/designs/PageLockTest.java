package rlbench.locks.designs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import rlbench.locks.index.PageIndex;

/** page-lock's premise: a lock for every index in the punched range, cached or not. */
class PageLockTest {

    @Test
    void punchHoldsTheLockOfEveryIndexInRangeAndOnlyThose() throws Exception {
        PageLock lock = new PageLock(new PageIndex());
        lock.lockInvalidate(100, 100 + 70_000);
        assertTrue(lock.isLocked(100));
        assertTrue(lock.isLocked(100 + 16_384));
        assertTrue(lock.isLocked(100 + 70_000));
        assertFalse(lock.isLocked(99));
        assertFalse(lock.isLocked(100 + 70_001));
        lock.unlockInvalidate(100, 100 + 70_000);
        assertFalse(lock.isLocked(100 + 16_384));
    }

    @Test
    void failedPunchReleasesWhatItTookBeforeGivingUp() throws Exception {
        PageLock lock = new PageLock(new PageIndex());
        lock.lockInvalidate(50, 50);
        assertFalse(lock.lockInvalidate(0, 99, 10_000_000L));
        assertFalse(lock.isLocked(10), "indices below the blocker must be released");
        assertTrue(lock.isLocked(50));
        lock.unlockInvalidate(50, 50);
        assertTrue(lock.lockInvalidate(0, 99, 0));
    }
}
