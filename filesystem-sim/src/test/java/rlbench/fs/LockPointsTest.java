package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rlbench.locks.designs.RangeTreeLock;
import rlbench.locks.stat.LockPoint;
import rlbench.locks.stat.LockStat;

/** The filesystem counts its own lock points (i_rwsem, mmap_lock) where it takes them, once each. */
class LockPointsTest {

    @BeforeEach
    void fresh() {
        LockStat.setEnabled(true);
        LockStat.reset();
    }

    @AfterEach
    void on() {
        LockStat.setEnabled(true);
    }

    private static long acquisitions(LockPoint p) {
        return LockStat.snapshot().stream().filter(s -> s.point() == p).findFirst().orElseThrow().acquisitions();
    }

    @Test
    void aPunchTakesTheInodeLockAndTheInvalidateLockOnceAndAFaultMmapLockOnce() {
        FileSystem fs = new FileSystem(FileSystem.Config.small(64), RangeTreeLock::new);
        Inode f = fs.createFile(16);
        AddressSpace process = fs.newProcess();
        Mapping m = process.map(f, 0, 16);
        LockStat.reset();

        fs.punch(f, 0, 7);
        assertEquals(1, acquisitions(FileSystem.I_RWSEM));
        assertEquals(1, acquisitions(LockPoint.INVALIDATE));
        assertEquals(0, acquisitions(FileSystem.MMAP_LOCK));

        fs.readMapped(m, 3);
        assertEquals(1, acquisitions(FileSystem.MMAP_LOCK));
        assertEquals(1, acquisitions(FileSystem.I_RWSEM), "a fault does not take the inode lock");
    }
}
