package rlbench.bench.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;
import rlbench.bench.baseline.FloorBenchmark;
import rlbench.bench.locks.LocksBenchmark;
import rlbench.bench.workloads.DioBenchmark;
import rlbench.bench.workloads.FaultBenchmark;
import rlbench.bench.workloads.MixedBenchmark;
import rlbench.bench.workloads.OpThread;
import rlbench.bench.workloads.OpThreads;
import rlbench.bench.workloads.Params;
import rlbench.bench.workloads.PunchBenchmark;
import rlbench.bench.workloads.SimulationState;
import rlbench.bench.workloads.WriteBenchmark;

/**
 * The workloads {@code rlbench run} knows: each one's benchmark class, and what the runner and
 * the report need to know of it that JMH does not say. Its benchmarks ({@link #variants}), their
 * group methods and {@code @Param} defaults come from JMH's own benchmark list, so nothing here
 * repeats an annotation. A plain benchmark gets the thread count as JMH threads; a group (an
 * asymmetric mix) one thread of its puncher method and the workers spread over its other
 * methods, as JMH thread groups. Each workload also says what JMH score it records
 * ({@link Score}), whether it runs at one thread only, what of a simulated file it keeps in
 * memory ({@link Footprint}, for the pre-flight memory check), and which parameter is a range
 * ({@link #rangeParam}, for the report's range figures).
 */
public enum Workload {
    FAULT(FaultBenchmark.class, Score.OPS_PER_S, false, Names.RANGE, null,
            (p, v, threads) -> Footprint.Pages.wholeFileCached(p, v.opThreads(threads).of("fault")
                    + (p.containsKey("mappers") ? (int) MemoryEstimate.longParam(p, "mappers") - 1 : 0))),
    WRITE(WriteBenchmark.class, Score.OPS_PER_S, false, Names.RANGE, null,
            (p, v, threads) -> Footprint.Pages.wholeFileCached(p, 0)),
    PUNCH(PunchBenchmark.class, Score.OPS_PER_S, false, Names.RANGE, "cache", Workload::punchFootprint),
    MIXED(MixedBenchmark.class, Score.OPS_PER_S, false, Names.RANGE, null,
            (p, v, threads) -> Footprint.Pages.wholeFileCached(p, v.opThreads(threads).of("fault"))),
    DIO(DioBenchmark.class, Score.OPS_PER_S, false, Names.RANGE, null,
            (p, v, threads) -> Footprint.Pages.wholeFileCached(p, 0)),
    LOCKS(LocksBenchmark.class, Score.AVGT_NS, true, Names.RANGE, null, Footprint.NO_FILE),
    FLOOR(FloorBenchmark.class, Score.OPS_PER_S, false, null, null, Footprint.NO_FILE);


    /** Parameter names the constants above share (a nested class: an enum constant cannot use the enum's own statics). */
    private static final class Names {
        /** The pages of a punch or an invalidate: every workload that has a range names it so. */
        static final String RANGE = "punchPages";
    }

    /** The results column that says whether a puncher thread ran beside the workers, and its values. */
    public static final String PUNCHER_PARAM = "puncher";
    public static final String ON = "on";
    public static final String OFF = "off";

    /**
     * One JMH benchmark of a workload, as JMH's benchmark list has it.
     *
     * @param method       the JMH method or group name
     * @param groupMethods a group's methods in JMH's {@code -tg} order; empty for a plain benchmark
     * @param defaults     the {@code @Param} defaults, {@code design} left out
     */
    public record Variant(String method, List<String> groupMethods, Map<String, List<String>> defaults) {

        public Variant {
            groupMethods = List.copyOf(groupMethods);
            defaults = Map.copyOf(defaults);
        }

        public boolean isGroup() {
            return !groupMethods.isEmpty();
        }

        /** The value of the {@code puncher} column: whether a puncher thread runs beside the workers. */
        public String puncher() {
            return punchers() > 0 ? ON : OFF;
        }

        private int punchers() {
            return (int) groupMethods.stream().filter(Variant::isPuncher).count();
        }

        private static boolean isPuncher(String method) {
            return OpThreads.op(method).equals(OpThread.Puncher.OP);
        }

        /**
         * JMH thread groups for {@code threads} workers: one thread for the puncher, then the
         * workers dealt out over the group's other methods in order, so with fewer workers than
         * methods the last methods get none (JMH accepts 0) and the worker count stays what was
         * asked for.
         */
        public int[] threadGroups(int threads) {
            int[] tg = new int[groupMethods.size()];
            List<Integer> workers = new ArrayList<>();
            for (int i = 0; i < tg.length; i++) {
                if (isPuncher(groupMethods.get(i))) {
                    tg[i] = 1;
                } else {
                    workers.add(i);
                }
            }
            for (int k = 0; k < workers.size(); k++) {
                tg[workers.get(k)] = threads / workers.size() + (k < threads % workers.size() ? 1 : 0);
            }
            return tg;
        }

        /** Every thread the benchmark runs: the workers, plus the puncher of a group. */
        public int totalThreads(int threads) {
            return threads + punchers();
        }

