package rlbench.bench.output;

import java.io.IOException;

/**
 * One output format: plain text for the console, CSV, Markdown or HTML, chosen by name through
 * {@link Reporters}. A reporter holds no state, so one instance serves every caller.
 */
public interface Reporter {

    /** The name {@code --format} takes. */
    String name();

    /**
     * The whole document, block after block.
     *
     * @throws IOException when a figure's file cannot be read (a format that embeds them)
     */
    String document(Doc doc) throws IOException;

    /**
     * One table alone, each line ended by {@code \n}, for a command that prints its own lines
     * around it. A document's table is drawn the same way.
     */
    String table(Doc.Table table);

    /**
     * Whether the format is data for a script (CSV): it holds tables only. A command's notes go
     * to stderr then, and its summary line is left out, so that stdout parses.
     */
    default boolean dataOnly() {
        return false;
    }
}
