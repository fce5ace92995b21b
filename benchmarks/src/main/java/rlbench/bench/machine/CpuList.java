package rlbench.bench.machine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A set of CPU numbers in the kernel's list syntax, {@code 0-3,8,10-11}: what {@code run --cpus}
 * takes, and what {@code /sys/devices/system/cpu/online}, {@code isolated} and the NUMA nodes'
 * {@code cpulist} files hold. Items may overlap or repeat (the kernel and {@code taskset} accept
 * that too); the set is what counts, and {@link #toString()} gives it in canonical form.
 */
public final class CpuList {

    /**
     * Far above any kernel's CPU count (NR_CPUS is at most 8192), low enough that a typing slip such
     * as {@code 0-2000000000} cannot make a set of two billion bits. A number below it that the
     * machine lacks is refused later, by the machine check, which can name the CPUs it has.
     */
    static final int LIMIT = 1 << 20;

    private final BitSet cpus;

    private CpuList(BitSet cpus) {
        this.cpus = cpus;
    }

    /** The empty set, as an empty {@code isolated} file says "none". */
    public static CpuList empty() {
        return new CpuList(new BitSet());
    }

    /**
     * Parses a list such as {@code 0-3,8,10-11}. An empty or blank text is the empty set, as the
     * kernel writes it; callers that need at least one CPU say so themselves.
     *
     * @throws IllegalArgumentException with one line naming the bad item
     */
    public static CpuList parse(String text) {
        BitSet set = new BitSet();
        String t = text.trim();
        if (t.isEmpty()) {
            return new CpuList(set);
        }
        for (String item : t.split(",", -1)) {
            String s = item.trim();
            int dash = s.indexOf('-');
            int lo = number(dash < 0 ? s : s.substring(0, dash), s, text);
            int hi = dash < 0 ? lo : number(s.substring(dash + 1), s, text);
            if (hi < lo) {
                throw new IllegalArgumentException("the range " + s + (s.equals(t) ? "" : " in '" + text + "'")
                        + " runs backwards; write " + hi + "-" + lo);
            }
            set.set(lo, hi + 1);
        }
        return new CpuList(set);
    }

    private static int number(String digits, String item, String text) {
        String where = item.equals(text.trim()) ? "" : " in '" + text + "'";
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + item + "'" + where + " is not a CPU number or range (want a list such as 0-3,8,10-11)");
        }
        if (digits.length() > 7 || Integer.parseInt(digits) >= LIMIT) {
            throw new IllegalArgumentException("CPU " + digits + where + " is beyond any Linux machine's CPU numbers");
        }
        return Integer.parseInt(digits);
    }

    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    public int size() {
        return cpus.cardinality();
    }

    public boolean contains(int cpu) {
        return cpu >= 0 && cpus.get(cpu);
    }

    /** True when every CPU of this set is in {@code other}. */
    public boolean within(CpuList other) {
        return minus(other).isEmpty();
    }

    /** The CPUs of this set that {@code other} lacks. */
    public CpuList minus(CpuList other) {
        BitSet b = (BitSet) cpus.clone();
        b.andNot(other.cpus);
        return new CpuList(b);
    }

    /** The CPUs in both sets. */
    public CpuList and(CpuList other) {
        BitSet b = (BitSet) cpus.clone();
        b.and(other.cpus);
        return new CpuList(b);
    }

    /** The CPUs in either set. */
    public CpuList or(CpuList other) {
        BitSet b = (BitSet) cpus.clone();
        b.or(other.cpus);
        return new CpuList(b);
    }

    /** The CPU numbers, ascending. */
    public List<Integer> numbers() {
        List<Integer> out = new ArrayList<>();
        cpus.stream().forEach(out::add);
        return out;
    }

    /** The canonical list as the kernel writes it: ascending, runs as ranges ({@code 0-3,8,10-11}); empty for none. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int i = cpus.nextSetBit(0);
        while (i >= 0) {
            int end = cpus.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = cpus.nextSetBit(end + 1);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuList c && c.cpus.equals(cpus);
    }

    @Override
    public int hashCode() {
        return cpus.hashCode();
    }
}
