package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.LockEntries;

class LockEntriesConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return LockEntries.DESIGN;
    }
}
