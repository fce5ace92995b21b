package rlbench.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import rlbench.bench.output.Doc;
import rlbench.bench.targets.Targets;

/**
 * The report's section "The real kernel beside the simulation": does the simulated {@code rwsem},
 * the design Linux ships, behave like this machine's kernel? Each row is one effect, measured as
 * the same ratio on both: an op disturbed (a miss, a concurrent punch, a longer range, a second
 * writer) over the same op undisturbed, each target against its own undisturbed op, so that the
 * kernel's absolute speed and the simulation's do not enter. The simulation's floor, {@code none},
 * gets the same ratio beside them: the share of an effect that is not the lock's (two cores
 * shared with a puncher thread, say). A row says whether the simulation reproduces the kernel's
 * direction (both up, both down, or both flat within 10%) and its magnitude (the two ratios within
 * 2x of each other).
 *
 * <p>It compares the kernel's rows at {@code kernelFs=dir} (the run folder's filesystem or
 * {@code --kernel-dir}); the quick and full profiles' calibration cases supply what their matrix
 * lacks (README, "The real kernel beside the simulation").
 */
final class Calibration {

    /** Ratios within this factor of 1 count as flat. */
    private static final double FLAT = 1.1;
    /** The magnitude test: the two ratios within this factor of each other. */
    private static final double WITHIN = 2.0;

    private static final String SIM = "rwsem";
    private static final String FLOOR = "none";

    /** One effect: its name, the metric, the disturbed and the undisturbed group, and the thread counts compared. */
    private record Effect(String name, String metric, Predicate<RunData.Group> disturbed, Predicate<RunData.Group> alone,
                          Set<String> differ, int threadsDisturbed, int threadsAlone) {
    }

    private final RunData run;

    Calibration(RunData run) {
        this.run = run;
    }

    /** The section's blocks, or empty when the run has no linux rows. */
    static Optional<List<Doc.Block>> section(RunData run) {
        boolean kernel = run.groups.stream().anyMatch(g -> g.byDesign.containsKey(Targets.LINUX));
        return kernel ? Optional.of(new Calibration(run).blocks()) : Optional.empty();
    }

    private List<Doc.Block> blocks() {
        List<Doc.Block> out = new ArrayList<>();
        out.add(new Doc.Heading(2, "The real kernel beside the simulation"));
        out.add(new Doc.Para("Each row is one effect, as the same ratio on both targets: the op disturbed over the same op "
                + "undisturbed, each on its own. `linux` is this machine's kernel on a real file ("
                + kernelWhere() + "); `rwsem` is the simulated design Linux ships (`invalidate_lock` with `i_rwsem`); `none`, "
                + "the simulation's floor, shows how much of an effect is not a lock's. A verdict says whether the simulation "
                + "goes the kernel's way (up, down, or flat within 10%) and lands within 2x of it. Blank where the run did not "
                + "measure both sides (the quick and full profiles do, with `linux` among the designs)."));
        List<List<String>> rows = new ArrayList<>();
        for (Effect e : effects()) {
            rows.add(row(e));
        }
        out.add(new Doc.Table(List.of("effect", "linux", "rwsem", "none", "verdict"), rows, 1));
        return out;
    }

    private String kernelWhere() {
        Object t = run.envJson.fields().get("kernel_target");
        if (t instanceof Map<?, ?> m && m.get("dir") instanceof Map<?, ?> d) {
            return d.get("fs_type") + " on " + d.get("device") + ", Linux " + d.get("kernel_release");
        }
        return "Linux " + Targets.kernelRelease();
    }

    private static List<Effect> effects() {
        Predicate<RunData.Group> faultAlone = g -> is(g, "fault", "fault") && eq(g, "puncher", "off") && eq(g, "arrival", "closed")
                && eq(g, "hitRatio", "0.0") && !eq(g, "punchTarget", "disjoint");
        return List.of(
                new Effect("fault miss over fault hit, p50, 1 thread", "p50_ns", faultAlone,
                        g -> is(g, "fault", "fault") && eq(g, "puncher", "off") && eq(g, "hitRatio", "1.0"),
                        Set.of("hitRatio"), 1, 1),
                new Effect("fault p99 with overlapping punches over alone, closed loop, 1 thread", "p99_ns",
                        g -> is(g, "fault", "fault") && eq(g, "puncher", "on") && eq(g, "arrival", "closed")
                                && eq(g, "hitRatio", "0.0") && eq(g, "punchTarget", "overlap"),
                        faultAlone, Set.of("puncher"), 1, 1),
                new Effect("fault p99 with disjoint 262144-page punches over alone, open loop, 1 thread", "p99_ns",
                        g -> is(g, "fault", "fault") && eq(g, "puncher", "on") && eq(g, "punchTarget", "disjoint"),
                        g -> is(g, "fault", "fault") && eq(g, "puncher", "off") && eq(g, "punchTarget", "disjoint"),
                        Set.of("puncher"), 1, 1),
                punchEffect("sparse"),
                punchEffect("dense"),
                new Effect("buffered write ops/s, 2 threads over 1, disjoint regions", "ops_per_s",
                        g -> is(g, "write", "write") && eq(g, "puncher", "off") && eq(g, "regions", "disjoint"),
                        g -> is(g, "write", "write") && eq(g, "puncher", "off") && eq(g, "regions", "disjoint"),
                        Set.of(), 2, 1));
    }

