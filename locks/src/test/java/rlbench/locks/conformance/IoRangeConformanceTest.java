package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.IoRangeLock;

class IoRangeConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return IoRangeLock.DESIGN;
    }
}
