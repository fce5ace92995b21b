package rlbench.locks;

import java.util.Objects;
import java.util.function.Function;
import rlbench.locks.index.PageIndex;

/**
 * A registered design: its name on the command line and in results, whether it is safe, where it
 * comes from in the argument, and how to make one per mapping.
 */
public record Design(String name, boolean safe, String origin, Function<PageIndex, MappingLock> factory) {

    public Design {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(factory, "factory");
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("design names are lower-case words joined by '-': " + name);
        }
    }

    /** A lock for the mapping whose page cache is {@code index}. */
    public MappingLock create(PageIndex index) {
        return factory.apply(index);
    }
}
