package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.RwsemLock;

class RwsemConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return RwsemLock.DESIGN;
    }
}
