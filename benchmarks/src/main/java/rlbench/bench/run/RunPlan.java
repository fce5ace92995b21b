package rlbench.bench.run;

import rlbench.bench.targets.KernelFs;
import rlbench.bench.targets.Targets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Expands a run's choices into single benchmarks: one JMH invocation per workload variant,
 * design, thread count and combination of parameter values. Each parameter takes the values the
 * user gave with {@code -p}, else the profile's, else the benchmark's own {@code @Param} defaults.
 * A single-threaded workload ({@link Workload#singleThreaded}) is planned at 1 thread only,
 * whatever thread counts were asked for. A profile's {@link Profile.Case}s are planned beside
 * the crossed matrix, for every design and thread count, unless a {@code -p} names one of the
 * parameters the case sets (the user has taken that shape over); a case that repeats a planned
 * benchmark is planned once.
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
        LinkedHashSet<Spec> specs = new LinkedHashSet<>();
        TreeSet<String> columns = new TreeSet<>(List.of(Workload.PUNCHER_PARAM));
        TreeSet<String> known = new TreeSet<>();
        for (Workload w : workloads) {
            List<String> punchers = profile.values(w, Workload.PUNCHER_PARAM);
            for (Workload.Variant v : w.variants()) {
                if (punchers != null && !punchers.contains(v.puncher())) {
                    continue; // the profile leaves this variant out (smoke runs no puncher groups)
                }
                known.addAll(v.defaults().keySet());
                columns.addAll(v.defaults().keySet());
                add(specs, w, v, designs, threads, values(profile, w, v, Map.of(), userParams));
            }
        }
        for (Profile.Case c : profile.cases) {
            if (!workloads.contains(c.workload()) || c.values().keySet().stream().anyMatch(userParams::containsKey)) {
                continue; // a workload left out, or a shape the user took over with -p
            }
            Workload.Variant v = c.workload().variants().stream().filter(x -> x.method().equals(c.variant())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("profile case names no benchmark of " + c.workload() + ": " + c.variant()));
            if (c.calibration()) {
                // only beside the linux target, for the designs it is calibrated against, at 1 thread
                if (!designs.contains(Targets.LINUX)) {
                    continue;
                }
                List<String> calibrated = designs.stream().filter(Profile.Case.CALIBRATION_DESIGNS::contains).toList();
                add(specs, c.workload(), v, calibrated, List.of(1), values(profile, c.workload(), v, c.values(), userParams));
                continue;
            }
            add(specs, c.workload(), v, designs, threads, values(profile, c.workload(), v, c.values(), userParams));
        }
        for (String name : userParams.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("parameter '" + name + "' belongs to none of the chosen workloads (known: "
                        + String.join(", ", known) + ")");
            }
        }
        return new RunPlan(List.copyOf(specs), List.copyOf(columns));
    }

    /** Each parameter's values: the user's {@code -p}, else the case's, else the profile's, else the benchmark's own. */
    private static Map<String, List<String>> values(Profile profile, Workload w, Workload.Variant v, Map<String, String> caseValues,
                                                    Map<String, List<String>> userParams) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : new TreeMap<>(v.defaults()).entrySet()) {
            String name = e.getKey();
            List<String> chosen = userParams.get(name);
            if (chosen == null && caseValues.containsKey(name)) {
                chosen = List.of(caseValues.get(name));
            }
            if (chosen == null) {
                chosen = profile.values(w, name);
            }
            values.put(name, chosen != null ? chosen : e.getValue());
        }
        return values;
    }

    /** One spec per design (or the machine), combination of values and thread count; a spec already planned stays once. */
    private static void add(Set<Spec> specs, Workload w, Workload.Variant v, List<String> designs, List<Integer> threads,
                            Map<String, List<String>> values) {
        List<Map<String, String>> combos = crossProduct(values);
        for (String design : w.perDesign() ? designs : List.of(MACHINE)) {
            if (Targets.isKernel(design) && !w.onKernel()) {
                continue; // the lock points alone, or the machine: nothing a real file can run
            }
            for (Map<String, String> combo : combos) {
                String fs = combo.get(KernelFs.PARAM);
                if (fs != null && (!Targets.isKernel(design) || fs.equals(KernelFs.dir.name()))) {
                    // Where the real file lives means nothing to a simulated design, which runs once at the
                    // parameter's default; and the default is left unrecorded for the kernel too. Rows then
                    // leave the column empty (as rows of a workload without a parameter do): they match
                    // runs made before the parameter, and the kernel's rows at dir share the simulated
                    // designs' groups in the report. A made filesystem is recorded, and grouped apart.
                    combo = new TreeMap<>(combo);
                    combo.remove(KernelFs.PARAM);
                }
                for (int t : w.threads(threads)) {
                    specs.add(new Spec(w, v, design, t, combo));
                }
            }
        }
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
