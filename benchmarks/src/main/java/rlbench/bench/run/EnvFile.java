package rlbench.bench.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code env.json}: what a reader needs to judge a run's numbers: the CPU, cores, memory, JDK and
 * JVM flags (the launcher's, and those {@code --jvm-args} appends to every benchmark fork), OS,
 * git commit, profile and the exact command.
 */
public final class EnvFile {

    private EnvFile() {
    }

    /** Writes {@code env.json} for a run; {@code machine}: the probed machine settings as JSON values. */
    public static void write(Path file, Profile profile, List<String> command, Path repo, ForkJvm forks, Map<String, Object> machine) throws IOException {
        Files.writeString(file, Json.write(collect(profile, command, repo, forks, machine)));
    }

    /**
     * Reads a run's {@code env.json} back: field name to value (strings, {@code Double}s, booleans,
     * lists). A run folder without one, as from an older or hand-made run, gives an empty map.
     *
     * @throws IllegalArgumentException with a one-line message when the file is there but not JSON
     */
    public static Map<String, Object> read(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            Object v = Json.parse(Files.readString(file));
            if (!(v instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), x));
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    static Map<String, Object> collect(Profile profile, List<String> command, Path repo, ForkJvm forks, Map<String, Object> machine) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("started", Instant.now().toString());
        env.put("profile", profile.lowerName());
        env.put("command", String.join(" ", command));
        env.put("cpu_model", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("memory_bytes", memTotalBytes());
        env.put("jvm_max_heap_bytes", Runtime.getRuntime().maxMemory());
        env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        env.put("jvm_flags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        env.put("fork_jvm_args", forks.args());
        env.put("fork_max_heap_bytes", forks.maxHeapBytes());
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("git_commit", git(repo, "rev-parse", "HEAD"));
        String status = git(repo, "status", "--porcelain", "--untracked-files=no");
        env.put("git_dirty", status == null ? null : !status.isEmpty());
        env.put("machine", machine);
        return env;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static Long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }

    /** Output of a git command in {@code repo}, trimmed, or null when git or the repository is missing. */
    private static String git(Path repo, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
