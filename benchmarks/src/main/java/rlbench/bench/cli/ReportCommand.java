package rlbench.bench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rlbench.bench.report.Report;

/**
 * {@code rlbench report DIR}: writes {@code report.md}, a self-contained {@code report.html} and
 * {@code plots/*.png} into a run folder. {@code run} calls the same code when it finishes.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write report.md, report.html (self-contained) and plots/*.png for a run folder.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a run folder, as written by ./rlbench run")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Report.Written w = write(dir);
        out.printf("report: %s (%d plots), %s%n", w.html(), w.plots(), w.markdown());
        out.flush();
        return 0;
    }

    /** Writes the report; bad input or an unwritable folder becomes a one-line usage error. */
    static Report.Written write(Path dir) {
        try {
            return Report.write(dir);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (FileAlreadyExistsException e) {
            throw new UsageException("cannot write the report in " + dir + ": " + e.getFile() + " is in the way (not a folder)");
        } catch (IOException | UncheckedIOException e) {
            throw new UsageException("cannot write the report in " + dir + ": " + e.getMessage());
        }
    }
}
