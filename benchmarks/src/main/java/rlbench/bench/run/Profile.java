package rlbench.bench.run;

import java.util.List;
import java.util.Map;

/**
 * How much a run measures. {@code smoke} proves the pipeline in minutes; {@code quick} is the
 * default and gives usable medians on a small machine; {@code full} is for bare metal: three or
 * more forks, longer iterations, thread counts up to twice the cores.
 */
public enum Profile {

    // Ten designs within CI's three minutes: fault and write without their puncher groups
    // (puncher=off; punch is itself a puncher group), and no locks workload (quick and full run it). With five designs smoke also
    // ran the puncher groups and locks' 1- and 262144-page invalidates: 70 benchmarks in 2.5 min.
    SMOKE(1, 1, 200, 2, 300, List.of(Workload.FAULT, Workload.WRITE, Workload.PUNCH),
            Map.of("filePages", List.of("4096")),
            Map.of(Workload.FAULT, Map.of("hitRatio", List.of("0.0"), "faultKind", List.of("read"),
                            Workload.PUNCHER_PARAM, List.of(Workload.OFF)),
                    Workload.WRITE, Map.of("pagesPerWrite", List.of("1"), "regions", List.of("disjoint"),
                            Workload.PUNCHER_PARAM, List.of(Workload.OFF)),
                    Workload.PUNCH, Map.of("punchPages", List.of("64"), "cache", List.of("sparse"))),
            List.of()),
    // Three rounds (defaultRounds) within 20 minutes on 2 cores: each benchmark is one 300 ms
    // warmup and two 300 ms measurements a round (was 2 x 500 ms and 3 x 1 s, once). Gone from the
    // full matrix to make room: punch's dense cache, locks' 64-page invalidate, fault's 0.9 hit
    // ratio (a hit takes no mapping lock in any design) and write's shared regions (every design
    // serialises buffered writers on i_rwsem, so the regions differ by no design). Added: fault's
    // puncher group with disjoint 262144-page punches and open-loop faults (DISJOINT_PUNCH).
    // Issue 13 added five designs and the dio workload (1-page disjoint direct writes, no puncher
    // group), which doubled the run; nothing was taken out to make room.
    QUICK(1, 1, 300, 2, 300, List.of(Workload.FAULT, Workload.WRITE, Workload.PUNCH, Workload.MIXED, Workload.DIO,
            Workload.LOCKS, Workload.FLOOR),
            Map.of(),
            Map.of(Workload.FAULT, Map.of("faultKind", List.of("read"), "hitRatio", List.of("0.0")),
                    Workload.WRITE, Map.of("pagesPerWrite", List.of("1"), "regions", List.of("disjoint")),
                    Workload.DIO, Map.of("ioBytes", List.of("4096"), "regions", List.of("disjoint"),
                            Workload.PUNCHER_PARAM, List.of(Workload.OFF)),
                    Workload.PUNCH, Map.of("punchPages", List.of("64", "262144"), "cache", List.of("sparse")),
                    Workload.LOCKS, Map.of("punchPages", List.of("1", "262144"))),
            withCalibration(Case.DISJOINT_PUNCH)),
    FULL(3, 5, 2000, 5, 2000, List.of(Workload.values()), Map.of(), Map.of(), withCalibration(Case.DISJOINT_PUNCH));

    private static List<Case> withCalibration(Case... cases) {
        List<Case> all = new java.util.ArrayList<>(List.of(cases));
        all.addAll(Case.CALIBRATION);
        return List.copyOf(all);
    }

    /** JMH forks per benchmark: separate JVMs, so JIT and GC luck average out. */
    public final int forks;
    public final int warmupIterations;
    public final int warmupMillis;
    public final int measurementIterations;
    public final int measurementMillis;
    public final List<Workload> workloads;
    /** Parameter values this profile narrows every workload to, where the workload has the parameter. */
    public final Map<String, List<String>> params;
    /** Values for one workload only, ahead of {@link #params}. */
    private final Map<Workload, Map<String, List<String>>> perWorkload;
    /** Single benchmarks run beside the crossed matrix, with values the matrix does not cross. */
    public final List<Case> cases;

    Profile(int forks, int warmupIterations, int warmupMillis, int measurementIterations, int measurementMillis,
            List<Workload> workloads, Map<String, List<String>> params, Map<Workload, Map<String, List<String>>> perWorkload,
            List<Case> cases) {
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.warmupMillis = warmupMillis;
        this.measurementIterations = measurementIterations;
        this.measurementMillis = measurementMillis;
        this.workloads = workloads;
        this.params = params;
        this.perWorkload = perWorkload;
        this.cases = cases;
    }

    /**
     * One variant of a workload run once more beside the profile's matrix, with some parameters
     * set to values the matrix does not cross: a profile can only cross values, and some shapes
     * need several parameters changed together. {@link RunPlan} plans a case for every chosen
     * design and thread count, and leaves it out when a {@code -p} names a parameter it sets.
     *
     * @param name    what messages call it
     * @param variant the JMH method or group name, as in {@link Workload.Variant#method}
     */
    public record Case(String name, Workload workload, String variant, Map<String, String> values, boolean calibration) {

