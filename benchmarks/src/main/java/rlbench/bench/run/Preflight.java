package rlbench.bench.run;

import java.lang.reflect.Field;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks {@code rlbench run} makes on a plan before the first benchmark starts, so that a
 * value a fork would reject, or a file that would not fit its memory, costs one line and exit 2
 * instead of a failure per benchmark: the file and frame-pool bounds, every {@code -p} value
 * against the type of the {@code @Param} field it sets, and each benchmark's
 * {@link MemoryEstimate} against the forks' heap and direct-memory limits ({@link ForkJvm}).
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
        checkMemory(plan, profile, userParams, jvm);
    }

    /** Each workload's each value once: bounds, then the field's type. */
    private static void checkValues(RunPlan plan, Map<String, List<String>> userParams) {
        Set<String> seen = new HashSet<>();
        for (RunPlan.Spec s : plan.specs()) {
            for (Map.Entry<String, String> p : s.params().entrySet()) {
                if (seen.add(s.workload() + "\u0000" + p.getKey() + "\u0000" + p.getValue())) {
                    checkValue(s.workload(), p.getKey(), p.getValue(), userParams.containsKey(p.getKey()) ? "-p " : "");
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
            if (heapNeed.framePoolHeapBytes() * 2 > heapNeed.heapBytes()) {
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
            boolean data = "DATA".equals(directSpec.params().get("deviceMode"));
            throw new IllegalArgumentException(named(directSpec, "filePages", profile, userParams) + " needs about "
                    + ForkJvm.bytes(directNeed.directBytes()) + " of direct memory for the " + directSpec.workload().lowerName()
                    + " workload" + (data ? " (deviceMode=DATA keeps 4 KiB a block off the heap)" : "")
                    + "; the benchmark JVMs get " + ForkJvm.bytes(jvm.maxDirectBytes()) + " (" + jvm.directSource()
                    + "): raise -XX:MaxDirectMemorySize or -Xmx" + (data ? ", use -p deviceMode=STAMP_ONLY" : "") + " or lower filePages");
        }
    }

    /** The bounds the simulation sets, then the Java type of the {@code @Param} field. */
    private static void checkValue(Workload w, String name, String value, String source) {
        Map<String, String> one = Map.of(name, value);
        try {
            switch (name) {
                case "filePages" -> MemoryEstimate.filePages(one);
                case "framePoolPages" -> MemoryEstimate.framePoolPages(one);
                case "deviceMode" -> MemoryEstimate.dataMode(value);
                default -> {
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + e.getMessage());
        }
        Class<?> type = paramType(w, name);
        if (type == null) {
            return;
        }
        try {
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(value.trim());
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value.trim());
            } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
                double d = Double.parseDouble(value.trim());
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new NumberFormatException();
                }
            } else if (type == boolean.class || type == Boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + name + "=" + value + " is not " + article(type) + " the "
                    + w.lowerName() + " workload takes");
        }
    }

    private static String article(Class<?> type) {
        if (type == int.class || type == Integer.class) {
            return "a whole number (int) that";
        }
        if (type == long.class || type == Long.class) {
            return "a whole number (long) that";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false, which";
        }
        return "a finite number, which";
    }

    /**
     * The type of the {@code @Param} field {@code name} of a workload: in its benchmark class, a
     * superclass, or a state class nested in them; null when none is found (JMH will say).
     */
    static Class<?> paramType(Workload w, String name) {
        Class<?> bench;
        try {
            bench = Class.forName(w.benchmarkClass, false, Preflight.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return null;
        }
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(bench));
        Set<Class<?>> done = new HashSet<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c == null || c == Object.class || !done.add(c)) {
                continue;
            }
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && f.isAnnotationPresent(org.openjdk.jmh.annotations.Param.class)) {
                    return f.getType();
                }
            }
            todo.add(c.getSuperclass());
            todo.addAll(List.of(c.getDeclaredClasses()));
        }
        return null;
    }

    /**
     * A parameter's value as a message names it, with where it came from: "-p filePages=16777216"
     * for the user's, "filePages=4096 (the smoke profile's)" or "filePages=524288 (the punch
     * workload's default)" otherwise, so the user knows what to override.
     */
    private static String named(RunPlan.Spec s, String name, Profile profile, Map<String, List<String>> userParams) {
        String value = name + "=" + s.params().get(name);
        if (userParams.containsKey(name)) {
            return "-p " + value;
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
