package rlbench.bench.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReporterTest {

    private final HtmlReporter html = new HtmlReporter();

    @TempDir
    Path dir;

    @Test
    void inlineEscapesHtmlThenMarksUpCodeAndBold() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; <code>x&lt;y&gt;</code> <strong>bold &amp; &lt;i&gt;</strong>",
                HtmlReporter.inline("a <b> & \"c\" `x<y>` **bold & <i>**"));
        assertEquals("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", HtmlReporter.inline("<script>alert(\"x\")</script>"));
    }

    @Test
    void aTableMarksItsNumberColumnsAndEscapesItsCells() {
        Doc.Table t = new Doc.Table(List.of("design", "p50"), List.of(List.of("<b>", "1 ns")), 1);
        assertEquals("<table>\n<tr><th>design</th><th class=\"n\">p50</th></tr>\n"
                + "<tr><td>&lt;b&gt;</td><td class=\"n\">1 ns</td></tr>\n</table>\n", html.table(t));
    }

    @Test
    void aPageCarriesItsFiguresInlineAndFoldsItsDetail() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        Files.createDirectories(dir.resolve("plots"));
        Files.write(dir.resolve("plots/p.png"), png);
        Doc doc = new Doc("run <1>", dir)
                .add(new Doc.Heading(1, "Run `x`"))
                .add(new Doc.Fold("More <b>", List.of(new Doc.Figure("plots/p.png", "A \"plot\"."))));
        String page = html.document(doc);
        assertTrue(page.startsWith("<!DOCTYPE html>"), page);
        assertTrue(page.contains("<title>run &lt;1&gt;</title>"), page);
        assertTrue(page.contains("<h1>Run <code>x</code></h1>\n"), page);
        assertTrue(page.contains("<details><summary>More &lt;b&gt;</summary>\n<figure><img alt=\"A &quot;plot&quot;.\" "
                + "src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">"), page);
        assertFalse(page.contains("<b>"), page);
        assertTrue(page.endsWith("</details>\n</body></html>\n"), page);
    }

    @Test
    void aMissingFigureIsAnError() {
        Doc doc = new Doc("t", dir).add(new Doc.Figure("plots/none.png", "gone"));
        assertThrows(IOException.class, () -> html.document(doc));
    }
}
