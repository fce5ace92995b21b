package rlbench.bench.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import rlbench.bench.output.Doc;
import rlbench.bench.output.Doc.Column;
import rlbench.bench.output.TableReporter;
import rlbench.locks.Design;
import rlbench.bench.targets.Targets;
import rlbench.locks.DesignRegistry;

/**
 * {@code rlbench designs}: one line per registered design, no header, so that a script can split
 * each line on blanks (the name, safe or UNSAFE, then the origin), then one for the {@code linux}
 * target, marked {@code kernel}.
 */
@Command(name = "designs", mixinStandardHelpOptions = true,
        description = "List the registered lock designs: name, safe or UNSAFE, origin.")
final class DesignsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(new TableReporter().table(table(DesignRegistry.all())));
        out.flush();
    }

    /** The designs, then the real-kernel target: not simulated, so marked as the machine's kernel. */
    private static Doc.Table table(List<Design> designs) {
        List<Column> columns = List.of(Column.left("design"), Column.left("safety").atLeast(6).gap(2), Column.left("origin").gap(2));
        List<List<String>> rows = new java.util.ArrayList<>(
                designs.stream().map(d -> List.of(d.name(), d.safe() ? "safe" : "UNSAFE", d.origin())).toList());
        rows.add(List.of(Targets.LINUX, "kernel", "not simulated: a real file on this machine's Linux " + Targets.kernelRelease()
                + " (run --kernel-dir chooses where)"));
        return new Doc.Table(columns, rows).withoutTextHeader();
    }
}
