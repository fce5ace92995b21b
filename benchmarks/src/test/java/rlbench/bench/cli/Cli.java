package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the command line: its exit code and what it printed to each stream. */
record Cli(int code, String out, String err) {

    /** Runs {@code ./rlbench command args...} through {@link Main#execute}. */
    static Cli run(String command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = command;
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }

    /** Asserts the bad-input contract: exit 2, one line on stderr starting "rlbench: ", nothing on stdout. */
    Cli assertBadInput() {
        assertEquals(2, code, err + out);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("rlbench: "), err);
        assertEquals("", out);
        return this;
    }
}
