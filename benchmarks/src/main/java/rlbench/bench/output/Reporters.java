package rlbench.bench.output;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The formats by name: a new one is one class and one line here. Commands take the name from
 * {@code --format}; a name not known is an {@link IllegalArgumentException} that lists the known
 * ones, which a command turns into its one-line usage error.
 */
public final class Reporters {

    private static final Map<String, Reporter> BY_NAME = new LinkedHashMap<>();

    static {
        register(new TableReporter());
        register(new CsvReporter());
        register(new MarkdownReporter());
        register(new HtmlReporter());
    }

    private Reporters() {
    }

    private static void register(Reporter r) {
        BY_NAME.put(r.name(), r);
    }

    /** Every format's name, in the order they are listed to the user. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * The reporter called {@code name}.
     *
     * @throws IllegalArgumentException naming the known formats when there is none by that name
     */
    public static Reporter named(String name) {
        return named(name, names());
    }

    /**
     * The reporter called {@code name}, out of the formats a command {@code offers} (a console
     * command has no use for a whole HTML page).
     *
     * @throws IllegalArgumentException naming the offered formats when {@code name} is not one of them
     */
    public static Reporter named(String name, List<String> offers) {
        Reporter r = BY_NAME.get(name);
        if (r == null || !offers.contains(name)) {
            throw new IllegalArgumentException("unknown format '" + name + "'; known: " + String.join(", ", offers));
        }
        return r;
    }
}
