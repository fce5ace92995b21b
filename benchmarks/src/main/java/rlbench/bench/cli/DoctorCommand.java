package rlbench.bench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import rlbench.bench.machine.CpuPinning;
import rlbench.bench.machine.Doctor;
import rlbench.bench.machine.Finding;
import rlbench.bench.machine.MachineProbe;
import rlbench.bench.machine.MachineSettings;
import rlbench.bench.output.Doc;
import rlbench.bench.output.Doc.Column;
import rlbench.bench.output.TableReporter;
import rlbench.bench.results.EnvJson;

/**
 * {@code rlbench doctor}: the settings that make benchmark numbers noisy, each ok, warn (with why
 * and how to fix it) or not exposed, after pyperf's {@code system show}. It judges this machine,
 * optionally as pinned by {@code --cpus}, or the settings a run recorded in its env.json. It only
 * advises: it exits 0 whatever it finds, and 2 for bad input.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the settings that make benchmark numbers noisy (governor, boost, SMT, huge pages, isolated CPUs, "
                + "NUMA, clocksource, load) and say how to fix each warning. Exits 0: it only advises.",
            "With RUN, judges the settings that run recorded in its env.json instead of this machine's."})
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "RUN", description = "a run folder: judge the settings its env.json recorded")
    Path run;

    @Option(names = "--cpus", paramLabel = "LIST",
            description = "judge this machine as `run --cpus LIST` would pin it (e.g. 2-3), and check the list as run does")
    String cpus;

    @Override
    public Integer call() {
        MachineSettings settings;
        String source;
        if (run != null) {
            if (cpus != null) {
                throw new UsageException("--cpus judges this machine; leave it out when reading a run's env.json");
            }
            settings = recorded(run);
            source = "Settings recorded in " + run.resolve("env.json") + " when the run started:";
        } else {
            MachineProbe probe = MachineProbe.live();
            settings = probe.probe();
            if (cpus != null) {
                try {
                    settings = settings.pinnedTo(CpuPinning.check(cpus, probe).cpus());
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage());
                }
            }
            source = "This machine's settings, read from " + (probe.root().toString().equals("/") ? "" : probe.root())
                    + "/sys and " + (probe.root().toString().equals("/") ? "" : probe.root()) + "/proc:";
        }
        List<Finding> findings = Doctor.examine(settings);
        PrintWriter out = spec.commandLine().getOut();
        out.println(source);
        out.println();
        out.print(new TableReporter().table(table(findings)));
        long warn = findings.stream().filter(f -> f.verdict() == Finding.Verdict.WARN).count();
        long hidden = findings.stream().filter(f -> f.verdict() == Finding.Verdict.NOT_EXPOSED).count();
        out.println();
        out.printf("%d ok, %d warn, %d not exposed. The doctor only advises; a run's report lists its warnings as caveats.%n",
                findings.size() - warn - hidden, warn, hidden);
        return 0;
    }

    private static MachineSettings recorded(Path run) {
        if (!Files.isDirectory(run)) {
            throw new UsageException("not a run folder: " + run);
        }
        Path file = run.resolve("env.json");
        if (!Files.exists(file)) {
            throw new UsageException(run + " has no env.json to read machine settings from");
        }
        Map<String, Object> env;
        try {
            env = EnvJson.read(file).fields();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Object machine = env.get("machine");
        if (machine == null) {
            throw new UsageException(file + " records no machine settings (the run is older than rlbench doctor)");
        }
        try {
            return MachineSettings.fromJson(machine);
        } catch (IllegalArgumentException e) {
            throw new UsageException(file + ": " + e.getMessage());
        }
    }

    /**
     * One row per setting: its verdict, name and value. A warning's why and fix follow as rows of
     * their own, in the value column under the warning, so each reads beside the setting it is
     * about. The widths are minimums: a setting name longer than its column widens only its line.
     */
    private static Doc.Table table(List<Finding> findings) {
        List<Column> columns = List.of(Column.left("verdict").atLeast(11), Column.left("setting").atLeast(23), Column.left("value"));
        List<List<String>> rows = new ArrayList<>();
        for (Finding f : findings) {
            rows.add(List.of(f.verdict().label, f.setting(), f.value()));
            if (f.verdict() == Finding.Verdict.WARN) {
                rows.add(List.of("", "", "why: " + f.why()));
                rows.add(List.of("", "", "fix: " + f.fix()));
            }
        }
        return new Doc.Table(columns, rows).withoutTextHeader();
    }
}
