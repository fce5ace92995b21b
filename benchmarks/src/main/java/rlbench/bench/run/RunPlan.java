package rlbench.bench.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Expands a run's choices into single benchmarks: one JMH invocation per workload variant,
 * design, thread count and combination of parameter values. Each parameter takes the values the
 * user gave with {@code -p}, else the profile's, else the benchmark's own {@code @Param} defaults.
 * A single-threaded workload ({@link Workload#singleThreaded}) is planned at 1 thread only,
 * whatever thread counts were asked for.
 */
public final class RunPlan {

    /** The design column of benchmarks that measure the machine, not a design. */
    public static final String MACHINE = "machine";

    /** One JMH invocation. {@code params} holds one value per parameter, {@code design} excluded. */
    public record Spec(Workload workload, Workload.Variant variant, String design, int threads, Map<String, String> params) {
        /** Parameters as recorded in results: the benchmark's plus {@code puncher}. */
        public Map<String, String> recordedParams() {
            Map<String, String> p = new TreeMap<>(params);
            p.put(Workload.PUNCHER_PARAM, variant.puncher());
            return p;
        }
    }

    private final List<Spec> specs;
    private final List<String> paramColumns;

    private RunPlan(List<Spec> specs, List<String> paramColumns) {
        this.specs = specs;
        this.paramColumns = paramColumns;
    }

    public List<Spec> specs() {
        return specs;
    }

    /** Every parameter any benchmark of the plan has, sorted, plus {@code puncher}. */
    public List<String> paramColumns() {
        return paramColumns;
    }

    /**
     * @throws IllegalArgumentException naming the parameter when a {@code -p} name belongs to none
     *         of the chosen workloads
     */
    public static RunPlan expand(Profile profile, List<String> designs, List<Workload> workloads, List<Integer> threads,
                                 Map<String, List<String>> userParams) {
        List<Spec> specs = new ArrayList<>();
        TreeSet<String> columns = new TreeSet<>(List.of(Workload.PUNCHER_PARAM));
        TreeSet<String> known = new TreeSet<>();
        for (Workload w : workloads) {
            for (Workload.Variant v : w.variants()) {
                Map<String, List<String>> declared = new TreeMap<>(v.defaults());
                known.addAll(declared.keySet());
                columns.addAll(declared.keySet());
                Map<String, List<String>> values = new LinkedHashMap<>();
                for (Map.Entry<String, List<String>> e : declared.entrySet()) {
                    String name = e.getKey();
                    List<String> fromProfile = profile.values(w, name);
                    List<String> chosen = userParams.getOrDefault(name, fromProfile != null ? fromProfile : e.getValue());
                    values.put(name, chosen);
                }
                List<Map<String, String>> combos = crossProduct(values);
                for (String design : w.perDesign() ? designs : List.of(MACHINE)) {
                    for (Map<String, String> combo : combos) {
                        for (int t : w.threads(threads)) {
                            specs.add(new Spec(w, v, design, t, combo));
                        }
                    }
                }
            }
        }
        for (String name : userParams.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("parameter '" + name + "' belongs to none of the chosen workloads (known: "
                        + String.join(", ", known) + ")");
            }
        }
        return new RunPlan(List.copyOf(specs), List.copyOf(columns));
    }

    private static List<Map<String, String>> crossProduct(Map<String, List<String>> values) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new TreeMap<>());
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new TreeMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }
}
