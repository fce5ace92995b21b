package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.TwoStateLock;

class TwoStateConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return TwoStateLock.DESIGN;
    }

    @Override
    protected boolean invalidationsExcludeEachOther() {
        return false;
    }

    @Override
    protected boolean invalidationStarvationFree() {
        return false;
    }
}
