package rlbench.bench.workloads;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Param;

/**
 * The parameters of a benchmark as its {@code @Param} fields declare them: the name, the Java
 * type (a whole number, a number, an enum, a string) and the {@link Bounds}. This is the one
 * declaration the runner checks {@code -p} and profile values against in its own JVM and the
 * benchmarks' trial setups check their fields against in the forks.
 */
public final class Params {

    private Params() {
    }

    /** One {@code @Param} field. */
    public record Declared(String name, Field field) {

        public Class<?> type() {
            return field.getType();
        }

        /**
         * The value as the field's type, within its bounds.
         *
         * @throws IllegalArgumentException with one line, {@code name=value is ...}
         */
        public Object parse(String value) {
            Class<?> t = type();
            if (t.isEnum()) {
                for (Object c : t.getEnumConstants()) {
                    if (((Enum<?>) c).name().equals(value)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException(name + "=" + value + " is " + oneOf(t));
            }
            if (t == int.class || t == long.class) {
                BigInteger v;
                try {
                    v = new BigInteger(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(name + "=" + value + " is not a whole number");
                }
                long[] b = wholeBounds();
                if (v.compareTo(BigInteger.valueOf(b[0])) < 0 || v.compareTo(BigInteger.valueOf(b[1])) > 0) {
                    throw outside(value);
                }
                return t == int.class ? (Object) v.intValueExact() : (Object) v.longValueExact();
            }
            if (t == double.class) {
                double d;
                try {
                    d = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    d = Double.NaN;
                }
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException(name + "=" + value + " is not a finite number");
                }
                checkNumber(d, value);
                return d;
            }
            if (t == boolean.class) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException(name + "=" + value + " is neither true nor false");
                }
                return Boolean.valueOf(value);
            }
            if (t == String.class) {
                return value;
            }
            throw new IllegalStateException("@Param " + name + " has a type the suite does not declare: " + t);
        }

        /** Whether two values of this parameter are the same value: {@code 4096} and {@code 04096} are. */
        public boolean same(String a, String b) {
            Object x = parse(a);
            Object y = parse(b);
            return x.equals(y);
        }

        /** A field value JMH has already typed, against the bounds. */
        void check(Object value) {
            Class<?> t = type();
            if (t == int.class || t == long.class) {
                long v = ((Number) value).longValue();
                long[] b = wholeBounds();
                if (v < b[0] || v > b[1]) {
                    throw outside(String.valueOf(v));
                }
            } else if (t == double.class) {
                double d = (Double) value;
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException(name + "=" + d + " is not a finite number");
                }
                checkNumber(d, String.valueOf(d));
            } else if (value == null && t.isEnum()) {
                throw new IllegalArgumentException(name + " has no value");
            }
        }

        private void checkNumber(double d, String shown) {
            Bounds b = field.getAnnotation(Bounds.class);
            if (b != null && (d < b.min() || d > b.max())) {
                throw outside(shown);
            }
        }

        /** The bounds of a whole-number field: its annotation within its Java type's range. */
        private long[] wholeBounds() {
            long lo = type() == int.class ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long hi = type() == int.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
            Bounds b = field.getAnnotation(Bounds.class);
            if (b != null) {
                lo = b.min() > lo ? (long) Math.ceil(b.min()) : lo;
                hi = b.max() < hi ? (long) Math.floor(b.max()) : hi;
            }
            return new long[] {lo, hi};
        }

        private IllegalArgumentException outside(String shown) {
            Bounds b = field.getAnnotation(Bounds.class);
            String range;
            if (type() == double.class) {
                range = plain(b.min()) + ".." + plain(b.max());
            } else {
                long[] w = wholeBounds();
                range = w[0] + ".." + w[1];
            }
            String why = b == null || b.why().isEmpty() ? "" : " (" + b.why() + ")";
            return new IllegalArgumentException(name + "=" + shown + " is outside " + range + why);
        }
    }

    /**
     * Every {@code @Param} of a benchmark class, by name: its own and its superclasses' fields and
     * those of the state classes nested in them (a state only some methods use, such as
     * {@code LocksBenchmark.Range}).
     */
    public static Map<String, Declared> declared(Class<?> benchmark) {
        Map<String, Declared> out = new TreeMap<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(benchmark));
        Set<Class<?>> done = new HashSet<>();
        while (!todo.isEmpty()) {
            Class<?> c = todo.pop();
            if (c == null || c == Object.class || !done.add(c)) {
                continue;
            }
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(Param.class)) {
                    out.putIfAbsent(f.getName(), new Declared(f.getName(), f));
                }
            }
            todo.add(c.getSuperclass());
            todo.addAll(List.of(c.getDeclaredClasses()));
        }
        return out;
    }

    /**
     * Every {@code @Param} field of {@code state} (its class and superclasses) against its bounds;
     * the trial setups call this, so a fork refuses what the runner would have.
     *
     * @throws IllegalArgumentException naming the first value out of bounds
     */
    public static void checkBounds(Object state) {
        for (Class<?> c = state.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.isAnnotationPresent(Param.class) && !Modifier.isStatic(f.getModifiers())) {
                    try {
                        f.setAccessible(true);
                        new Declared(f.getName(), f).check(f.get(state));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
    }

    /**
     * A new, unbuilt instance of a benchmark state with its fields set from {@code values} (one
     * value per parameter; names the class does not have are left out), for checking the rules
     * between parameters without running anything.
     *
     * @throws IllegalArgumentException when a value is not of its field's type and bounds
     */
    public static <T> T instance(Class<T> state, Map<String, String> values) {
        T b;
        try {
            b = state.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + state.getSimpleName() + " to check its parameters", e);
        }
        for (Class<?> c = state; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                String v = values.get(f.getName());
                if (v != null && f.isAnnotationPresent(Param.class)) {
                    try {
                        f.setAccessible(true);
                        f.set(b, new Declared(f.getName(), f).parse(v));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return b;
    }

    private static String oneOf(Class<?> enumType) {
        List<String> names = Arrays.stream(enumType.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
        if (names.size() == 2) {
            return "neither " + names.get(0) + " nor " + names.get(1);
        }
        return "not one of " + names.stream().collect(Collectors.joining(", "));
    }

    /** 0 and 1 rather than 0.0 and 1.0; other bounds as Java writes them. */
    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? new BigDecimal(d).toPlainString() : String.valueOf(d);
    }
}
