package rlbench.bench.run;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import rlbench.bench.workloads.Params;
import rlbench.bench.workloads.SimulationState;
import rlbench.fs.block.BlockDevice;

/**
 * The checks {@code rlbench run} makes on a plan before the first benchmark starts, so that a
 * value a fork would reject, or a file that would not fit its memory, costs one line and exit 2
 * instead of a failure per benchmark: every parameter value against the type and bounds its
 * {@code @Param} field declares ({@link Params}), no {@code -p} value given twice, the rules
 * between a workload's parameters and threads, the open-loop rates the profile's iterations can hold (the workload's own {@link
 * rlbench.bench.workloads.SimulationState#check}, which its forks run again), and each
 * benchmark's {@link MemoryEstimate} against the forks' heap and direct-memory limits
 * ({@link ForkJvm}).
 */
public final class Preflight {

    /** The share of the maximum heap a benchmark may plan for; the rest is headroom for the collector. */
    static final double HEAP_SHARE = 0.9;

    private Preflight() {
    }

    /**
     * @param userParams the {@code -p} values, to tell the user's values from defaults in messages
     * @throws IllegalArgumentException with one line: the parameter, its value, and what to change
     */
    public static void check(RunPlan plan, Profile profile, Map<String, List<String>> userParams, ForkJvm jvm) {
        checkValues(plan, userParams);
        checkRepeats(plan, userParams);
        checkRates(plan, profile, userParams);
        checkInjected(plan);
        checkRules(plan);
        checkMemory(plan, profile, userParams, jvm);
    }

    /** Each workload's each value once, against its field's declaration. */
    private static void checkValues(RunPlan plan, Map<String, List<String>> userParams) {
        Set<String> seen = new HashSet<>();
        for (RunPlan.Spec s : plan.specs()) {
            Map<String, Params.Declared> declared = Params.declared(s.workload().benchmark);
            for (Map.Entry<String, String> p : s.params().entrySet()) {
                Params.Declared d = declared.get(p.getKey());
                if (d != null && seen.add(s.workload() + "\u0000" + p.getKey() + "\u0000" + p.getValue())) {
                    try {
                        d.parse(p.getValue());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException((userParams.containsKey(p.getKey()) ? "-p " : "") + e.getMessage());
                    }
                }
            }
        }
    }

    /**
     * Two {@code -p} values of one parameter that are one value ({@code 4096,04096}): each would
     * run every benchmark again and write its rows twice. Equal strings were refused with the
     * options; this catches equal values written differently.
     */
    private static void checkRepeats(RunPlan plan, Map<String, List<String>> userParams) {
        for (Map.Entry<String, List<String>> e : userParams.entrySet()) {
            Params.Declared d = plan.specs().stream().map(s -> Params.declared(s.workload().benchmark).get(e.getKey()))
                    .filter(Objects::nonNull).findFirst().orElse(null);
            List<String> values = e.getValue();
            for (int i = 0; d != null && i < values.size(); i++) {
                for (int j = i + 1; j < values.size(); j++) {
                    if (d.same(values.get(i), values.get(j))) {
                        throw new IllegalArgumentException("-p " + e.getKey() + " gives one value twice (" + values.get(i)
                                + " and " + values.get(j) + "); give each value once");
                    }
                }
            }
        }
    }

    /**
     * The open-loop rates a workload can drive, beyond their bounds and rules: a {@code -p
     * ratePerThread=0} given is refused though 0 is the closed-loop default (a user who types a
     * rate means one), and a rate must schedule at least one op per worker in the profile's
     * shortest iteration (its interval no longer than the iteration), or a worker could go whole
     * iterations without an op.
     */
    private static void checkRates(RunPlan plan, Profile profile, Map<String, List<String>> userParams) {
        for (String v : userParams.getOrDefault(SimulationState.RATE_PARAM, List.of())) {
            if (new java.math.BigInteger(v.trim()).signum() == 0) {
                throw new IllegalArgumentException("-p " + SimulationState.RATE_PARAM + "=" + v + " is not a rate: give ops/s "
                        + "per worker (1.." + SimulationState.MAX_RATE_PER_THREAD + ") with -p arrival=open");
            }
        }
        long shortestMillis = Math.min(profile.warmupMillis, profile.measurementMillis);
        long least = (1000 + shortestMillis - 1) / shortestMillis;
        for (RunPlan.Spec s : plan.specs()) {
            String rate = s.params().get(SimulationState.RATE_PARAM);
            long r = rate == null ? 0 : Long.parseLong(rate.trim());
            if (r > 0 && r < least && "open".equals(s.params().get("arrival"))) {
                throw new IllegalArgumentException("-p " + SimulationState.RATE_PARAM + "=" + rate + " schedules less than one op "
                        + "per worker in the " + profile.lowerName() + " profile's " + shortestMillis
                        + " ms iterations: give at least " + least);
            }
        }
    }

    /**
     * An {@code injectDesign} that the run measures: one it leaves out would slow nothing, and a
     * run meant to show a regression would show none.
     */
    private static void checkInjected(RunPlan plan) {
        Set<String> designs = new HashSet<>();
        plan.specs().forEach(s -> designs.add(s.design()));
        for (RunPlan.Spec s : plan.specs()) {
            String d = s.params().get("injectDesign");
            if (d != null && !d.equals(SimulationState.NO_INJECT) && !designs.contains(d)
                    && rlbench.locks.DesignRegistry.find(d).isPresent()) {
                throw new IllegalArgumentException("-p injectDesign=" + d + " names a design this run does not measure: "
                        + "add it to --designs");
            }
        }
    }

