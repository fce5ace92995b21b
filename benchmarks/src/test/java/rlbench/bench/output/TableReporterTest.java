package rlbench.bench.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import rlbench.bench.output.Doc.Align;
import rlbench.bench.output.Doc.Column;

class TableReporterTest {

    private final TableReporter text = new TableReporter();

    @Test
    void fitColumnsTakeTheWidestCellAndMinimumWidthsLetALongCellWidenItsOwnLine() {
        Doc.Table t = new Doc.Table(List.of(Column.left("name"), Column.right("n").atLeast(4), Column.left("note")),
                List.of(List.of("a", "1", "x"), List.of("longer", "123456", "y")));
        assertEquals("""
                name      n note
                a         1 x
                longer 123456 y
                """, text.table(t));
    }

    @Test
    void gapsIndentAndPaddingSideFollowTheColumns() {
        Doc.Table t = new Doc.Table(List.of(Column.left("k"), Column.left("t").atLeast(5).textAlign(Align.RIGHT),
                Column.right("v").gap(3)), List.of(List.of("a", "ab", "1"), List.of("bb", "abc", "22"))).indented(2);
        assertEquals("""
                  k      t    v
                  a     ab    1
                  bb   abc   22
                """, text.table(t));
    }

    /** compare's console layout, once printf: the table format must give the same bytes for any cells. */
    @Test
    void matchesPrintfMinimumWidthsCellForCell() {
        Random random = new Random(42);
        List<Column> columns = List.of(Column.left("row"), Column.right("base").atLeast(14), Column.right("p").atLeast(9),
                Column.left("test").atLeast(13).textAlign(Align.RIGHT), Column.left("verdict"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            List<String> r = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                r.add("x".repeat(random.nextInt(c == 0 ? 40 : 17)));
            }
            rows.add(r);
        }
        int w = Math.max(3, rows.stream().mapToInt(r -> r.get(0).length()).max().orElse(0));
        String f = "%-" + w + "s %14s %9s %13s %s%n";
        StringBuilder printf = new StringBuilder(String.format(Locale.ROOT, f, "row", "base", "p", "test", "verdict"));
        rows.forEach(r -> printf.append(String.format(Locale.ROOT, f, r.toArray())));
        assertEquals(printf.toString(), text.table(new Doc.Table(columns, rows)));
    }

    @Test
    void anEmptyTableIsItsSentenceWhenItHasOneAndItsHeaderOtherwise() {
        Doc.Table t = new Doc.Table(List.of(Column.left("series"), Column.right("p")), List.of());
        assertEquals("series p\n", text.table(t));
        assertEquals("no change points\n", text.table(t.whenEmpty("no change points")));
    }

    @Test
    void withoutItsTextHeaderATableIsItsRowsAloneAndTheHeaderWidensNoColumn() {
        Doc.Table t = new Doc.Table(List.of(Column.left("a long name"), Column.left("kind").atLeast(6).gap(2), Column.left("note").gap(2)),
                List.of(List.of("x", "safe", "first"), List.of("yy", "UNSAFE", "second"))).withoutTextHeader();
        assertEquals("""
                x   safe    first
                yy  UNSAFE  second
                """, text.table(t));
        assertEquals("a long name,kind,note\nx,safe,first\nyy,UNSAFE,second\n", new CsvReporter().table(t), "data formats keep it");
        assertEquals("| a long name | kind | note |\n|---|---|---|\n| x | safe | first |\n| yy | UNSAFE | second |\n",
                new MarkdownReporter().table(t));
    }

    @Test
    void cellsAreWrittenAsTheyAre() {
        Doc.Table t = new Doc.Table(List.of("a", "b"), List.of(List.of("<b>", "x,\"y\"")), 2);
        assertEquals("a   b\n<b> x,\"y\"\n", text.table(t));
    }

    @Test
    void aDocumentIsItsBlocksEachFollowedByABlankLine() {
        Doc doc = new Doc("t", Path.of("."))
                .add(new Doc.Heading(1, "Title `x`"))
                .add(new Doc.Para("Some **text**."))
                .add(new Doc.Bullets(List.of("one", "two")))
                .add(new Doc.Table(List.of("k", "v"), List.of(List.of("a", "1")), 1))
                .add(new Doc.Fold("More", List.of(new Doc.Figure("plots/p.png", "A plot."))));
        assertEquals("""
                Title `x`

                Some **text**.

                - one
                - two

                k v
                a 1

                More

                [plots/p.png] A plot.

                """, text.document(doc));
    }

    @Test
    void aRowMustHaveACellPerColumn() {
        assertThrows(IllegalArgumentException.class, () -> new Doc.Table(List.of("a", "b"), List.of(List.of("1")), 1));
    }
}
