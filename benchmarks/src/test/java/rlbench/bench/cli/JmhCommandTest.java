package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import rlbench.locks.DesignRegistry;

/**
 * {@code rlbench jmh}: the benchmarks' {@code design} parameter has no values of its own, so the
 * command supplies the registry's when none is given, and checks those that are.
 */
class JmhCommandTest {

    @Test
    void withoutADesignEveryRegisteredDesignIsPassed() {
        assertArrayEquals(new String[] {"-f", "1", "LocksBenchmark", "-p", "design=" + String.join(",", DesignRegistry.names())},
                JmhCommand.withDesigns(new String[] {"-f", "1", "LocksBenchmark"}));
    }

    @Test
    void givenDesignsArePassedAsGiven() {
        String[] args = {"-p", "design=rwsem,range-tree", "LocksBenchmark"};
        assertArrayEquals(args, JmhCommand.withDesigns(args));
        String[] joined = {"-pdesign=none", "LocksBenchmark"};
        assertArrayEquals(joined, JmhCommand.withDesigns(joined));
    }

    @Test
    void anUnknownDesignIsOneLineAndExitTwo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JmhCommand.withDesigns(new String[] {"-p", "design=rwsem,nope"}));
        assertEquals("unknown design 'nope' in -p design=rwsem,nope (known: " + String.join(", ", DesignRegistry.names()) + ", linux)",
                e.getMessage());
        StringWriter err = new StringWriter();
        assertEquals(2, JmhCommand.run(new String[] {"-p", "design=nope"}, new PrintWriter(err, true)));
        assertEquals("rlbench: unknown design 'nope' in -p design=nope (known: " + String.join(", ", DesignRegistry.names()) + ", linux)\n",
                err.toString());
    }
}
