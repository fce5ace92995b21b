package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.RangeTreeLock;

class RangeTreeConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return RangeTreeLock.DESIGN;
    }
}