        /**
         * The designs a calibration case runs for, of those the run has: the real kernel, the
         * simulated design it is measured against, and the simulation's floor.
         */
        public static final List<String> CALIBRATION_DESIGNS = List.of("none", "rwsem", rlbench.bench.targets.Targets.LINUX);

        /**
         * The seeds' central shape (DESIGN.md section 4): disjoint dense 262144-page punches
         * beside open-loop faults. A fault waits out the whole invalidation under a whole-file
         * lock and not under a range lock. The punches run back to back ({@code punchIntervalUs=0},
         * so a punch's latency is its own, not its refill's overrun). Pages carry stamps only and
         * the frame pool holds a whole punch's frames, as the kernel's page allocator takes freed
         * pages back: with 4 KiB of data per page and fresh frames, each refill allocated 1 GiB,
         * and on the 2-core VM the collector then held 2,000 faults/s to 682.
         */
        public static final Case DISJOINT_PUNCH = new Case("disjoint-punch", Workload.FAULT, "withPuncher", Map.of(
                "filePages", "524288", "punchPages", "262144", "punchTarget", "disjoint", "punchCache", "dense",
                "punchIntervalUs", "0", "framePoolPages", "262144", "deviceMode", "STAMP_ONLY",
                "arrival", "open", "ratePerThread", "2000", "hitRatio", "0.0"), false);

        /*
         * The calibration cases (README, "The real kernel beside the simulation"): what the report's
         * calibration rows compare that the matrix does not measure. Planned only when the run has
         * the linux target, for CALIBRATION_DESIGNS at 1 thread, so a run without it costs nothing.
         */

        /** Every fault a hit: the floor of "fault miss against fault hit". */
        public static final Case CALIBRATE_HIT = new Case("calibrate-hit", Workload.FAULT, "fault", Map.of("hitRatio", "1.0"), true);

        /** The disjoint-punch case's faults without the puncher: the undisturbed op beside it. */
        public static final Case CALIBRATE_DISJOINT_ALONE = new Case("calibrate-disjoint-alone", Workload.FAULT, "fault",
                DISJOINT_PUNCH.values(), true);

        /** Punches of a dense 64-page range, beside the sparse ones of the matrix. */
        public static final Case CALIBRATE_DENSE_SMALL = new Case("calibrate-dense-64", Workload.PUNCH, "punch",
                Map.of("cache", "dense", "punchPages", "64"), true);

        /** Punches of a dense 262144-page range. */
        public static final Case CALIBRATE_DENSE_LARGE = new Case("calibrate-dense-262144", Workload.PUNCH, "punch",
                Map.of("cache", "dense", "punchPages", "262144"), true);

        /** The calibration cases, in the order they are planned. */
        public static final List<Case> CALIBRATION = List.of(CALIBRATE_HIT, CALIBRATE_DISJOINT_ALONE, CALIBRATE_DENSE_SMALL,
                CALIBRATE_DENSE_LARGE);

        public Case {
            values = Map.copyOf(values);
        }

        /** Whether {@code spec} is this case's benchmark: its workload and variant, with every value the case sets. */
        public boolean covers(RunPlan.Spec spec) {
            return spec.workload() == workload && spec.variant().method().equals(variant)
                    && values.entrySet().stream().allMatch(e -> e.getValue().equals(spec.params().get(e.getKey())));
        }
    }

    /** The values this profile gives parameter {@code name} of workload {@code w}, or null for the benchmark's own. */
    public List<String> values(Workload w, String name) {
        List<String> v = perWorkload.getOrDefault(w, Map.of()).get(name);
        return v != null ? v : params.get(name);
    }

    /** Default thread counts: 1 and 2 on small profiles; 1, 2, 4 ... up to twice the cores on full. */
    public List<Integer> defaultThreads(int cores) {
        if (this != FULL) {
            return List.of(1, 2);
        }
        java.util.List<Integer> t = new java.util.ArrayList<>();
        for (int n = 1; n <= 2 * cores; n *= 2) {
            t.add(n);
        }
        if (t.get(t.size() - 1) != 2 * cores) {
            t.add(2 * cores);
        }
        return t;
    }

    /**
     * Rounds a run makes unless {@code --rounds} says otherwise: one for smoke, which proves the
     * pipeline within CI's three minutes; three for quick and full, the fewest that give a
     * spread across independent replicates (see {@link Rounds}).
     */
    public int defaultRounds() {
        return this == SMOKE ? 1 : 3;
    }

    /** A rough duration of one benchmark in this profile, for the first estimates. */
    public long estimatedMillisPerBenchmark() {
        return forks * ((long) warmupIterations * warmupMillis + (long) measurementIterations * measurementMillis + 1500L);
    }

    public String lowerName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Profile parse(String s) {
        for (Profile p : values()) {
            if (p.lowerName().equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + s + "' (known: "
                + java.util.Arrays.stream(values()).map(Profile::lowerName).collect(java.util.stream.Collectors.joining(", ")) + ")");
    }
}
