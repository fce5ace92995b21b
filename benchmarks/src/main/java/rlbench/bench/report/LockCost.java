package rlbench.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import rlbench.bench.output.Doc;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.Row;
import rlbench.bench.run.Workload;
import rlbench.bench.workloads.FaultKind;

/**
 * The report's "Lock cost (no filesystem) next to the fault" table: each design's lock points
 * alone (workload {@code locks}: the instantiate, mkwrite and invalidate pairs, in ns per call),
 * beside the same design's fault-miss latency at one thread (workload {@code fault}), with the
 * machine's uncontended CAS pair (workload {@code floor}) as the floor under every pair. The one
 * place in the report that joins three workloads, so the names it looks for live here.
 */
final class LockCost {

    static final String LOCKS = "locks";

    /** The invalidate pair's range parameter. */
    private static final String RANGE = Workload.LOCKS.rangeParam;
    private static final String READ = FaultKind.read.name();

    private LockCost() {
    }

    /** The section's blocks, or empty when the run has no {@code locks} rows. */
    static Optional<List<Doc.Block>> section(RunData run) {
        List<RunData.Group> locks = run.groups(LOCKS);
        if (locks.isEmpty()) {
            return Optional.empty();
        }
        RunData.Group instantiate = op(locks, "instantiatePair");
        RunData.Group mkwrite = op(locks, "mkwritePair");
        List<RunData.Group> invalidate = locks.stream().filter(g -> g.op.equals("invalidatePair") && g.params.containsKey(RANGE))
                .sorted(Comparator.comparingLong(g -> Long.parseLong(g.params.get(RANGE)))).toList();
        Optional<RunData.Group> fault = faultMiss(run);
        Double cas = casPair(run);

        List<String> header = new ArrayList<>(List.of("design", "instantiate pair", "mkwrite pair"));
        invalidate.forEach(g -> header.add("invalidate " + pages(g.params.get(RANGE))));
        header.add("fault miss p50, 1 thread");
        TreeSet<String> designs = new TreeSet<>(RunData.DESIGN_ORDER);
        locks.forEach(g -> designs.addAll(g.byDesign.keySet()));
        List<List<String>> rows = new ArrayList<>();
        for (String d : designs) {
            List<String> row = new ArrayList<>(List.of(d));
            row.add(pairCell(instantiate, d, cas));
            row.add(pairCell(mkwrite, d, cas));
            invalidate.forEach(g -> row.add(pairCell(g, d, cas)));
            Row p50 = fault.map(g -> g.value(d, 1, "p50_ns")).orElse(null);
            row.add(p50 == null ? "-" : Report.ns(p50.value()));
            rows.add(row);
        }
        List<String> casRow = new ArrayList<>(List.of("CAS pair (the floor)", cas == null ? "-" : fine(cas)));
        while (casRow.size() < header.size()) {
            casRow.add("");
        }
        rows.add(casRow);

        List<Doc.Block> out = new ArrayList<>();
        out.add(new Doc.Heading(2, "Lock cost (no filesystem) next to the fault"));
        out.add(new Doc.Para("What each design's lock points cost on their own, one thread, no contention: JMH's average "
                + "time per lock + unlock pair (workload `locks`). The instantiate pair includes storing the page into the index "
                + "and deleting it again, so `none` is that index work alone; the invalidate pairs cover ranges with nothing "
                + "cached. In brackets: the pair as a multiple of the machine's uncontended CAS pair (workload `floor`, 1 thread), "
                + "the least any lock and unlock can cost. `~`: the 99.9% interval is wider than +-" + Math.round(Report.WIDE_CI * 100)
                + "%. The last column is the same design's median fault miss at 1 thread "
                + fault.map(g -> "(`fault/fault " + kv(run, g) + "`)").orElse("(not measured in this run: add the `fault` workload)")
                + ", the whole operation a fault's instantiate pair is a part of."
                + (cas == null ? " This run has no CAS pair: add the `floor` workload for the brackets." : "")));
        out.add(new Doc.Table(header, rows, 1));
        return Optional.of(out);
    }

    private static RunData.Group op(List<RunData.Group> groups, String op) {
        return groups.stream().filter(g -> g.op.equals(op)).findFirst().orElse(null);
    }

    /**
     * The fault workload's every-fault-misses group without a puncher: {@code hitRatio} 0, read
     * faults where the run has them; the first such parameter set when there are several.
     */
    private static Optional<RunData.Group> faultMiss(RunData run) {
        return run.groups("fault").stream()
                .filter(g -> g.op.equals("fault") && Workload.OFF.equals(g.params.get(Workload.PUNCHER_PARAM))
                        && isZero(g.params.get("hitRatio")))
                .filter(g -> g.designs().stream().anyMatch(d -> g.value(d, 1, "p50_ns") != null))
                .min(Comparator.comparing((RunData.Group g) -> !READ.equals(g.params.getOrDefault("faultKind", READ)))
                        .thenComparing(g -> g.params, RunData.PARAMS_ORDER));
    }

    /** The CAS pair's ns at 1 thread: JMH's ops/s turned into time per pair. */
    private static Double casPair(RunData run) {
        for (RunData.Group g : run.groups("floor")) {
            if (g.op.equals("casPair")) {
                for (String d : g.designs()) {
                    Row v = g.value(d, 1, "ops_per_s");
                    if (v != null && v.value() > 0) {
                        return 1e9 / v.value();
                    }
                }
            }
        }
        return null;
    }

    private static String pairCell(RunData.Group g, String design, Double cas) {
        Row v = g == null ? null : g.value(design, 1, Metrics.AVGT);
        if (v == null) {
            return "-";
        }
        String cell = fine(v.value());
        if (cas != null && cas > 0) {
            cell += " (" + times(v.value() / cas) + ")";
        }
        return Report.wideCi(v) ? cell + " ~" : cell;
    }

    /** Nanoseconds with three significant digits below 100 ns, where a pair of locks sits. */
    static String fine(double ns) {
        return ns < 99.95 ? String.format(Locale.ROOT, "%.3g ns", ns) : Report.ns(ns);
    }

    private static String times(double ratio) {
        if (ratio < 0.995) {
            return String.format(Locale.ROOT, "%.2fx", ratio);
        }
        if (ratio < 9.95) {
            return String.format(Locale.ROOT, "%.1fx", ratio);
        }
        return String.format(Locale.ROOT, "%,.0fx", ratio);
    }

    private static String pages(String n) {
        return n + (n.equals("1") ? " page" : " pages");
    }

    private static boolean isZero(String s) {
        try {
            return s != null && Double.parseDouble(s) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The miss's hit ratio and whatever else tells it from the run's other fault rows. */
    private static String kv(RunData run, RunData.Group g) {
        Map<String, String> p = new TreeMap<>(run.varyingParams(g));
        p.put("hitRatio", g.params.get("hitRatio"));
        p.remove(Workload.PUNCHER_PARAM);
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(" "));
    }
}
