package rlbench.bench.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import rlbench.bench.machine.CpuList;
import rlbench.bench.results.EnvJson;
import rlbench.bench.results.ResultsTable;
import rlbench.bench.results.Row;
import rlbench.bench.results.RunFolder;
import rlbench.bench.run.Workload;
import rlbench.locks.DesignRegistry;

/**
 * One run folder read for a report: its rows grouped by what was measured (workload, op and
 * parameters other than threads), and its {@code env.json}. Designs come in registry order and
 * workloads in suite order, so every table and plot lists them the same way.
 */
final class RunData {

    /** Every row of one workload, op and parameter set: design to threads to metric to value. */
    static final class Group {
        final String workload;
        final String op;
        final Map<String, String> params;
        final Map<String, TreeMap<Integer, Map<String, Row>>> byDesign = new TreeMap<>(DESIGN_ORDER);

        Group(String workload, String op, Map<String, String> params) {
            this.workload = workload;
            this.op = op;
            this.params = params;
        }

        List<String> designs() {
            return new ArrayList<>(byDesign.keySet());
        }

        /** Every thread count any design ran at, ascending. */
        List<Integer> threads() {
            Set<Integer> all = new TreeSet<>();
            byDesign.values().forEach(t -> all.addAll(t.keySet()));
            return new ArrayList<>(all);
        }

        /** The value, or null when this design did not record it at this thread count. */
        Row value(String design, int threads, String metric) {
            Map<Integer, Map<String, Row>> t = byDesign.get(design);
            Map<String, Row> m = t == null ? null : t.get(threads);
            return m == null ? null : m.get(metric);
        }

        boolean hasLatency() {
            return hasMetric("p50_ns");
        }

        boolean hasMetric(String metric) {
            return byDesign.values().stream().flatMap(t -> t.values().stream()).anyMatch(m -> m.containsKey(metric));
        }
    }

    /** Designs in registry order (the unsafe floor first), then any others by name. */
    static final Comparator<String> DESIGN_ORDER = Comparator
            .comparingInt((String d) -> {
                int i = DesignRegistry.names().indexOf(d);
                return i < 0 ? Integer.MAX_VALUE : i;
            })
            .thenComparing(Comparator.naturalOrder());

    /** Workloads in the suite's order, then any others by name. */
    static final Comparator<String> WORKLOAD_ORDER = Comparator
            .comparingInt((String w) -> {
                for (Workload k : Workload.values()) {
                    if (k.name().equalsIgnoreCase(w)) {
                        return k.ordinal();
                    }
                }
                return Integer.MAX_VALUE;
            })
            .thenComparing(Comparator.naturalOrder());

