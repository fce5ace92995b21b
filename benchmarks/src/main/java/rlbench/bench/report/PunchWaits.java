package rlbench.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import rlbench.bench.output.Doc;
import rlbench.bench.results.Row;
import rlbench.bench.run.Workload;

/**
 * "How long faults waited behind punches": for each design, the fault op's time waiting for
 * locks ({@code lock_wait_p99_ns}, {@code lock_wait_max_ns}) and the share of faults that waited
 * at all ({@code lock_contended_pct}), without the puncher and with it, from the rows of groups
 * that differ only in {@code puncher}. The latency figures show a stall diluted among all faults;
 * these show the wait itself, which is the effect the designs differ in: under a whole-file lock
 * a fault waits for the whole punch, under a range lock only when the ranges meet.
 */
final class PunchWaits {

    static final String FAULT = "fault";
    private static final String P99 = "lock_wait_p99_ns";
    private static final String MAX = "lock_wait_max_ns";
    private static final String PCT = "lock_contended_pct";

    private PunchWaits() {
    }

    /** The section for {@code workload}, or empty when no fault group ran both with and without a puncher. */
    static Optional<List<Doc.Block>> section(RunData run, String workload) {
        // Fault groups by everything but the puncher, off and on side by side.
        Map<Map<String, String>, Map<String, RunData.Group>> pairs = new TreeMap<>(RunData.PARAMS_ORDER);
        for (RunData.Group g : run.groups(workload)) {
            String puncher = g.params.get(Workload.PUNCHER_PARAM);
            if (g.op.equals(FAULT) && puncher != null && g.hasMetric(MAX)) {
                Map<String, String> rest = new TreeMap<>(g.params);
                rest.remove(Workload.PUNCHER_PARAM);
                pairs.computeIfAbsent(rest, k -> new TreeMap<>()).put(puncher, g);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        boolean several = pairs.size() > 1;
        for (Map.Entry<Map<String, String>, Map<String, RunData.Group>> e : pairs.entrySet()) {
            RunData.Group off = e.getValue().get(Workload.OFF);
            RunData.Group on = e.getValue().get(Workload.ON);
            if (off == null || on == null) {
                continue;
            }
            TreeSet<String> designs = new TreeSet<>(RunData.DESIGN_ORDER);
            designs.addAll(on.designs());
            designs.retainAll(off.designs());
            for (String d : designs) {
                TreeSet<Integer> threads = new TreeSet<>(on.byDesign.get(d).keySet());
                threads.retainAll(off.byDesign.get(d).keySet());
                for (int t : threads) {
                    if (off.value(d, t, MAX) == null && on.value(d, t, MAX) == null) {
                        continue; // ran with lock statistics off
                    }
                    List<String> row = new ArrayList<>(List.of(d, String.valueOf(t)));
                    for (RunData.Group g : List.of(off, on)) {
                        row.add(ns(g.value(d, t, P99)));
                        row.add(ns(g.value(d, t, MAX)));
                        row.add(pct(g.value(d, t, PCT)));
                    }
                    if (several) {
                        row.add(Report.kv(e.getKey()));
                    }
                    rows.add(row);
                }
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<String> header = new ArrayList<>(List.of("design", "threads", "wait p99 alone", "wait max alone",
                "faults that waited alone", "wait p99 with puncher", "wait max with puncher", "faults that waited with puncher"));
        if (several) {
            header.add("parameters");
        }
        List<Doc.Block> out = new ArrayList<>();
        out.add(new Doc.Heading(3, "How long faults waited behind punches"));
        out.add(new Doc.Para("The time each fault spent waiting for locks (the sum of its waits; 0 for a fault that took "
                + "every lock at once), from the lock statistics: its p99 and maximum, and the share of faults that waited "
                + "at all, without the puncher and with it. A fault that meets a punch under a whole-file lock waits for the "
                + "whole punch; under a range lock it waits only when its page is in the punched range."));
        out.add(new Doc.Table(header, rows, 1));
        return Optional.of(out);
    }

    private static String ns(Row r) {
        return r == null ? "-" : Report.ns(r.value());
    }

    private static String pct(Row r) {
        if (r == null) {
            return "-";
        }
        // A handful of faults in hundreds of thousands still waited: say so rather than print 0.00% (and "<" is markup).
        return r.value() > 0 && r.value() < 0.005 ? "under 0.01%" : String.format("%.2f%%", r.value());
    }
}
