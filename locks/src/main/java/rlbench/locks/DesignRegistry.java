package rlbench.locks;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import rlbench.locks.designs.IoRangeLock;
import rlbench.locks.designs.ListRangeLock;
import rlbench.locks.designs.LockEntries;
import rlbench.locks.designs.MmapWriteLock;
import rlbench.locks.designs.NoLock;
import rlbench.locks.designs.PageLock;
import rlbench.locks.designs.RangeTreeLock;
import rlbench.locks.designs.RwsemLock;
import rlbench.locks.designs.SeqRetryLock;
import rlbench.locks.designs.TwoStateLock;

/**
 * Every design by name. Adding a design is one class with a {@code DESIGN} constant and one line
 * here.
 */
public final class DesignRegistry {

    private static final List<Design> DESIGNS = List.of(
            NoLock.DESIGN,
            RwsemLock.DESIGN,
            PageLock.DESIGN,
            RangeTreeLock.DESIGN,
            LockEntries.DESIGN,
            TwoStateLock.DESIGN,
            ListRangeLock.DESIGN,
            SeqRetryLock.DESIGN,
            IoRangeLock.DESIGN,
            MmapWriteLock.DESIGN);

    private DesignRegistry() {
    }

    /** All designs, in registration order. */
    public static List<Design> all() {
        return DESIGNS;
    }

    /** The names, in registration order. */
    public static List<String> names() {
        return DESIGNS.stream().map(Design::name).collect(Collectors.toList());
    }

    public static Optional<Design> find(String name) {
        return DESIGNS.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * The design called {@code name}.
     *
     * @throws IllegalArgumentException naming the known designs when there is none by that name
     */
    public static Design get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown design '" + name + "' (known: " + String.join(", ", names()) + ")"));
    }
}