    /** Parameter sets by name, then value, numbers by size: punchPages=64 before 262144. */
    static final Comparator<Map<String, String>> PARAMS_ORDER = (a, b) -> {
        List<Map.Entry<String, String>> x = new ArrayList<>(new TreeMap<>(a).entrySet());
        List<Map.Entry<String, String>> y = new ArrayList<>(new TreeMap<>(b).entrySet());
        for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
            int c = x.get(i).getKey().compareTo(y.get(i).getKey());
            if (c == 0) {
                c = compareValues(x.get(i).getValue(), y.get(i).getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.size(), y.size());
    };

    final RunFolder folder;
    final Path dir;
    final String runId;
    /** The run's env.json, its fields checked as it was read. */
    final EnvJson envJson;
    /** The same fields by name, as written. */
    final Map<String, Object> env;
    final List<Group> groups;
    /** The per-round rows of a run of 2 or more rounds, by the aggregate's key; empty otherwise. */
    private final Map<Row.Key, SortedMap<Integer, Row>> rounds;

    private RunData(RunFolder folder, EnvJson envJson, List<Group> groups, Map<Row.Key, SortedMap<Integer, Row>> rounds) {
        this.folder = folder;
        this.dir = folder.dir();
        this.runId = folder.name();
        this.envJson = envJson;
        this.env = envJson.fields();
        this.groups = groups;
        this.rounds = rounds;
    }

    /** Whether the run has per-round rows: 2 or more rounds. */
    boolean hasRounds() {
        return !rounds.isEmpty();
    }

    /** The rounds' rows of this aggregate row, by round; null when the run has none for it. */
    SortedMap<Integer, Row> rounds(Row aggregate) {
        return rounds.get(aggregate.key());
    }

    /**
     * Reads a run folder.
     *
     * @throws IllegalArgumentException with one line: no folder, no results.csv, a malformed row
     *                                  or env.json
     */
    static RunData load(Path dir) {
        RunFolder folder = RunFolder.open(dir);
        ResultsTable table = folder.results();
        EnvJson env = folder.env();
        Map<String, Group> byKey = new LinkedHashMap<>();
        for (Map.Entry<Row.Key, Row> e : table.rows().entrySet()) {
            Row.Key k = e.getKey();
            String id = k.workload() + "\u0000" + k.op() + "\u0000" + k.params();
            Group g = byKey.computeIfAbsent(id, x -> new Group(k.workload(), k.op(), k.params()));
            g.byDesign.computeIfAbsent(k.design(), d -> new TreeMap<>())
                    .computeIfAbsent(k.threads(), t -> new LinkedHashMap<>())
                    .put(k.metric(), e.getValue());
        }
        List<Group> groups = new ArrayList<>(byKey.values());
        groups.sort(Comparator.comparing((Group g) -> g.workload, WORKLOAD_ORDER)
                .thenComparing((Group g) -> !g.op.equals(g.workload)) // the workload's own op first
                .thenComparing(g -> g.op)
                .thenComparing(g -> g.params, PARAMS_ORDER));
        return new RunData(folder, env, groups, table.rounds());
    }

    List<String> workloads() {
        List<String> out = new ArrayList<>();
        groups.stream().map(g -> g.workload).distinct().forEach(out::add);
        return out;
    }

    List<Group> groups(String workload) {
        return groups.stream().filter(g -> g.workload.equals(workload)).toList();
    }

    /** Parameters with one value across every group of the workload: said once, not in every title. */
    Map<String, String> constantParams(String workload) {
        List<Group> gs = groups(workload);
        Map<String, String> out = new TreeMap<>(gs.get(0).params);
        for (Group g : gs) {
            out.entrySet().removeIf(e -> !e.getValue().equals(g.params.get(e.getKey())));
        }
        return out;
    }

    /** The group's parameters that vary within its workload. */
    Map<String, String> varyingParams(Group g) {
        Map<String, String> out = new TreeMap<>(g.params);
        out.keySet().removeAll(constantParams(g.workload).keySet());
        return out;
    }

    /** Every design that appears anywhere in the run, in design order. */
    List<String> designs() {
        Set<String> all = new TreeSet<>(DESIGN_ORDER);
        groups.forEach(g -> all.addAll(g.byDesign.keySet()));
        return new ArrayList<>(all);
    }

    /** The machine's core count from env.json, or 0 when not recorded. */
    int cores() {
        return envJson.cores().orElse(0);
    }

    /**
     * The CPUs the benchmark JVMs could run on: those of {@code run --cpus} when the run was
     * pinned, else the machine's cores; 0 when unknown.
     */
    int benchmarkCpus() {
        return pinnedCpus().map(CpuList::size).orElse(cores());
    }

    /** The run's {@code --cpus}, from env.json's machine settings; empty when it was not pinned. */
    Optional<CpuList> pinnedCpus() {
        if (env.get("machine") instanceof Map<?, ?> m && m.get("pinned_cpus") instanceof String list) {
            try {
                return Optional.of(CpuList.parse(list));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    String env(String field) {
        Object v = env.get(field);
        return v == null ? "" : String.valueOf(v);
    }

    private static int compareValues(String a, String b) {
        try {
            return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return a.compareTo(b);
        }
    }
}
