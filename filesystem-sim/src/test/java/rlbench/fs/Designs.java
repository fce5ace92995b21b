package rlbench.fs;

import java.util.stream.Stream;
import rlbench.locks.Design;
import rlbench.locks.DesignRegistry;

/** Method sources for parameterised tests: every registered design, or only the safe ones. */
public final class Designs {
    private Designs() {
    }

    public static Stream<Design> all() {
        return DesignRegistry.all().stream();
    }

    public static Stream<Design> safe() {
        return DesignRegistry.all().stream().filter(Design::safe);
    }

    public static Stream<Design> unsafe() {
        return DesignRegistry.all().stream().filter(d -> !d.safe());
    }

    public static FileSystem newFs(Design d, int blocks) {
        return new FileSystem(FileSystem.Config.small(blocks), d::create);
    }
}
