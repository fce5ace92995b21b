package rlbench.bench.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code rlbench} command line. Exit codes: 0 success, 1 a failed check (violations, a
 * regression), 2 bad input. Bad input always gets one line on stderr, before anything runs.
 */
@Command(name = "rlbench",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Benchmarks of range-lock designs that order page faults against hole punch.",
        subcommands = {DesignsCommand.class, DoctorCommand.class, RunCommand.class, ReportCommand.class, CompareCommand.class, HistoryCommand.class, ExportCommand.class, StressCommand.class, JmhCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 a check failed, 2 bad input."})
public final class Main implements Runnable {

    /** Exit code for bad input, shared by every subcommand. */
    public static final int EXIT_USAGE = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("jmh")) {
            int code = JmhCommand.run(Arrays.copyOfRange(args, 1, args.length), new PrintWriter(System.err, true));
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(args, out, err));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Main::oneLineUsageError);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException) {
                err.println("rlbench: " + e.getMessage());
                return EXIT_USAGE;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new UsageException("a subcommand is required; see ./rlbench --help");
    }

    private static int oneLineUsageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message;
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && cmd.getCommandSpec().parent() == null && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown subcommand '" + u.getUnmatched().get(0) + "'";
        } else {
            message = e.getMessage().lines().findFirst().orElse("bad arguments");
        }
        String help = cmd.getCommandSpec().parent() == null ? "./rlbench --help"
                : "./rlbench " + cmd.getCommandName() + " --help";
        cmd.getErr().println("rlbench: " + message + "; see " + help);
        return EXIT_USAGE;
    }

    /** The version from the jar's manifest, or "dev" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rlbench " + (v == null ? "dev" : v)};
        }
    }
}
