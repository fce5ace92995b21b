package rlbench.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import rlbench.fs.check.LockClass;
import rlbench.fs.check.LockOrderChecker;
import rlbench.locks.designs.RangeTreeLock;

/**
 * The lock-order checker sees the filesystem's own order as consistent, and flags the inversion a
 * design would cause by holding an invalidation range across the source fault-in of a write.
 */
class LockOrderInversionTest {

    @BeforeEach
    @AfterEach
    void cleanGraph() {
        LockOrderChecker.GLOBAL.reset();
    }

    @Test
    void checkerIsOnInTests() {
        assertTrue(LockOrderChecker.ENABLED, "Surefire must set -Drlbench.lockdep=true");
    }

    @Test
    void theFilesystemsOwnOrderIsConsistent() {
        FileSystem fs = new FileSystem(FileSystem.Config.small(64), RangeTreeLock::new);
        Inode f = fs.createFile(16);
        Mapping m = fs.newProcess().map(f, 0, 16);
        fs.writeBuffered(f, 0, 8, m, 8);
        fs.readMapped(m, 3);
        fs.writeMapped(m, 4);
        fs.punch(f, 0, 7);
        fs.truncate(f, 4);
        assertEquals(0, LockOrderChecker.GLOBAL.violations(), LockOrderChecker.GLOBAL.reports().toString());
        assertTrue(LockOrderChecker.GLOBAL.hasEdge(LockClass.MMAP, LockClass.INVALIDATION));
        assertTrue(LockOrderChecker.GLOBAL.hasEdge(LockClass.INODE, LockClass.MMAP));
    }

    @Test
    void punchTruncateAndFallocateRecordTheInodeLock() {
        FileSystem fs = new FileSystem(FileSystem.Config.small(64), RangeTreeLock::new);
        Inode f = fs.createFile(16);
        fs.punch(f, 0, 7);
        assertTrue(LockOrderChecker.GLOBAL.hasEdge(LockClass.INODE, LockClass.INVALIDATION), "punch");
        LockOrderChecker.GLOBAL.reset();
        fs.truncate(f, 4);
        assertTrue(LockOrderChecker.GLOBAL.hasEdge(LockClass.INODE, LockClass.INVALIDATION), "truncate");
        LockOrderChecker.GLOBAL.reset();
        fs.fallocate(f, 0, 3);
        assertEquals(List.of(), LockOrderChecker.GLOBAL.heldByCurrentThread(), "every lock released");
        // A punch under a page lock (the inversion lockdep exists for) is flagged once the inode
        // lock is on record on the punch path.
        fs.writeBuffered(f, 0, 2, null, 0);
        LockOrderChecker.GLOBAL.acquired(LockClass.PAGE);
        fs.punch(f, 0, 1);
        LockOrderChecker.GLOBAL.released(LockClass.PAGE);
        assertTrue(LockOrderChecker.GLOBAL.reports().stream().anyMatch(r -> r.contains("inode lock")),
                LockOrderChecker.GLOBAL.reports().toString());
    }

    @Test
    void holdingAnInvalidationRangeAcrossTheSourceFaultInIsFlagged() {
        FileSystem fs = new FileSystem(FileSystem.Config.small(64), RangeTreeLock::new);
        Inode f = fs.createFile(16);
        Mapping source = fs.newProcess().map(f, 0, 16);
        fs.readMapped(source, 9); // an ordinary fault: mmap_lock -> invalidation
        // A design that locks the write's whole range at page-cache level, then faults its source in.
        LockOrderChecker.GLOBAL.acquired(LockClass.INVALIDATION);
        f.lock.lockInvalidate(0, 7);
        try {
            fs.readMapped(source, 9);
        } finally {
            f.lock.unlockInvalidate(0, 7);
            LockOrderChecker.GLOBAL.released(LockClass.INVALIDATION);
        }
        assertEquals(1, LockOrderChecker.GLOBAL.violations());
        String report = LockOrderChecker.GLOBAL.reports().get(0);
        assertTrue(report.contains("mmap_lock -> invalidation") && report.contains("invalidation lock or range -> mmap_lock"),
                report);
    }
}
