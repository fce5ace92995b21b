package rlbench.bench.cli;

import java.util.List;
import picocli.CommandLine.Option;
import rlbench.bench.output.Reporter;
import rlbench.bench.output.Reporters;

/**
 * {@code --format} of the commands that print a table ({@code compare}, {@code history}): the
 * console formats only, since a command's notes and summary line are lines of text around its
 * table, not blocks of an HTML page.
 */
final class FormatOption {

    static final List<String> OFFERED = List.of("table", "md", "csv");

    @Option(names = "--format", defaultValue = "table", paramLabel = "F",
            description = "table, md or csv; csv quotes a cell only where it must (default ${DEFAULT-VALUE})")
    String format;

    /** The reporter named; an unknown name is a usage error that lists the known ones. */
    Reporter reporter() {
        try {
            return Reporters.named(format, OFFERED);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format: " + e.getMessage());
        }
    }
}
