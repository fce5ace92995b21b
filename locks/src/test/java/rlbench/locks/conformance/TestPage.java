package rlbench.locks.conformance;

import rlbench.locks.index.IndexEntry;

/** A page with no contents: all a lock design ever sees of a page is its slot and its lock. */
final class TestPage extends IndexEntry {
    /** A new page, locked, as the page cache creates one before inserting it. */
    static TestPage newLocked() {
        TestPage p = new TestPage();
        p.tryLock();
        return p;
    }
}
