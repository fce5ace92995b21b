package rlbench.bench.run;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM every benchmark is forked into: the options {@code --jvm-args} appends to JMH's fork
 * command line (JMH's {@code jvmArgsAppend}), checked before anything runs, and the memory limits
 * the forks will have. A fork inherits the launcher's own JVM options (JMH's default), so without
 * {@code -Xmx} among the appended ones its heap is the launcher's, and its direct-memory limit is
 * its heap unless {@code -XX:MaxDirectMemorySize} says otherwise, as in HotSpot.
 *
 * @param args           the appended options, in order
 * @param maxHeapBytes   the forks' maximum heap
 * @param heapSource     where that limit comes from, for messages
 * @param maxDirectBytes the forks' maximum direct memory
 * @param directSource   where that limit comes from, for messages
 */
public record ForkJvm(List<String> args, long maxHeapBytes, String heapSource, long maxDirectBytes, String directSource) {

    private static final Pattern SIZE = Pattern.compile("([0-9]+)([kKmMgGtT]?)");
    private static final String MAX_DIRECT = "-XX:MaxDirectMemorySize=";

    /** No options appended: the forks get what the launcher has. */
    public static ForkJvm inherited() {
        return parse(null);
    }

    /**
     * Checks {@code jvmArgs} ({@code --jvm-args}, split at white space; null when not given)
     * together with the launcher's own options, which the forks inherit.
     *
     * @throws IllegalArgumentException with one line naming the bad option
     */
    public static ForkJvm parse(String jvmArgs) {
        return parse(jvmArgs, ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.getRuntime().maxMemory());
    }

    static ForkJvm parse(String jvmArgs, List<String> launcherArgs, long launcherMaxHeap) {
        List<String> args = new ArrayList<>();
        if (jvmArgs != null) {
            if (jvmArgs.isBlank()) {
                throw new IllegalArgumentException("--jvm-args is empty; give JVM options such as --jvm-args \"-Xmx2g\", or leave it out");
            }
            for (String token : jvmArgs.trim().split("\\s+")) {
                if (!token.startsWith("-")) {
                    throw new IllegalArgumentException("--jvm-args: '" + token + "' is not a JVM option (options start with '-'): '"
                            + jvmArgs + "'");
                }
                args.add(token);
            }
        }
        Long xmx = lastSize(args, "-Xmx", "--jvm-args");
        Long xms = lastSize(args, "-Xms", "--jvm-args");
        Long direct = lastSize(args, MAX_DIRECT, "--jvm-args");
        Long launcherXmx = lastSize(launcherArgs, "-Xmx", "the launcher's JVM options");
        Long launcherDirect = lastSize(launcherArgs, MAX_DIRECT, "the launcher's JVM options");
        Long effectiveXmx = xmx != null ? xmx : launcherXmx;
        if (xms != null && effectiveXmx != null && xms > effectiveXmx) {
            throw new IllegalArgumentException("--jvm-args: -Xms" + sizeArg(args, "-Xms") + " is larger than the maximum heap -Xmx"
                    + (xmx != null ? sizeArg(args, "-Xmx") : sizeArg(launcherArgs, "-Xmx") + " (the launcher's, which the forks inherit)")
                    + "; the JVM would not start");
        }
        long heap;
        String heapSource;
        if (xmx != null) {
            heap = xmx;
            heapSource = "--jvm-args -Xmx" + sizeArg(args, "-Xmx");
        } else if (xms != null && xms > launcherMaxHeap && launcherXmx == null) {
            heap = xms; // HotSpot raises a default maximum heap to an initial heap above it
            heapSource = "--jvm-args -Xms" + sizeArg(args, "-Xms");
        } else {
            heap = launcherMaxHeap;
            heapSource = "the launcher's maximum heap, which forks inherit; set one with --jvm-args -Xmx...";
        }
        long maxDirect;
        String directSource;
        if (direct != null || launcherDirect != null) {
            maxDirect = direct != null ? direct : launcherDirect;
            directSource = direct != null ? "--jvm-args " + MAX_DIRECT + sizeArg(args, MAX_DIRECT)
                    : "the launcher's " + MAX_DIRECT + sizeArg(launcherArgs, MAX_DIRECT);
        } else {
            maxDirect = heap;
            directSource = "by default the maximum heap";
        }
        return new ForkJvm(List.copyOf(args), heap, heapSource, maxDirect, directSource);
    }

    /**
     * Starts {@code java <args> -version} with the JVM JMH forks (this one's {@code java.home}), so
     * an option the JVM rejects (a misspelt {@code -XX} flag, a bad size) is found before the
     * first benchmark, not once per benchmark.
     *
     * @throws IllegalArgumentException with the JVM's own first complaint
     */
    public void probe() {
        if (args.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        cmd.add("-version");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException("--jvm-args: java " + String.join(" ", args) + " -version did not finish in 30 s");
            }
            if (p.exitValue() != 0) {
                String why = output.lines().map(String::trim)
                        .filter(l -> !l.isEmpty() && !l.startsWith("Error: Could not create") && !l.startsWith("Error: A fatal exception"))
                        .findFirst().orElse("exit code " + p.exitValue());
                throw new IllegalArgumentException("--jvm-args: the JVM does not start with '" + String.join(" ", args) + "': " + why);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--jvm-args: cannot start " + cmd.get(0) + " to check them: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("--jvm-args: interrupted while checking them");
        }
    }

    /** A byte count as the report and messages print it: "2.0 GiB", "512 MiB". */
    public static String bytes(long b) {
        if (b >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MiB", Math.ceil(b / (double) (1L << 20)));
    }

    /** The JVM's size syntax: digits and an optional k, m, g or t (either case). */
    static long parseSize(String text, String option, String where) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(where + ": " + option + text + " is not a size (want e.g. " + option + "2g or "
                    + option + "512m)");
        }
        long shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            if (n == 0) {
                throw new IllegalArgumentException(where + ": " + option + text + " is zero");
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": " + option + text + " is too large");
        }
    }

    /** The value of the last {@code option<size>} in {@code args} (the one the JVM obeys), or null. */
    private static Long lastSize(List<String> args, String option, String where) {
        Long v = null;
        for (String a : args) {
            if (a.startsWith(option)) {
                v = parseSize(a.substring(option.length()), option, where);
            }
        }
        return v;
    }

    private static String sizeArg(List<String> args, String option) {
        String v = null;
        for (String a : args) {
            if (a.startsWith(option)) {
                v = a.substring(option.length());
            }
        }
        return v;
    }
}
