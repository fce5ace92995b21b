package rlbench.bench.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rlbench jmh ARGS...}: JMH's own command line over the benchmarks in this jar, for
 * anything the {@code run} profiles do not cover ({@code ./rlbench jmh -h} lists its options).
 * {@link Main} hands the arguments to JMH untouched before picocli sees them; this class exists so
 * that {@code --help} lists the subcommand.
 */
@Command(name = "jmh", description = "Run JMH's own command line over the suite's benchmarks (./rlbench jmh -h).")
final class JmhCommand implements Runnable {

    @Parameters(paramLabel = "ARGS", description = "passed to JMH unchanged")
    List<String> args = List.of();

    @Override
    public void run() {
        runJmh(args.toArray(String[]::new));
    }

    static void runJmh(String[] args) {
        try {
            org.openjdk.jmh.Main.main(args);
        } catch (Exception e) {
            throw new IllegalStateException("JMH failed: " + e.getMessage(), e);
        }
    }
}
