package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.ListRangeLock;

class ListRangeConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return ListRangeLock.DESIGN;
    }
}
