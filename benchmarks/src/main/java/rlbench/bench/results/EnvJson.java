package rlbench.bench.results;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code env.json}: what a reader needs to judge a run's numbers: the CPU, cores, memory, JDK and
 * JVM flags (the launcher's, and those {@code --jvm-args} appends to every benchmark fork), OS,
 * git commit, profile and the exact command.
 *
 * <p>The fields stay a map in the order they were added, written through {@link JsonText}: a new
 * field is one {@link #put}, of any value Jackson writes (a record becomes an object), and a
 * field this version does not know, in a file from a newer one, is kept as read.
 */
public final class EnvJson {

    private final Map<String, Object> fields;
    /** The file it was read from, for messages; null when collected. */
    private final Path source;

    private EnvJson(Map<String, Object> fields, Path source) {
        this.fields = fields;
        this.source = source;
    }

    /**
     * The environment of a run starting now.
     *
     * @param profile          the profile's name
     * @param command          the command line, one argument an item
     * @param repo             the repository, for its commit
     * @param forkJvmArgs      what {@code --jvm-args} appends to every benchmark fork
     * @param forkMaxHeapBytes the forks' maximum heap
     */
    public static EnvJson collect(String profile, List<String> command, Path repo, List<String> forkJvmArgs, long forkMaxHeapBytes) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("started", Instant.now().toString());
        env.put("profile", profile);
        env.put("command", String.join(" ", command));
        env.put("cpu_model", cpuModel());
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("memory_bytes", memTotalBytes());
        env.put("jvm_max_heap_bytes", Runtime.getRuntime().maxMemory());
        env.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")");
        env.put("jvm_flags", ManagementFactory.getRuntimeMXBean().getInputArguments());
        env.put("fork_jvm_args", List.copyOf(forkJvmArgs));
        env.put("fork_max_heap_bytes", forkMaxHeapBytes);
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        env.put("git_commit", git(repo, "rev-parse", "HEAD"));
        String status = git(repo, "status", "--porcelain", "--untracked-files=no");
        env.put("git_dirty", status == null ? null : !status.isEmpty());
        return new EnvJson(env, null);
    }

    /**
     * Reads a run's {@code env.json} back. A run folder without one, as from an older or hand-made
     * run, gives an empty environment.
     *
     * @throws IllegalArgumentException with a one-line message naming the file when it is there
     *                                  but unreadable, not UTF-8 or not a JSON object
     */
    public static EnvJson read(Path file) {
        if (!Files.exists(file)) {
            return new EnvJson(new LinkedHashMap<>(), file);
        }
        return new EnvJson(JsonText.readObject(file), file);
    }

    /** Adds (or replaces) a field; it is written after the fields already there. */
    public EnvJson put(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    /** Every field by name, in file order: strings, numbers, booleans, null, lists and maps. */
    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /**
     * The {@code started} time; empty when the field is missing.
     *
     * @throws IllegalArgumentException naming the file when the field is there but not a time
     */
    public Optional<Instant> started() {
        Object started = fields.get("started");
        if (started == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(String.valueOf(started)));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException((source == null ? "env.json" : source) + ": 'started' is not a time: '" + started + "'");
        }
    }

    /** The JSON text, as {@link #write} writes it. */
    public String text() {
        return JsonText.write(fields);
    }

    /** Writes the file whole or not at all (through a temporary file renamed over it). */
    public void write(Path file) throws IOException {
        StagedOutputs.writeFile(file, text());
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
        List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
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
