package rlbench.locks.conformance;

import rlbench.locks.Design;
import rlbench.locks.designs.PageLock;

class PageLockConformanceTest extends MappingLockConformance {
    @Override
    protected Design design() {
        return PageLock.DESIGN;
    }

    @Override
    protected boolean instantiateExclusivePerPage() {
        return true;
    }
}
