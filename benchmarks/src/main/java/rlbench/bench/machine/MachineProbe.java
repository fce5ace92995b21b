package rlbench.bench.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the settings that make a Linux box noisy from {@code /sys} and {@code /proc} under a root
 * folder: {@code /} on a live machine, a copied or hand-made tree in tests. What a file does not
 * say (it is missing, unreadable or empty where a value belongs) is null: not exposed. Never
 * fails; on a machine that is not Linux every setting is not exposed.
 */
public final class MachineProbe {

    /** A system property that points the probe at another root, as tests do for a whole command. */
    public static final String ROOT_PROPERTY = "rlbench.machine.root";

    static final String CPU = "sys/devices/system/cpu/";
    private static final Pattern CPU_DIR = Pattern.compile("cpu([0-9]{1,7})");
    private static final Pattern NODE_DIR = Pattern.compile("node([0-9]{1,7})");
    private static final Pattern CHOSEN = Pattern.compile("\\[([^\\]]+)\\]");

    private final Path root;

    public MachineProbe(Path root) {
        this.root = root;
    }

    /** The probe of this machine, or of the tree {@value #ROOT_PROPERTY} names. */
    public static MachineProbe live() {
        String r = System.getProperty(ROOT_PROPERTY);
        return new MachineProbe(Path.of(r == null || r.isBlank() ? "/" : r));
    }

    public Path root() {
        return root;
    }

    /** Every setting, read now. */
    public MachineSettings probe() {
        CpuList online = cpus(CPU + "online");
        List<Integer> cpuNumbers = online != null ? online.numbers() : cpuDirs();
        String[] boost = boost();
        return new MachineSettings(
                online == null ? null : online.toString(),
                null,
                read(CPU + "cpu" + first(cpuNumbers) + "/cpufreq/scaling_driver"),
                read(CPU + "amd_pstate/status"),
                governors(cpuNumbers),
                boost == null ? null : "1".equals(boost[0]),
                boost == null ? null : boost[1],
                smtActive(cpuNumbers),
                siblings(cpuNumbers),
                chosen("sys/kernel/mm/transparent_hugepage/enabled"),
                chosen("sys/kernel/mm/transparent_hugepage/defrag"),
                cpuListText(CPU + "isolated"),
                cpuListText(CPU + "nohz_full"),
                numaNodes(),
                read("sys/devices/system/clocksource/clocksource0/current_clocksource"),
                read("sys/devices/system/clocksource/clocksource0/available_clocksource"),
                read("proc/cmdline"),
                loadAverage());
    }

    /** The CPUs that exist: {@code present}, else {@code possible}; null when neither is exposed. */
    CpuList presentCpus() {
        CpuList p = cpus(CPU + "present");
        return p != null ? p : cpus(CPU + "possible");
    }

    /** The online CPUs; null when not exposed. */
    CpuList onlineCpus() {
        return cpus(CPU + "online");
    }