    private static Effect punchEffect(String cache) {
        return new Effect("punch p50, 262144 pages over 64, " + cache + " cache, 1 thread", "p50_ns",
                g -> is(g, "punch", "punch") && eq(g, "cache", cache) && eq(g, "punchPages", "262144"),
                g -> is(g, "punch", "punch") && eq(g, "cache", cache) && eq(g, "punchPages", "64"),
                Set.of("punchPages"), 1, 1);
    }

    private List<String> row(Effect e) {
        RunData.Group[] pair = pair(e);
        Double kernel = pair == null ? null : ratio(e, pair, Targets.LINUX);
        Double sim = pair == null ? null : ratio(e, pair, SIM);
        Double floor = pair == null ? null : ratio(e, pair, FLOOR);
        return List.of(e.name(), fmt(kernel), fmt(sim), fmt(floor), verdict(kernel, sim));
    }

    /**
     * The effect's (disturbed, undisturbed) groups: the first pair whose parameters agree except
     * in what the effect changes and where both the kernel and the simulated design have both
     * values, so that every column of the row comes from the same two parameter sets; null when
     * the run has no such pair.
     */
    private RunData.Group[] pair(Effect e) {
        for (RunData.Group d : run.groups) {
            if (d.params.containsKey("kernelFs") || !e.disturbed().test(d)) {
                continue;
            }
            for (RunData.Group a : run.groups) {
                if (a.params.containsKey("kernelFs") || !e.alone().test(a) || !sameExcept(d, a, e.differ())) {
                    continue;
                }
                RunData.Group[] p = {d, a};
                if (ratio(e, p, Targets.LINUX) != null && ratio(e, p, SIM) != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Disturbed over undisturbed for one design in the pair; null when it lacks either value. */
    private static Double ratio(Effect e, RunData.Group[] pair, String design) {
        var top = pair[0].value(design, e.threadsDisturbed(), e.metric());
        var bottom = pair[1].value(design, e.threadsAlone(), e.metric());
        return top != null && bottom != null && bottom.value() > 0 ? top.value() / bottom.value() : null;
    }

    /** Both ratios' direction and distance: the row's verdict. */
    static String verdict(Double kernel, Double sim) {
        if (kernel == null || sim == null) {
            return "not measured here";
        }
        int dk = direction(kernel);
        int ds = direction(sim);
        double apart = Math.max(kernel, sim) / Math.min(kernel, sim);
        if (dk != ds) {
            return "differs: the kernel goes " + word(dk) + ", the simulation " + word(ds);
        }
        if (apart <= WITHIN) {
            return "reproduces (" + word(dk) + ", within " + String.format(Locale.ROOT, "%.2f", apart) + "x)";
        }
        return "direction only (" + word(dk) + ", " + String.format(Locale.ROOT, "%.1f", apart) + "x apart)";
    }

    private static int direction(double r) {
        return r > FLAT ? 1 : r < 1 / FLAT ? -1 : 0;
    }

    private static String word(int direction) {
        return direction > 0 ? "up" : direction < 0 ? "down" : "flat";
    }

    private static String fmt(Double r) {
        return r == null ? "" : String.format(Locale.ROOT, r >= 100 ? "%.0fx" : r >= 10 ? "%.1fx" : "%.2fx", r);
    }

    private static boolean is(RunData.Group g, String workload, String op) {
        return g.workload.equals(workload) && g.op.equals(op);
    }

    private static boolean eq(RunData.Group g, String param, String value) {
        return value.equals(g.params.get(param));
    }

    /** Whether two groups' parameters agree, leaving out {@code differ}. */
    private static boolean sameExcept(RunData.Group a, RunData.Group b, Set<String> differ) {
        Map<String, String> pa = new TreeMap<>(a.params);
        Map<String, String> pb = new TreeMap<>(b.params);
        pa.keySet().removeAll(differ);
        pb.keySet().removeAll(differ);
        return pa.equals(pb);
    }
}
