package rlbench.bench.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static final int SETTING_WIDTH = 24;
    private static final int VERDICT_WIDTH = 12;

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
        for (Finding f : findings) {
            out.println(pad(f.verdict().label, VERDICT_WIDTH) + pad(f.setting(), SETTING_WIDTH) + f.value());
            if (f.verdict() == Finding.Verdict.WARN) {
                String indent = " ".repeat(VERDICT_WIDTH + SETTING_WIDTH);
                out.println(indent + "why: " + f.why());
                out.println(indent + "fix: " + f.fix());
            }
        }
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

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
