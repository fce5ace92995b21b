package rlbench.bench.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import rlbench.bench.targets.Targets;
import rlbench.locks.DesignRegistry;

/**
 * {@code rlbench jmh ARGS...}: JMH's own command line over the benchmarks in this jar, for
 * anything the {@code run} profiles do not cover ({@code ./rlbench jmh -h} lists its options).
 * {@link Main} hands the arguments to JMH before picocli sees them; this class exists so that
 * {@code --help} lists the subcommand.
 *
 * <p>The benchmarks' {@code design} parameter has no values of its own (the registry is the one
 * list), and JMH refuses to run a parameter without values; so unless the arguments give
 * {@code -p design=...}, every registered design is passed, as the benchmarks' defaults used to
 * be. Designs that are given are checked against the registry first.
 */
@Command(name = "jmh", description = "Run JMH's own command line over the suite's benchmarks (./rlbench jmh -h); "
        + "-p design= defaults to every registered design.")
final class JmhCommand implements Runnable {

    @Parameters(paramLabel = "ARGS", description = "passed to JMH, with -p design=<every design> unless given")
    List<String> args = List.of();

    @Override
    public void run() {
        String[] all;
        try {
            all = withDesigns(args.toArray(String[]::new));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        runJmh(all);
    }

    /**
     * The arguments with {@code -p design=} set: the registry's names when none is given.
     *
     * @throws IllegalArgumentException naming a design the registry does not have
     */
    static String[] withDesigns(String[] args) {
        List<String> out = new ArrayList<>(List.of(args));
        String given = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-p") && i + 1 < args.length && args[i + 1].startsWith("design=")) {
                given = args[i + 1].substring("design=".length());
            } else if (args[i].startsWith("-pdesign=")) {
                given = args[i].substring("-pdesign=".length());
            }
        }
        if (given == null) {
            out.add("-p");
            out.add("design=" + String.join(",", DesignRegistry.names()));
        } else {
            for (String d : given.split(",", -1)) {
                if (!Targets.known(d)) {
                    throw new IllegalArgumentException("unknown design '" + d + "' in -p design=" + given + " (known: "
                            + String.join(", ", Targets.names()) + ")");
                }
            }
        }
        return out.toArray(String[]::new);
    }

    /**
     * What {@link Main} runs for {@code rlbench jmh ARGS}: one line and exit 2 for a design the
     * registry does not have, else JMH's own main (which exits by itself on its errors).
     */
    static int run(String[] args, PrintWriter err) {
        String[] all;
        try {
            all = withDesigns(args);
        } catch (IllegalArgumentException e) {
            err.println("rlbench: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        runJmh(all);
        return 0;
    }

    static void runJmh(String[] args) {
        try {
            org.openjdk.jmh.Main.main(args);
        } catch (Exception e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
    }
}
