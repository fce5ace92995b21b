package rlbench.bench.run;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;

/**
 * The workloads {@code rlbench run} knows, and how each maps onto JMH benchmarks: a plain
 * benchmark gets the thread count as JMH threads; a group (an asymmetric mix) gets one puncher
 * thread and the workers spread over its other methods, as JMH thread groups. Each workload also
 * says what JMH score it records ({@link Score}), whether it runs at one thread only, and what of
 * a simulated file it keeps in memory ({@link Footprint}), for the pre-flight memory check.
 */
public enum Workload {
    FAULT("rlbench.bench.workloads.FaultBenchmark", true, Score.OPS_PER_S, false,
            (p, v, threads) -> Footprint.Pages.wholeFileCached(p, faultWorkers(v, threads)),
            new Variant("fault", "off", 0), new Variant("withPuncher", "on", 1)),
    WRITE("rlbench.bench.workloads.WriteBenchmark", true, Score.OPS_PER_S, false,
            (p, v, threads) -> Footprint.Pages.wholeFileCached(p, 0),
            new Variant("write", "off", 0), new Variant("withPuncher", "on", 1)),
    PUNCH("rlbench.bench.workloads.PunchBenchmark", true, Score.OPS_PER_S, false,
            Workload::punchFootprint,
            new Variant("punch", "on", 2)),
    MIXED("rlbench.bench.workloads.MixedBenchmark", true, Score.OPS_PER_S, false,
            (p, v, threads) -> Footprint.Pages.wholeFileCached(p, faultWorkers(v, threads)),
            new Variant("mixed", "on", 3)),
    LOCKS("rlbench.bench.locks.LocksBenchmark", true, Score.AVGT_NS, true, Footprint.NO_FILE,
            new Variant("instantiatePair", "off", 0), new Variant("mkwritePair", "off", 0),
            new Variant("invalidatePair", "off", 0)),
    FLOOR("rlbench.bench.baseline.FloorBenchmark", false, Score.OPS_PER_S, false, Footprint.NO_FILE,
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

        /** Every thread the benchmark runs: the workers, plus the puncher of a group. */
        public int totalThreads(int threads) {
            return isGroup() ? threads + 1 : threads;
        }
    }

    /** The JMH score a workload records in results.csv, and the JMH mode that measures it. */
    public enum Score {
        /** Operations per second over all threads (JMH {@code thrpt}). */
        OPS_PER_S("ops_per_s", "ops/s", Mode.Throughput, TimeUnit.SECONDS),
        /**
         * JMH's average time per call in nanoseconds ({@code avgt}): for ops of a few nanoseconds,
         * where a latency histogram would mostly time the clock.
         */
        AVGT_NS("avgt_ns", "ns/op", Mode.AverageTime, TimeUnit.NANOSECONDS);

        /** The {@code metric} column. */
        public final String metric;
        /** The {@code unit} column. */
        public final String unit;
        public final Mode mode;
        public final TimeUnit timeUnit;

        Score(String metric, String unit, Mode mode, TimeUnit timeUnit) {
            this.metric = metric;
            this.unit = unit;
            this.mode = mode;
            this.timeUnit = timeUnit;
        }
    }

    /**
     * What of one simulated file a benchmark keeps in memory, from its parameters (one value each)
     * and worker count: the numbers {@link MemoryEstimate} turns into bytes.
     */
    @FunctionalInterface
    public interface Footprint {

        /** A benchmark with no filesystem. */
        Footprint NO_FILE = (p, v, threads) -> null;

        /** @return the pages, or null when the benchmark builds no filesystem */
        Pages pages(Map<String, String> params, Variant v, int threads);

        /**
         * @param filePages   the file's size, which sets the device's blocks
         * @param cachedPages pages in the page cache at once, at most
         * @param mappedPages page-table entries over every fault worker's mapping
         */
        record Pages(long filePages, long cachedPages, long mappedPages) {
            /** The whole file cached, and {@code mappings} mappings of all of it. */
            static Pages wholeFileCached(Map<String, String> p, int mappings) {
                long file = MemoryEstimate.longParam(p, "filePages");
                return new Pages(file, file, file * mappings);
            }
        }
    }

    public final String benchmarkClass;
    /** Whether the benchmarks take a {@code design} parameter. */
    public final boolean perDesign;
    public final Score score;
    /** Runs at one thread whatever the thread counts asked for: a measurement of one thread's cost. */
    public final boolean singleThreaded;
    public final Footprint footprint;
    public final List<Variant> variants;

    Workload(String benchmarkClass, boolean perDesign, Score score, boolean singleThreaded, Footprint footprint,
             Variant... variants) {
        this.benchmarkClass = benchmarkClass;
        this.perDesign = perDesign;
        this.score = score;
        this.singleThreaded = singleThreaded;
        this.footprint = footprint;
        this.variants = List.of(variants);
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The JMH include pattern for one variant, anchored so that no other benchmark matches. */
    public String include(Variant v) {
        return "^" + benchmarkClass.replace(".", "\\.") + "\\." + v.method() + "$";
    }

    /** The thread counts this workload runs at, out of those asked for. */
    public List<Integer> threads(List<Integer> asked) {
        return singleThreaded ? List.of(1) : asked;
    }

    public static Workload parse(String s) {
        for (Workload w : values()) {
            if (w.lowerName().equals(s)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + s + "' (known: "
                + Arrays.stream(values()).map(Workload::lowerName).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * The fault workers among {@code threads}: all of a plain benchmark's threads, or those of a
     * group's first worker method, which is {@code workerFault} in every group that faults.
     */
    private static int faultWorkers(Variant v, int threads) {
        return v.isGroup() ? v.threadGroups(threads)[1] : threads;
    }

    /**
     * Punch: the puncher's half in the {@code cache} state (every page, or one in 4096: the
     * workload's sparse stride), the workers' half cached, and each fault worker mapping the
     * workers' half.
     */
    private static Footprint.Pages punchFootprint(Map<String, String> p, Variant v, int threads) {
        long file = MemoryEstimate.longParam(p, "filePages");
        long half = file / 2;
        long rest = file - half;
        long punchHalfCached = "sparse".equals(p.get("cache")) ? half / 4096 + 1 : half;
        return new Footprint.Pages(file, rest + punchHalfCached, rest * faultWorkers(v, threads));
    }
}
