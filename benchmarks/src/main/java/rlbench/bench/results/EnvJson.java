package rlbench.bench.results;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
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
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code env.json}: what a reader needs to judge a run's numbers: the CPU, cores, memory, JDK and
 * JVM flags (the launcher's, and those {@code --jvm-args} appends to every benchmark fork), OS,
 * git commit, profile and the exact command.
 *
 * <p>The fields stay a map in the order they were added, written through {@link JsonText}: a new
 * field is one {@link #put}, of any value Jackson writes (a record becomes an object), and a
 * field this version does not know, in a file from a newer one, is kept as read.
 *
 * <p>A file read back is checked field by field against what {@link #collect} writes, so a reader
 * gets a value or nothing, never a coerced one ({@code "cores": "2"} is not 0 cores). A field may
 * be missing or null (an older or hand-made run, or a value the machine did not expose); one of
 * the wrong type or out of range is bad input. The typed accessors read the checked fields.
 */
public final class EnvJson {

    /** The check of each field {@link #collect} writes, by name; any other field is kept unchecked. */
    private static final Map<String, Check> CHECKS = new LinkedHashMap<>();

    static {
        CHECKS.put("started", new Check("an ISO-8601 instant such as \"2026-03-01T10:00:00Z\"", EnvJson::isInstant));
        for (String text : List.of("profile", "command", "cpu_model", "jdk", "os", "git_commit")) {
            CHECKS.put(text, new Check("a string", v -> v instanceof String));
        }
        CHECKS.put("cores", new Check("a whole number of 1 or more",
                v -> whole(v).filter(n -> n >= 1 && n <= Integer.MAX_VALUE).isPresent()));
        for (String bytes : List.of("memory_bytes", "jvm_max_heap_bytes", "fork_max_heap_bytes")) {
            CHECKS.put(bytes, new Check("a whole number of bytes, 0 or more", v -> whole(v).filter(n -> n >= 0).isPresent()));
        }
        for (String args : List.of("jvm_flags", "fork_jvm_args")) {
            CHECKS.put(args, new Check("a list of strings",
                    v -> v instanceof List<?> l && l.stream().allMatch(String.class::isInstance)));
        }
        CHECKS.put("git_dirty", new Check("true or false", v -> v instanceof Boolean));
    }

    /** What a field must hold, said the way a message names it. */
    private record Check(String want, Predicate<Object> ok) {
    }

    private final Map<String, Object> fields;

    private EnvJson(Map<String, Object> fields) {
        this.fields = fields;
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
        env.put("cpu_model", probeCpuModel());
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
        return new EnvJson(env);
    }

    /**
     * Reads a run's {@code env.json} back. A run folder without one, as from an older or hand-made
     * run, gives an empty environment.
     *
     * @throws IllegalArgumentException with a one-line message naming the file when it is there
     *                                  but unreadable, not UTF-8 or not a JSON object, and naming
     *                                  the file and the field when a field this class knows holds
     *                                  the wrong type or a value out of range
     */
    public static EnvJson read(Path file) {
        if (!Files.exists(file)) {
            return new EnvJson(new LinkedHashMap<>());
        }
        Map<String, Object> fields = JsonText.readObject(file);
        for (Map.Entry<String, Check> c : CHECKS.entrySet()) {
            Object v = fields.get(c.getKey());
            if (v != null && !c.getValue().ok().test(v)) {
                throw new IllegalArgumentException(file + ": '" + c.getKey() + "' must be " + c.getValue().want() + ", not " + describe(v));
            }
        }
        return new EnvJson(fields);
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

    /** When the run started; empty when not recorded. */
    public Optional<Instant> started() {
        return text("started").map(Instant::parse);
    }

    /** The profile's name as recorded ({@code quick}); empty when not recorded. */
    public Optional<String> profile() {
        return text("profile");
    }

    /** The command line that started the run; empty when not recorded. */
    public Optional<String> command() {
        return text("command");
    }

    public Optional<String> cpuModel() {
        return text("cpu_model");
    }

    /** The cores the launcher's JVM saw; empty when not recorded. */
    public OptionalInt cores() {
        return fields.get("cores") instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
    }

    /** The machine's memory; empty when not recorded (or not exposed). */
    public OptionalLong memoryBytes() {
        return bytes("memory_bytes");
    }

    /** The launcher JVM's maximum heap; empty when not recorded. */
    public OptionalLong jvmMaxHeapBytes() {
        return bytes("jvm_max_heap_bytes");
    }

    /** The benchmark forks' maximum heap; empty when not recorded. */
    public OptionalLong forkMaxHeapBytes() {
        return bytes("fork_max_heap_bytes");
    }

    public Optional<String> jdk() {
        return text("jdk");
    }

    /** The launcher JVM's flags; empty when none or not recorded. */
    public List<String> jvmFlags() {
        return strings("jvm_flags");
    }

    /** What {@code --jvm-args} appended to every benchmark fork; empty when none or not recorded. */
    public List<String> forkJvmArgs() {
        return strings("fork_jvm_args");
    }

    public Optional<String> os() {
        return text("os");
    }

    /** The commit measured; empty when not recorded (no git, or not a repository). */
    public Optional<String> gitCommit() {
        return text("git_commit");
    }

    /** Whether the run recorded uncommitted changes: false when clean or not recorded. */
    public boolean gitDirty() {
        return Boolean.TRUE.equals(fields.get("git_dirty"));
    }

    private Optional<String> text(String field) {
        return fields.get(field) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private OptionalLong bytes(String field) {
        return fields.get(field) instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    private List<String> strings(String field) {
        return fields.get(field) instanceof List<?> l ? l.stream().map(String.class::cast).toList() : List.of();
    }

    private static boolean isInstant(Object v) {
        if (!(v instanceof String s)) {
            return false;
        }
        try {
            Instant.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** The value as a long when it is a whole number a long holds ({@code 2}, {@code 2.0}); empty otherwise. */
    private static Optional<Long> whole(Object v) {
        if (!(v instanceof Number n)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(n.toString()).longValueExact());
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A field's value for a message, on one line: a string quoted, a number or boolean as written, a container by kind. */
    private static String describe(Object v) {
        if (v instanceof String s) {
            String quoted = JsonText.write(s).strip();
            return "the string " + (quoted.length() > 80 ? quoted.substring(0, 77) + "...\"" : quoted);
        }
        if (v instanceof Number n) {
            return JsonText.number(n);
        }
        if (v instanceof List<?> l) {
            for (Object item : l) {
                if (!(item instanceof String)) {
                    return "a list holding " + describe(item);
                }
            }
            return "a list";
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        return String.valueOf(v);
    }

    /** The JSON text, as {@link #write} writes it. */
    public String text() {
        return JsonText.write(fields);
    }

    /** Writes the file whole or not at all (through a temporary file renamed over it). */
    public void write(Path file) throws IOException {
        StagedOutputs.writeFile(file, text());
    }

    private static String probeCpuModel() {
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
