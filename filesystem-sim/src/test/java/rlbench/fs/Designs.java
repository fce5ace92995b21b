package rlbench.fs;

import java.util.stream.Stream;
import rlbench.locks.Design;
import rlbench.locks.DesignRegistry;

/** Method sources for parameterised tests: every registered design, or only the safe ones. */
final class Designs {
    private Designs() {
    }

    static Stream<Design> all() {
        return DesignRegistry.all().stream();
    }

    static Stream<Design> safe() {
        return DesignRegistry.all().stream().filter(Design::safe);
    }

    static Stream<Design> unsafe() {
        return DesignRegistry.all().stream().filter(d -> !d.safe());
    }

    static FileSystem newFs(Design d, int blocks) {
        return new FileSystem(FileSystem.Config.small(blocks), d::create);
    }
}
