package rlbench.bench.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.Instantiatable;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON in and out through Jackson, for {@code env.json}, {@code jmh/results.json} and the
 * github-action-benchmark export.
 *
 * <p>Written the way these files have always looked, so a diff between two runs stays small: two
 * spaces a level, {@code "key": value}, a list of plain values on one line ({@code ["a", "b"]}),
 * a list holding objects or lists one item a line, and numbers as plain decimals: a double that
 * is whole has no {@code .0} and none has an exponent ({@code 1.0E7} is {@code 10000000}).
 *
 * <p>Read strictly: a duplicate key or anything after the value is refused, and every problem is
 * a one-line {@link IllegalArgumentException} naming the file, line and column.
 */
public final class JsonText {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(new SimpleModule("plain-numbers")
                    .addSerializer(Double.class, new PlainNumber<>(Double.class))
                    .addSerializer(Double.TYPE, new PlainNumber<>(Double.TYPE))
                    .addSerializer(Float.class, new PlainNumber<>(Float.class))
                    .addSerializer(Float.TYPE, new PlainNumber<>(Float.TYPE))
                    .addSerializer(BigDecimal.class, new PlainNumber<>(BigDecimal.class)))
            .build();

    private JsonText() {
    }

    /**
     * {@code value} as JSON text in the layout above, ending in a newline.
     *
     * @throws IllegalArgumentException for a NaN or infinite number, which JSON cannot hold
     */
    public static String write(Object value) {
        try {
            return MAPPER.writer(new Layout()).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException(cause.getMessage() == null ? e.getOriginalMessage() : cause.getMessage(), e);
        }
    }

    /**
     * A number as these files write it: integers as they are, doubles as plain decimals with no
     * exponent and no trailing zeros ({@code 1.0E7} is {@code 10000000}, {@code 0.5} stays).
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

    /**
     * The JSON value in {@code file}.
     *
     * @throws IllegalArgumentException with one line naming the file: unreadable, not UTF-8, or
     *                                  not JSON (with the line and column of the first problem)
     */
    public static JsonNode read(Path file) {
        String text = TextFiles.read(file);
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON: " + describe(e));
        }
    }

    /**
     * The JSON object in {@code file} as field name to value (strings, numbers, booleans, null,
     * lists and maps), in file order.
     *
     * @throws IllegalArgumentException as {@link #read}, and when the value is not an object
     */
    public static Map<String, Object> readObject(Path file) {
        JsonNode node = read(file);
        if (node.isMissingNode()) {
            throw new IllegalArgumentException(file + ": empty, not a JSON object");
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(file + ": not a JSON object (it holds " + kind(node) + ")");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class)));
        return out;
    }

    /** Jackson's message without its source excerpt, on one line, then where. */
    private static String describe(JsonProcessingException e) {
        String what = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        what = what.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "").replaceAll("\\s+", " ").trim();
        JsonLocation at = e.getLocation();
        return at == null || at.getLineNr() < 1 ? what : what + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "an array" : node.isTextual() ? "a string" : node.isNumber() ? "a number"
                : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Doubles, floats and big decimals through {@link #number}, so none is written with an exponent. */
    private static final class PlainNumber<T> extends StdSerializer<T> {
        PlainNumber(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeNumber(number((Number) value));
        }
    }

    /**
     * The layout described on the class. A list is laid out one item a line when it holds an
     * object or a list, which the generator's current value (the list being written) tells.
     */
    private static final class Layout implements PrettyPrinter, Instantiatable<Layout> {
        private final Deque<Boolean> blockLists = new ArrayDeque<>();
        private int depth;

        @Override
        public Layout createInstance() {
            return new Layout();
        }

        private void newLine(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
            for (int i = 0; i < depth; i++) {
                g.writeRaw("  ");
            }
        }

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            g.writeRaw('{');
            depth++;
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) throws IOException {
            newLine(g);
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            newLine(g);
        }

        @Override
        public void writeEndObject(JsonGenerator g, int entries) throws IOException {
            depth--;
            if (entries > 0) {
                newLine(g);
            }
            g.writeRaw('}');
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            blockLists.push(holdsContainers(g.currentValue()));
            g.writeRaw('[');
            depth++;
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (blockLists.peek()) {
                newLine(g);
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(',');
            if (blockLists.peek()) {
                newLine(g);
            } else {
                g.writeRaw(' ');
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            depth--;
            if (blockLists.pop() && values > 0) {
                newLine(g);
            }
            g.writeRaw(']');
        }

        private static boolean holdsContainers(Object list) {
            if (list instanceof JsonNode node) {
                for (JsonNode item : node) {
                    if (item.isContainerNode()) {
                        return true;
                    }
                }
                return false;
            }
            if (list instanceof Collection<?> c) {
                return c.stream().anyMatch(x -> x != null && !(x instanceof CharSequence || x instanceof Number
                        || x instanceof Boolean || x instanceof Character || x instanceof Enum<?>));
            }
            if (list instanceof Object[] a) {
                return holdsContainers(java.util.Arrays.asList(a));
            }
            return false;
        }
    }
}