    /** The rules between each benchmark's parameters at its thread count, once per distinct case. */
    private static void checkRules(RunPlan plan) {
        Set<List<Object>> seen = new HashSet<>();
        for (RunPlan.Spec s : plan.specs()) {
            if (seen.add(List.of(s.workload(), s.variant(), s.threads(), s.params(), s.design()))) {
                try {
                    s.workload().checkRules(s.variant(), s.threads(), s.params(), s.design());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("in the " + s.workload().lowerName() + " workload" + at(s) + ", "
                            + e.getMessage());
                }
            }
        }
    }

    /** Refuses the benchmark that overshoots a limit the most, heap first, naming what drives its need. */
    private static void checkMemory(RunPlan plan, Profile profile, Map<String, List<String>> userParams, ForkJvm jvm) {
        RunPlan.Spec heapSpec = null;
        MemoryEstimate heapNeed = null;
        RunPlan.Spec directSpec = null;
        MemoryEstimate directNeed = null;
        for (RunPlan.Spec s : plan.specs()) {
            MemoryEstimate need = MemoryEstimate.of(s.workload(), s.variant(), s.threads(), s.params());
            if (need.heapBytes() > HEAP_SHARE * jvm.maxHeapBytes() && (heapNeed == null || need.heapBytes() > heapNeed.heapBytes())) {
                heapSpec = s;
                heapNeed = need;
            }
            if (need.directBytes() > jvm.maxDirectBytes() && (directNeed == null || need.directBytes() > directNeed.directBytes())) {
                directSpec = s;
                directNeed = need;
            }
        }
        if (heapSpec != null) {
            String what;
            String lower;
            if (!heapSpec.params().containsKey("filePages")) {
                // no simulated file: the need is the JVM's and JMH's own
                throw new IllegalArgumentException("the " + heapSpec.workload().lowerName() + " workload needs about "
                        + ForkJvm.bytes(heapNeed.heapBytes()) + " of heap for the JVM and JMH; the benchmark JVMs get "
                        + ForkJvm.bytes(jvm.maxHeapBytes()) + " (" + jvm.heapSource() + "): raise -Xmx");
            } else if (heapNeed.framePoolHeapBytes() * 2 > heapNeed.heapBytes()) {
                what = named(heapSpec, "framePoolPages", profile, userParams);
                lower = "framePoolPages";
            } else if (heapNeed.perThreadHeapBytes() * 2 > heapNeed.heapBytes()) {
                what = "--threads " + heapSpec.threads() + " with " + named(heapSpec, "filePages", profile, userParams);
                lower = "--threads or filePages";
            } else {
                what = named(heapSpec, "filePages", profile, userParams);
                lower = "filePages";
            }
            throw new IllegalArgumentException(what + " needs about " + ForkJvm.bytes(heapNeed.heapBytes()) + " of heap for the "
                    + heapSpec.workload().lowerName() + " workload" + at(heapSpec) + "; the benchmark JVMs get "
                    + ForkJvm.bytes(jvm.maxHeapBytes()) + " (" + jvm.heapSource() + "), of which a benchmark may plan for "
                    + Math.round(HEAP_SHARE * 100) + "%: raise -Xmx or lower " + lower);
        }
        if (directSpec != null) {
            boolean data = BlockDevice.Mode.DATA.name().equals(directSpec.params().get("deviceMode"));
            throw new IllegalArgumentException(named(directSpec, "filePages", profile, userParams) + " needs about "
                    + ForkJvm.bytes(directNeed.directBytes()) + " of direct memory for the " + directSpec.workload().lowerName()
                    + " workload" + (data ? " (deviceMode=DATA keeps 4 KiB a block off the heap)" : "")
                    + "; the benchmark JVMs get " + ForkJvm.bytes(jvm.maxDirectBytes()) + " (" + jvm.directSource()
                    + "): raise -XX:MaxDirectMemorySize or -Xmx" + (data ? ", use -p deviceMode=STAMP_ONLY" : "") + " or lower filePages");
        }
    }

    /**
     * A parameter's value as a message names it, with where it came from: "-p filePages=16777216"
     * for the user's, "filePages=4096 (the smoke profile's)", "filePages=524288 (the quick
     * profile's disjoint-punch case)" or "filePages=524288 (the punch workload's default)" otherwise, so the user knows what to override.
     */
    private static String named(RunPlan.Spec s, String name, Profile profile, Map<String, List<String>> userParams) {
        String value = name + "=" + s.params().get(name);
        if (userParams.containsKey(name)) {
            return "-p " + value;
        }
        for (Profile.Case c : profile.cases) {
            if (c.values().containsKey(name) && c.covers(s)) {
                return value + " (the " + profile.lowerName() + " profile's " + c.name() + " case)";
            }
        }
        if (profile.values(s.workload(), name) != null) {
            return value + " (the " + profile.lowerName() + " profile's)";
        }
        return value + " (the " + s.workload().lowerName() + " workload's default)";
    }

    private static String at(RunPlan.Spec s) {
        int threads = s.variant().totalThreads(s.threads());
        return " at " + threads + (threads == 1 ? " thread" : " threads");
    }
}
