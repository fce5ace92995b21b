package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.MmapWriteLock;

class MmapWriteConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return MmapWriteLock.DESIGN;
    }
}
