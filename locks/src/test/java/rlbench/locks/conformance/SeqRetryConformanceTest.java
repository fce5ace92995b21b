package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.SeqRetryLock;

class SeqRetryConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return SeqRetryLock.DESIGN;
    }

    @Override
    protected boolean invalidationWaitsForInstantiations() {
        return false;
    }
}
