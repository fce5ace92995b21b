package rlbench.bench.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReporterTest {

    private final MarkdownReporter md = new MarkdownReporter();

    @Test
    void aTableRightAlignsItsNumberColumns() {
        Doc.Table t = new Doc.Table(List.of("design", "t=1", "t=2"), List.of(List.of("none", "1 ns", "2 ns")), 1);
        assertEquals("""
                | design | t=1 | t=2 |
                |---|---:|---:|
                | none | 1 ns | 2 ns |
                """, md.table(t));
    }

    @Test
    void aTagShowsAsTypedAndAPipeStaysInItsCell() {
        Doc.Table t = new Doc.Table(List.of("k"), List.of(List.of("<b>x</b> | y")), 1);
        assertEquals("| k |\n|---|\n| &lt;b>x&lt;/b> \\| y |\n", md.table(t));
        assertEquals("&lt;b> and `code` and **bold**\n\n", md.document(new Doc("t", Path.of(".")).add(new Doc.Para("<b> and `code` and **bold**"))));
    }

    @Test
    void aDocumentIsItsBlocksEachFollowedByABlankLine() {
        Doc doc = new Doc("t", Path.of("."))
                .add(new Doc.Heading(2, "Workload `fault`"))
                .add(new Doc.Bullets(List.of("one", "two")))
                .add(new Doc.Table(List.of("k", "v"), List.of(List.of("a", "1")), 1))
                .add(new Doc.Fold("More", List.of(new Doc.Figure("plots/p.png", "A plot."))));
        assertEquals("""
                ## Workload `fault`

                - one
                - two

                | k | v |
                |---|---:|
                | a | 1 |

                **More**

                ![plots/p.png](plots/p.png)

                *A plot.*

                """, md.document(doc));
    }
}
