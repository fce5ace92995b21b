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
 * that differ only in {@code puncher} (a group run with the puncher only, such as a profile case,
 * shows "-" alone). Beside the waits with the puncher: the faults' p99 latency and the punch's
 * own p50 and maximum, so that the longest wait reads against the punch it waited for. The
 * latency figures show a stall diluted among all faults; the waits show the stall itself, which
 * is the effect the designs differ in: under a whole-file lock a fault waits for the whole punch,
 * under a range lock only when the ranges meet.
 */
final class PunchWaits {

    static final String FAULT = "fault";
    private static final String P99 = "lock_wait_p99_ns";
    private static final String MAX = "lock_wait_max_ns";
    private static final String PCT = "lock_contended_pct";
    private static final String PUNCH = "punch";

    private PunchWaits() {
    }

    /** The section for {@code workload}, or empty when no fault group ran both with and without a puncher. */
    static Optional<List<Doc.Block>> section(RunData run, String workload) {
        // Fault groups by everything but the puncher, off and on side by side; the punch op of each "on" group.
        Map<Map<String, String>, Map<String, RunData.Group>> pairs = new TreeMap<>(RunData.PARAMS_ORDER);
        Map<Map<String, String>, RunData.Group> punches = new TreeMap<>(RunData.PARAMS_ORDER);
        for (RunData.Group g : run.groups(workload)) {
            String puncher = g.params.get(Workload.PUNCHER_PARAM);
            if (g.op.equals(FAULT) && puncher != null && g.hasMetric(MAX)) {
                pairs.computeIfAbsent(withoutPuncher(g.params), k -> new TreeMap<>()).put(puncher, g);
            } else if (g.op.equals(PUNCH) && Workload.ON.equals(puncher)) {
                punches.put(withoutPuncher(g.params), g);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        List<Map<String, String>> shown = pairs.entrySet().stream().filter(e -> e.getValue().containsKey(Workload.ON))
                .map(Map.Entry::getKey).toList();
        boolean several = shown.size() > 1;
        // The parameters the table's groups share are said by the section titles; a row names only those that tell it apart.
        Map<String, String> shared = new TreeMap<>(shown.isEmpty() ? Map.of() : shown.get(0));
        shown.forEach(k -> shared.entrySet().removeIf(x -> !x.getValue().equals(k.get(x.getKey()))));
        for (Map.Entry<Map<String, String>, Map<String, RunData.Group>> e : pairs.entrySet()) {
            RunData.Group off = e.getValue().get(Workload.OFF);
            RunData.Group on = e.getValue().get(Workload.ON);
            if (on == null) {
                continue;
            }
            RunData.Group punch = punches.get(e.getKey());
            TreeSet<String> designs = new TreeSet<>(RunData.DESIGN_ORDER);
            designs.addAll(on.designs());
            for (String d : designs) {
                for (int t : on.byDesign.get(d).keySet()) {
                    if (on.value(d, t, MAX) == null) {
                        continue; // ran with lock statistics off
                    }
                    List<String> row = new ArrayList<>(List.of(d, String.valueOf(t)));
                    row.addAll(off == null ? List.of("-", "-", "-") : waits(off, d, t));
                    row.addAll(waits(on, d, t));
                    row.add(ns(on.value(d, t, "p99_ns")));
                    row.add(punch == null ? "-" : ns(punch.value(d, t, "p50_ns")));
                    row.add(punch == null ? "-" : ns(punch.value(d, t, "max_ns")));
                    if (several) {
                        Map<String, String> own = new TreeMap<>(e.getKey());
                        own.keySet().removeAll(shared.keySet());
                        row.add(Report.kv(own));
                    }
                    rows.add(row);
                }
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<String> header = new ArrayList<>(List.of("design", "threads", "wait p99 alone", "wait max alone",
                "faults that waited alone", "wait p99 with puncher", "wait max with puncher", "faults that waited with puncher",
                "fault p99 with puncher", "punch p50", "punch max"));
        if (several) {
            header.add("parameters");
        }
        List<Doc.Block> out = new ArrayList<>();
        out.add(new Doc.Heading(3, "How long faults waited behind punches"));
        out.add(new Doc.Para("The time each fault spent waiting for locks (the sum of its waits; 0 for a fault that took "
                + "every lock at once), from the lock statistics: its p99 and maximum, and the share of faults that waited "
                + "at all, without the puncher and with it (\"-\" where the group ran only with it); then, with the puncher, "
                + "the faults' p99 latency and the punch's own p50 and maximum. A fault that meets a punch under a whole-file "
                + "lock waits for the whole punch; under a range lock it waits only when its page is in the punched range, "
                + "and with punchTarget=disjoint never."));
        out.add(new Doc.Table(header, rows, 1));
        return Optional.of(out);
    }

    /** A group's fault waits at one design and thread count: p99, maximum, share that waited. */
    private static List<String> waits(RunData.Group g, String design, int threads) {
        return List.of(ns(g.value(design, threads, P99)), ns(g.value(design, threads, MAX)), pct(g.value(design, threads, PCT)));
    }

    private static Map<String, String> withoutPuncher(Map<String, String> params) {
        Map<String, String> rest = new TreeMap<>(params);
        rest.remove(Workload.PUNCHER_PARAM);
        return rest;
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
