package rlbench.bench.workloads;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * How many threads run each op of one benchmark, over all its thread groups: what the rules
 * between a workload's parameters need to know of the threads (a writer's share of the file
 * shrinks as writers are added). The runner builds it from the thread groups it will ask JMH for;
 * a fork from the {@link BenchmarkParams} it was given, so the two agree.
 *
 * @param byOp threads per op name ({@link #op})
 */
public record OpThreads(Map<String, Integer> byOp) {

    public OpThreads {
        byOp = Map.copyOf(byOp);
    }

    /** Threads running {@code op}; 0 when none does. */
    public int of(String op) {
        return byOp.getOrDefault(op, 0);
    }

    /**
     * The op a benchmark method performs: a group's worker methods are named {@code worker} plus
     * the op ({@code workerFault} is {@code fault}); any other method is its own op.
     */
    public static String op(String method) {
        if (method.startsWith("worker") && method.length() > 6) {
            return Character.toLowerCase(method.charAt(6)) + method.substring(7);
        }
        return method;
    }

    /** {@code threads} threads of one plain benchmark method. */
    public static OpThreads plain(String method, int threads) {
        return new OpThreads(Map.of(op(method), threads));
    }

    /**
     * A group's methods (in JMH's {@code -tg} order) with {@code threadGroups[i]} threads of
     * method {@code i} in each of {@code groups} groups.
     */
    public static OpThreads group(List<String> methods, int[] threadGroups, int groups) {
        if (methods.size() != threadGroups.length) {
            throw new IllegalArgumentException(methods.size() + " group methods but " + threadGroups.length + " thread counts");
        }
        Map<String, Integer> m = new TreeMap<>();
        for (int i = 0; i < threadGroups.length; i++) {
            m.merge(op(methods.get(i)), groups * threadGroups[i], Integer::sum);
        }
        return new OpThreads(m);
    }

    /** What JMH runs in this fork: a plain method at {@code -t} threads, or its thread groups. */
    public static OpThreads of(BenchmarkParams p) {
        Collection<String> labels = p.getThreadGroupLabels();
        if (labels == null || labels.isEmpty()) {
            String b = p.getBenchmark();
            return plain(b.substring(b.lastIndexOf('.') + 1), p.getThreads());
        }
        int perGroup = 0;
        for (int n : p.getThreadGroups()) {
            perGroup += n;
        }
        return group(List.copyOf(labels), p.getThreadGroups(), perGroup == 0 ? 0 : p.getThreads() / perGroup);
    }
}
