package rlbench.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import rlbench.bench.output.Doc;
import rlbench.bench.results.Metrics;
import rlbench.bench.results.Row;
import rlbench.bench.run.Workload;
import rlbench.bench.workloads.PunchBenchmark;

/**
 * "Where a punch's time goes": for a workload that punched the same range with the cache
 * {@code dense} and {@code sparse}, each design's median punch both ways, the difference per
 * evicted page, and the same design's invalidate pair with nothing cached (workload
 * {@code locks}), at the lowest thread count. A punch is its lock, the eviction of every cached
 * page (page lock, unmap, delete from the index, frame back to the pool) and the freeing of the
 * range's extents; a sparse cache leaves almost only the lock and the extents, so the
 * difference is what eviction costs.
 */
final class PunchTime {

    private static final String DENSE = PunchBenchmark.Cache.dense.name();
    private static final String SPARSE = PunchBenchmark.Cache.sparse.name();

    private PunchTime() {
    }

    /** The section for {@code workload}, or empty when it has no punches in both cache states. */
    static Optional<List<Doc.Block>> section(RunData run, String workload) {
        Optional<Workload> w = Workload.find(workload);
        String range = w.map(k -> k.rangeParam).orElse(null);
        String cacheParam = w.map(k -> k.cacheParam).orElse(null);
        String puncher = w.flatMap(Workload::puncherOp).orElse(null);
        if (range == null || cacheParam == null || puncher == null) {
            return Optional.empty();
        }
        // Punch groups by everything but the cache state, dense and sparse side by side.
        Map<Map<String, String>, Map<String, RunData.Group>> pairs = new TreeMap<>(RunData.PARAMS_ORDER);
        for (RunData.Group g : run.groups(workload)) {
            String cache = g.params.get(cacheParam);
            if (g.op.equals(puncher) && g.params.containsKey(range) && (DENSE.equals(cache) || SPARSE.equals(cache))) {
                Map<String, String> rest = new TreeMap<>(g.params);
                rest.remove(cacheParam);
                pairs.computeIfAbsent(rest, k -> new TreeMap<>()).put(cache, g);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<Map<String, String>, Map<String, RunData.Group>> e : pairs.entrySet()) {
            RunData.Group dense = e.getValue().get(DENSE);
            RunData.Group sparse = e.getValue().get(SPARSE);
            if (dense == null || sparse == null) {
                continue;
            }
            long pages = Long.parseLong(e.getKey().get(range));
            TreeSet<String> designs = new TreeSet<>(RunData.DESIGN_ORDER);
            designs.addAll(dense.designs());
            designs.retainAll(sparse.designs());
            for (String d : designs) {
                TreeSet<Integer> threads = new TreeSet<>(dense.byDesign.get(d).keySet());
                threads.retainAll(sparse.byDesign.get(d).keySet());
                if (threads.isEmpty()) {
                    continue;
                }
                int t = threads.first();
                Row dp = dense.value(d, t, "p50_ns");
                Row sp = sparse.value(d, t, "p50_ns");
                if (dp == null || sp == null) {
                    continue;
                }
                double perPage = (dp.value() - sp.value()) / pages;
                rows.add(List.of(d, String.valueOf(pages), String.valueOf(t), Report.ns(sp.value()), Report.ns(dp.value()),
                        perPage > 0 ? LockCost.fine(perPage) : "-", invalidatePair(run, d, pages)));
            }
        }
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<Doc.Block> out = new ArrayList<>();
        out.add(new Doc.Heading(3, "Where a punch's time goes"));
        out.add(new Doc.Para("A punch is its lock (taken and dropped: the last column, from workload `locks`, nothing "
                + "cached), the eviction of every cached page in the range (page lock, unmap from every mapping, delete "
                + "from the index, frame back to the pool) and the freeing of the range's extents (a handful, whatever "
                + "the range). With the cache `sparse` (1 page in 4096 cached) almost nothing is evicted, so its median "
                + "is the lock, the extents and the walk of the index; `dense` adds one eviction per page, and the "
                + "difference per page is what an eviction costs. Medians at the lowest thread count; a dense range's "
                + "cost therefore follows its cached pages in every design, a sparse one only in a per-page lock."));
        out.add(new Doc.Table(List.of("design", "pages", "threads", "p50 sparse", "p50 dense", "per evicted page",
                "invalidate pair alone"), rows, 1));
        return Optional.of(out);
    }

    private static String invalidatePair(RunData run, String design, long pages) {
        for (RunData.Group g : run.groups(LockCost.LOCKS)) {
            if (g.op.equals("invalidatePair") && String.valueOf(pages).equals(g.params.get(Workload.LOCKS.rangeParam))) {
                Row v = g.value(design, 1, Metrics.AVGT);
                if (v != null) {
                    return LockCost.fine(v.value());
                }
            }
        }
        return "-";
    }
}
