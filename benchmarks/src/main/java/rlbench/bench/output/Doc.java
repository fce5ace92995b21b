package rlbench.bench.output;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A document as a list of blocks, written out by a {@link Reporter}: the run report in Markdown
 * and HTML, a command's table on the console. The blocks say what a thing is (a heading, a table
 * whose columns are numbers), never how a format draws it. Text may use {@code `code`} and
 * {@code **bold**}; a format without markup for them shows them as typed, and each format
 * escapes whatever else in the text it would read as its own markup.
 */
public final class Doc {

    /** One piece of a document. */
    public sealed interface Block permits Heading, Para, Bullets, Table, Figure, Fold {
    }

    /** A section title; level 1 is the document's own. */
    public record Heading(int level, String text) implements Block {
    }

    public record Para(String text) implements Block {
    }

    public record Bullets(List<String> items) implements Block {
    }

    /** {@code file} is relative to the document's {@link Doc#base() base} folder. */
    public record Figure(String file, String caption) implements Block {
    }

    /** Secondary detail: folded away in HTML, a plain sub-section elsewhere. */
    public record Fold(String summary, List<Block> blocks) implements Block {
    }

    /** Which side of its column a cell keeps to: text to the left, numbers to the right. */
    public enum Align {
        LEFT, RIGHT
    }

    /**
     * One column of a {@link Table}. {@code header} is what a reader sees; {@code key} is the
     * name a data format (CSV) writes instead, one a script can use ({@code change_pct} for
     * "change %"). {@code align} is where Markdown and HTML put the cells: numbers right, text
     * left. The rest matters to the plain-text format alone, which has to line cells up itself:
     * {@code textAlign} is the side it pads on (the same as {@code align} unless a console table
     * wants a text column flush with the next one); {@code width} is the least width of every
     * cell; with {@code fit} the column is as wide as its widest cell, header included, and
     * without it a wider cell widens only its own line, as printf's {@code %14s} does (a console
     * table of long keys and short numbers stays narrow that way). {@code gap} is the number of
     * spaces between this column and the one before it.
     */
    public record Column(String header, String key, Align align, Align textAlign, int width, boolean fit, int gap) {

        public Column {
            Objects.requireNonNull(header);
            Objects.requireNonNull(key);
            Objects.requireNonNull(align);
            Objects.requireNonNull(textAlign);
            if (width < 0 || gap < 0) {
                throw new IllegalArgumentException("column '" + header + "': width " + width + " and gap " + gap + " must be 0 or more");
            }
        }

        /** A text column, as wide as its widest cell, one space after the column before. */
        public static Column left(String header) {
            return new Column(header, header, Align.LEFT, Align.LEFT, 0, true, 1);
        }

        /** A number column, as wide as its widest cell, one space after the column before. */
        public static Column right(String header) {
            return new Column(header, header, Align.RIGHT, Align.RIGHT, 0, true, 1);
        }

        /** The same column, named {@code key} in a data format. */
        public Column key(String key) {
            return new Column(header, key, align, textAlign, width, fit, gap);
        }

        /** The same column, each plain-text cell at least {@code width} wide and a wider one widening only its own line. */
        public Column atLeast(int width) {
            return new Column(header, key, align, textAlign, width, false, gap);
        }

        /** The same column, padded on the other side in plain text. */
        public Column textAlign(Align side) {
            return new Column(header, key, align, side, width, fit, gap);
        }

        /** The same column, {@code spaces} after the column before in plain text. */
        public Column gap(int spaces) {
            return new Column(header, key, align, textAlign, width, fit, spaces);
        }
    }

    /**
     * Rows of cells under {@code columns}. The plain-text format starts every line with
     * {@code indent} spaces, and prints {@code none}, when it is not null, in place of a table
     * with no rows; the other formats keep the header there, so a reader still sees the columns
     * and a script still finds them. Without {@code textHeader} the plain-text format leaves the
     * header line out, and the header's width out of the columns' widths: a listing such as
     * {@code rlbench designs}, whose lines a script splits on blanks. The other formats keep it.
     */
    public record Table(List<Column> columns, List<List<String>> rows, int indent, String none, boolean textHeader)
            implements Block {

        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> r : rows) {
                if (r.size() != columns.size()) {
                    throw new IllegalArgumentException("a row of " + r.size() + " cells under " + columns.size() + " columns: " + r);
                }
            }
        }

        public Table(List<Column> columns, List<List<String>> rows) {
            this(columns, rows, 0, null, true);
        }

        /** Text columns up to {@code rightFrom}, number columns from there on. */
        public Table(List<String> header, List<List<String>> rows, int rightFrom) {
            this(columns(header, rightFrom), rows);
        }

        /** The same table, indented by {@code spaces} in plain text. */
        public Table indented(int spaces) {
            return new Table(columns, rows, spaces, none, textHeader);
        }

        /** The same table, with the line plain text prints when it has no rows. */
        public Table whenEmpty(String text) {
            return new Table(columns, rows, indent, text, textHeader);
        }

        /** The same table, its rows alone in plain text: no header line, and columns as wide as their cells. */
        public Table withoutTextHeader() {
            return new Table(columns, rows, indent, none, false);
        }

        public List<String> header() {
            return columns.stream().map(Column::header).toList();
        }

        private static List<Column> columns(List<String> header, int rightFrom) {
            List<Column> cs = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                cs.add(i < rightFrom ? Column.left(header.get(i)) : Column.right(header.get(i)));
            }
            return cs;
        }
    }

    private final String title;
    private final Path base;
    private final List<Block> blocks = new ArrayList<>();

    /**
     * @param title the document's name where a format has a place for it apart from the text
     *              (HTML's {@code <title>})
     * @param base  the folder a {@link Figure}'s file is relative to
     */
    public Doc(String title, Path base) {
        this.title = Objects.requireNonNull(title);
        this.base = Objects.requireNonNull(base);
    }

    public Doc add(Block b) {
        blocks.add(Objects.requireNonNull(b));
        return this;
    }

    public String title() {
        return title;
    }

    public Path base() {
        return base;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }
}
