package rlbench.bench.run;

import java.util.List;
import java.util.Locale;

/**
 * The workloads {@code rlbench run} knows, and how each maps onto JMH benchmarks: a plain
 * benchmark gets the thread count as JMH threads; a group (an asymmetric mix) gets one puncher
 * thread and the workers spread over its other methods, as JMH thread groups.
 */
public enum Workload {
    FAULT("rlbench.bench.workloads.FaultBenchmark", true,
            new Variant("fault", "off", 0), new Variant("withPuncher", "on", 1)),
    WRITE("rlbench.bench.workloads.WriteBenchmark", true,
            new Variant("write", "off", 0), new Variant("withPuncher", "on", 1)),
    PUNCH("rlbench.bench.workloads.PunchBenchmark", true,
            new Variant("punch", "on", 2)),
    MIXED("rlbench.bench.workloads.MixedBenchmark", true,
            new Variant("mixed", "on", 3)),
    FLOOR("rlbench.bench.baseline.FloorBenchmark", false,
            new Variant("casPair", "off", 0), new Variant("copy4k", "off", 0));

    /**
     * One JMH benchmark of a workload.
     *
     * @param method  the JMH method or group name
     * @param puncher the value of the {@code puncher} column: whether a concurrent puncher runs
     * @param workerMethods 0 for a plain benchmark; else the group's methods after its puncher
     */
    public record Variant(String method, String puncher, int workerMethods) {
        public boolean isGroup() {
            return workerMethods > 0;
        }

        /**
         * JMH thread groups for {@code threads} workers: one puncher, then the workers dealt out over
         * the group's other methods in order, so with fewer workers than methods the last methods get
         * none (JMH accepts 0) and the worker count stays what was asked for.
         */
        public int[] threadGroups(int threads) {
            int[] tg = new int[1 + workerMethods];
            tg[0] = 1;
            for (int i = 0; i < workerMethods; i++) {
                tg[1 + i] = threads / workerMethods + (i < threads % workerMethods ? 1 : 0);
            }
            return tg;
        }
    }

    public final String benchmarkClass;
    /** Whether the benchmarks take a {@code design} parameter. */
    public final boolean perDesign;
    public final List<Variant> variants;

    Workload(String benchmarkClass, boolean perDesign, Variant... variants) {
        this.benchmarkClass = benchmarkClass;
        this.perDesign = perDesign;
        this.variants = List.of(variants);
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JMH include pattern for one variant, anchored so that no other benchmark matches. */
    public String include(Variant v) {
        return "^" + benchmarkClass.replace(".", "\\.") + "\\." + v.method() + "$";
    }

    public static Workload parse(String s) {
        for (Workload w : values()) {
            if (w.lowerName().equals(s)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + s + "' (known: fault, write, punch, mixed, floor)");
    }
}
