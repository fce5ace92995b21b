package rlbench.bench.run;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for {@code env.json}: maps, lists, strings, numbers, booleans and null, written
 * and read back. Numbers read back as {@code Double}; maps keep their order.
 */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object v, String indent) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
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
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(sb, l.get(i), indent + "  ");
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
    static Object parse(String text) {
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

        Object value() {
            skipSpace();
            if (at >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(at);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
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
            Map<String, Object> m = new java.util.LinkedHashMap<>();
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
                String key = string();
                skipSpace();
                expect(':');
                m.put(key, value());
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
            List<Object> l = new java.util.ArrayList<>();
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
            at++;
            while (at < s.length()) {
                char c = s.charAt(at++);
                if (c == '"') {
                    return sb.toString();
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
                        try {
                            sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        at += 4;
                    }
                    default -> sb.append(e);
                }
            }
            throw error("unterminated string");
        }

        private Double number() {
            int from = at;
            while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
                at++;
            }
            try {
                return Double.valueOf(s.substring(from, at));
            } catch (NumberFormatException e) {
                at = from;
                throw error("not a value");
            }
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
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at offset " + at);
        }
    }
}