        /** How many threads run each op at {@code threads} workers. */
        public OpThreads opThreads(int threads) {
            return isGroup() ? OpThreads.group(groupMethods, threadGroups(threads), 1) : OpThreads.plain(method, threads);
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
     * What of one simulated file a benchmark keeps in memory, from its parameters (one value each,
     * already checked against their declarations) and worker count: the numbers
     * {@link MemoryEstimate} turns into bytes.
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

    /** The benchmark class; its JMH benchmarks are this workload's. */
    public final Class<?> benchmark;
    public final Score score;
    /** Runs at one thread whatever the thread counts asked for: a measurement of one thread's cost. */
    public final boolean singleThreaded;
    /** The parameter that is a range of pages (a punch's, an invalidate's), or null. */
    public final String rangeParam;
    /**
     * The parameter that sets the punched range's cache state before each punch ({@code dense}:
     * every page cached; {@code sparse}: almost none), or null when the workload has none.
     */
    public final String cacheParam;
    public final Footprint footprint;
    private List<Variant> variants;

    Workload(Class<?> benchmark, Score score, boolean singleThreaded, String rangeParam, String cacheParam, Footprint footprint) {
        this.benchmark = benchmark;
        this.score = score;
        this.singleThreaded = singleThreaded;
        this.rangeParam = rangeParam;
        this.cacheParam = cacheParam;
        this.footprint = footprint;
    }

    public String lowerName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The workload's JMH benchmarks, from JMH's benchmark list: plain benchmarks first, then
     * groups, each by name.
     */
    public synchronized List<Variant> variants() {
        if (variants == null) {
            OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
            List<Variant> found = new ArrayList<>();
            for (BenchmarkListEntry e : BenchmarkList.defaultList().find(silent, List.of(classPattern()), List.of())) {
                if (!e.getUserClassQName().equals(benchmark.getName())) {
                    continue;
                }
                Map<String, List<String>> defaults = new LinkedHashMap<>();
                if (e.getParams().hasValue()) {
                    e.getParams().get().forEach((k, v) -> defaults.put(k, List.of(v)));
                }
                defaults.remove("design");
                List<String> labels = e.getThreadGroupLabels().hasValue() ? List.copyOf(e.getThreadGroupLabels().get()) : List.of();
                String method = e.getUsername().substring(benchmark.getName().length() + 1);
                found.add(new Variant(method, labels, defaults));
            }
            if (found.isEmpty()) {
                throw new IllegalStateException("JMH's benchmark list has no benchmark of " + benchmark.getName()
                        + ": the jar was built without the annotation processor");
            }
            found.sort(Comparator.comparing(Variant::isGroup).thenComparing(Variant::method));
            variants = List.copyOf(found);
        }
        return variants;
    }

    /** Whether the {@code linux} target can run it: the workloads of a file, not the lock points alone or the machine. */
    public boolean onKernel() {
        return SimulationState.class.isAssignableFrom(benchmark);
    }

    /** Whether the benchmarks take a {@code design} parameter (from {@code @Param}, not a list here). */
    public boolean perDesign() {
        return Params.declared(benchmark).containsKey("design");
    }

    /** The op of the puncher that runs beside the workers in this workload's groups, if it has one. */
    public Optional<String> puncherOp() {
        return variants().stream().anyMatch(v -> ON.equals(v.puncher())) ? Optional.of(OpThread.Puncher.OP) : Optional.empty();
    }

    /** The JMH include pattern for one variant, anchored so that no other benchmark matches. */
    public String include(Variant v) {
        return classPattern() + v.method() + "$";
    }

    private String classPattern() {
        return "^" + benchmark.getName().replace(".", "\\.") + "\\.";
    }

    /** The thread counts this workload runs at, out of those asked for. */
    public List<Integer> threads(List<Integer> asked) {
        return singleThreaded ? List.of(1) : asked;
    }

    /**
     * The rules between the parameters of one benchmark ({@code params}: one value each, each
     * already within its declared bounds) at {@code threads} workers under {@code design}, as the
     * workload's own trial setup checks them ({@link SimulationState#check}).
     *
     * @throws IllegalArgumentException with the workload's one-line refusal
     */
    public void checkRules(Variant v, int threads, Map<String, String> params, String design) {
        if (SimulationState.class.isAssignableFrom(benchmark)) {
            SimulationState s = (SimulationState) Params.instance(benchmark, params);
            s.design = design;
            s.check(v.opThreads(threads));
        }
    }

    /**
     * The threads a benchmark ran at {@code workers} workers, from its recorded parameters: one
     * more when a puncher thread ran beside them ({@link #PUNCHER_PARAM}).
     */
    public static int threadsUsed(Map<String, String> recordedParams, int workers) {
        return ON.equals(recordedParams.get(PUNCHER_PARAM)) ? workers + 1 : workers;
    }

    /** The workload of a {@code workload} column, if the suite has it. */
    public static Optional<Workload> find(String lowerName) {
        return Arrays.stream(values()).filter(w -> w.lowerName().equals(lowerName)).findFirst();
    }

    public static Workload parse(String s) {
        return find(s).orElseThrow(() -> new IllegalArgumentException("unknown workload '" + s + "' (known: "
                + Arrays.stream(values()).map(Workload::lowerName).collect(Collectors.joining(", ")) + ")"));
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
        boolean sparse = PunchBenchmark.Cache.sparse.name().equals(p.get("cache"));
        long punchHalfCached = sparse ? half / 4096 + 1 : half;
        return new Footprint.Pages(file, rest + punchHalfCached, rest * v.opThreads(threads).of("fault"));
    }
}
