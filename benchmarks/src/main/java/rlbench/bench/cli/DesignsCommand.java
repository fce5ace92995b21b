package rlbench.bench.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import rlbench.locks.Design;
import rlbench.locks.DesignRegistry;

/** {@code rlbench designs}: one line per registered design. */
@Command(name = "designs", mixinStandardHelpOptions = true,
        description = "List the registered lock designs: name, safe or UNSAFE, origin.")
final class DesignsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        int width = DesignRegistry.names().stream().mapToInt(String::length).max().orElse(4);
        for (Design d : DesignRegistry.all()) {
            out.printf("%-" + width + "s  %-6s  %s%n", d.name(), d.safe() ? "safe" : "UNSAFE", d.origin());
        }
        out.flush();
    }
}
