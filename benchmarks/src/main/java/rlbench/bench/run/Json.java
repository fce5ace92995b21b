package rlbench.bench.run;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Just enough JSON for {@code env.json} and the github-action-benchmark export: maps, lists,
 * strings, numbers, booleans and null, written and read back. Numbers read back as
 * {@code Double}; maps keep their order. The reader is strict (RFC 8259 numbers, escapes and
 * control characters, no duplicate keys), so tests can use it to check that a file is JSON.
 */
public final class Json {

    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private Json() {
    }

    /**
     * {@code value} as indented JSON text ending in a newline. Maps become objects (keys by
     * {@code String.valueOf}), lists arrays (one item a line when they hold maps or lists), numbers
     * plain decimals, anything else its {@code toString()} as a string.
     *
     * @throws IllegalArgumentException for a NaN or infinite number, which JSON cannot hold
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.append('\n').toString();
    }

    /**
     * A number as JSON writes it: integers as they are, doubles as plain decimals with no exponent
     * and no trailing zeros ({@code 1.0E7} becomes {@code 10000000}, {@code 0.5} stays).
     *
     * @throws IllegalArgumentException for NaN or an infinity
     */
    public static String number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not a JSON number: " + d);
            }
            return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (n instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return n.toString();
    }

    private static void write(StringBuilder sb, Object v, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Number n) {
            sb.append(number(n));
        } else if (v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{");
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                sb.append('\n').append(indent).append("  ");
                string(sb, String.valueOf(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent + "  ");
                if (it.hasNext()) {
                    sb.append(',');
                }
            }
            sb.append('\n').append(indent).append('}');
        } else if (v instanceof List<?> l) {
            boolean block = l.stream().anyMatch(x -> x instanceof Map<?, ?> || x instanceof List<?>);
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(block ? "," : ", ");
                }
                if (block) {
                    sb.append('\n').append(indent).append("  ");
                }
                write(sb, l.get(i), indent + "  ");
            }
            if (block) {
                sb.append('\n').append(indent);
            }
            sb.append(']');
        } else {
            string(sb, v.toString());
        }
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Parses one JSON value.
     *
     * @throws IllegalArgumentException naming the offset of the first thing that is not JSON
     */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        Object v = r.value();
        r.skipSpace();
        if (r.at < text.length()) {
            throw r.error("trailing text");
        }
        return v;
    }

    /** A cursor over the text; each method reads one production and leaves the cursor after it. */
    private static final class Reader {
        private final String s;
        private int at;

        Reader(String s) {
            this.s = s;
        }

        /** How deep objects and lists may nest: deeper input is refused, not a stack overflow. */
        private static final int MAX_DEPTH = 256;
        private int depth;

        private Object nested(java.util.function.Supplier<Object> inside) {
            if (++depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            Object v = inside.get();
            depth--;
            return v;
        }

        Object value() {
            skipSpace();
            if (at >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(at);
            switch (c) {
                case '{':
                    return nested(this::object);
                case '[':
                    return nested(this::array);
                case '"':
                    return string();
                default:
                    if (s.startsWith("true", at)) {
                        at += 4;
                        return Boolean.TRUE;
                    } else if (s.startsWith("false", at)) {
                        at += 5;
                        return Boolean.FALSE;
                    } else if (s.startsWith("null", at)) {
                        at += 4;
                        return null;
                    }
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            at++;
            skipSpace();
            if (peek() == '}') {
                at++;
                return m;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a key");
                }
                int keyAt = at;
                String key = string();
                skipSpace();
                expect(':');
                Object v = value();
                if (m.containsKey(key)) {
                    at = keyAt;
                    throw error("duplicate key '" + key + "'");
                }
                m.put(key, v);
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            at++;
            skipSpace();
            if (peek() == ']') {
                at++;
                return l;
            }
            while (true) {
                l.add(value());
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    return l;
                }
            }
        }

        private String string() {
            StringBuilder sb = new StringBuilder();
            int start = at;
            at++;
            while (at < s.length()) {
                char c = s.charAt(at++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    at--;
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (at >= s.length()) {
                    break;
                }
                char e = s.charAt(at++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        if (at + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        String hex = s.substring(at, at + 4);
                        if (!hex.matches("[0-9a-fA-F]{4}")) {
                            throw error("bad \\u escape");
                        }
                        sb.append((char) Integer.parseInt(hex, 16));
                        at += 4;
                    }
                    case '"', '\\', '/' -> sb.append(e);
                    default -> {
                        at -= 2;
                        throw error("bad escape '\\" + e + "'");
                    }
                }
            }
            at = start;
            throw error("unterminated string");
        }

        private Double number() {
            int from = at;
            while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
            if (!NUMBER.matcher(s.substring(from, at)).matches()) {
                at = from;
                throw error("not a value");
            }
            return Double.valueOf(s.substring(from, at));
        }

        private char peek() {
            return at < s.length() ? s.charAt(at) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            at++;
        }

        void skipSpace() {
            while (at < s.length() && " \t\n\r".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at offset " + at);
        }
    }
}