    /** The CPUs this process may run on ({@code Cpus_allowed_list}: its affinity and cgroup cpuset); null when not exposed. */
    CpuList allowedCpus() {
        String status = readAll("proc/self/status");
        if (status == null) {
            return null;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return parseOrNull(line.substring(line.indexOf(':') + 1));
            }
        }
        return null;
    }

    /** {@code name} in the first folder of {@code PATH} that has it as a regular executable file, under the root. */
    Path onPath(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null || path.isBlank() ? "/usr/bin:/bin" : path).split(":")) {
            if (dir.isBlank()) {
                continue;
            }
            Path p = under(dir).resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private Path under(String absolute) {
        String rel = absolute.replaceFirst("^/+", "");
        return rel.isEmpty() ? root : root.resolve(rel);
    }

    /** Groups CPUs by governor: {@code {"performance": "0-3", "powersave": "4-7"}}, governors in name order. */
    private Map<String, String> governors(List<Integer> cpuNumbers) {
        Map<String, List<Integer>> byGovernor = new TreeMap<>();
        for (int cpu : cpuNumbers) {
            String g = read(CPU + "cpu" + cpu + "/cpufreq/scaling_governor");
            if (g != null) {
                byGovernor.computeIfAbsent(g, x -> new ArrayList<>()).add(cpu);
            }
        }
        if (byGovernor.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        byGovernor.forEach((g, list) -> out.put(g, list(list)));
        return out;
    }

    /**
     * Boost as {"1" or "0" for on or off, the file}: intel_pstate's {@code no_turbo} (inverted),
     * else cpufreq's global {@code boost} (acpi-cpufreq, older amd-pstate), else the per-policy
     * {@code boost} files of newer kernels (amd-pstate), on when any policy has it on.
     */
    private String[] boost() {
        String noTurbo = read(CPU + "intel_pstate/no_turbo");
        if ("0".equals(noTurbo) || "1".equals(noTurbo)) {
            return new String[] {"0".equals(noTurbo) ? "1" : "0", "/" + CPU + "intel_pstate/no_turbo"};
        }
        String global = read(CPU + "cpufreq/boost");
        if ("0".equals(global) || "1".equals(global)) {
            return new String[] {global, "/" + CPU + "cpufreq/boost"};
        }
        Set<String> states = new LinkedHashSet<>();
        for (String policy : list(CPU + "cpufreq", Pattern.compile("policy[0-9]{1,7}"))) {
            String v = read(CPU + "cpufreq/" + policy + "/boost");
            if ("0".equals(v) || "1".equals(v)) {
                states.add(v);
            }
        }
        if (states.isEmpty()) {
            return null;
        }
        return new String[] {states.contains("1") ? "1" : "0", "/" + CPU + "cpufreq/policy*/boost"};
    }

    /** {@code smt/active}, else whether any core lists two threads; null when neither is exposed. */
    private Boolean smtActive(List<Integer> cpuNumbers) {
        String active = read(CPU + "smt/active");
        if ("0".equals(active) || "1".equals(active)) {
            return "1".equals(active);
        }
        List<String> s = siblings(cpuNumbers);
        return s == null ? null : !s.isEmpty();
    }

    /** Each core's thread list where a core has more than one, in order of its first CPU; null when topology is not exposed. */
    private List<String> siblings(List<Integer> cpuNumbers) {
        Set<String> groups = new LinkedHashSet<>();
        boolean exposed = false;
        for (int cpu : cpuNumbers) {
            CpuList s = cpus(CPU + "cpu" + cpu + "/topology/thread_siblings_list");
            if (s != null) {
                exposed = true;
                if (s.size() > 1) {
                    groups.add(s.toString());
                }
            }
        }
        return exposed ? List.copyOf(groups) : null;
    }

    private Map<String, String> numaNodes() {
        CpuList online = cpus("sys/devices/system/node/online");
        List<Integer> nodes = online != null ? online.numbers()
                : list("sys/devices/system/node", NODE_DIR).stream().map(n -> Integer.parseInt(n.substring(4))).sorted().toList();
        Map<String, String> out = new LinkedHashMap<>();
        for (int n : nodes) {
            CpuList c = cpus("sys/devices/system/node/node" + n + "/cpulist");
            out.put(String.valueOf(n), c == null ? "" : c.toString());
        }
        return out.isEmpty() ? null : out;
    }

    private List<Double> loadAverage() {
        String l = read("proc/loadavg");
        if (l == null) {
            return null;
        }
        String[] f = l.trim().split("\\s+");
        try {
            return f.length < 3 ? null : List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The bracketed choice of a sysfs selector such as {@code always [madvise] never}. */
    private String chosen(String file) {
        String v = read(file);
        if (v == null) {
            return null;
        }
        Matcher m = CHOSEN.matcher(v);
        return m.find() ? m.group(1) : v;
    }

    /**
     * A CPU list file as canonical text, empty for none. The kernel writes {@code (null)} in
     * {@code nohz_full} when the boot did not ask for it.
     */
    private String cpuListText(String file) {
        String v = readAll(file);
        if (v == null) {
            return null;
        }
        v = v.trim();
        if (v.isEmpty() || v.equals("(null)")) {
            return "";
        }
        CpuList c = parseOrNull(v);
        return c == null ? null : c.toString();
    }

    private CpuList cpus(String file) {
        String v = read(file);
        return v == null ? null : parseOrNull(v);
    }

    private static CpuList parseOrNull(String text) {
        try {
            return CpuList.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private List<Integer> cpuDirs() {
        return list(CPU, CPU_DIR).stream().map(n -> Integer.parseInt(n.substring(3))).sorted().toList();
    }

    private List<String> list(String dir, Pattern names) {
        try (Stream<Path> s = Files.list(under(dir))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> names.matcher(n).matches()).sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String list(List<Integer> cpus) {
        return CpuList.parse(cpus.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElse("")).toString();
    }

    private static int first(List<Integer> cpus) {
        return cpus.isEmpty() ? 0 : cpus.get(0);
    }

    /** The file's first line, trimmed; null when it is missing, unreadable or blank. */
    String read(String file) {
        String all = readAll(file);
        if (all == null) {
            return null;
        }
        String line = all.lines().findFirst().orElse("").trim();
        return line.isEmpty() ? null : line;
    }

    private String readAll(String file) {
        try {
            return new String(Files.readAllBytes(under(file)), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
