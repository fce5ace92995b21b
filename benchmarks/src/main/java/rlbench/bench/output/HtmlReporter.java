package rlbench.bench.output;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;

/**
 * One self-contained HTML page ({@code --format html}; the run's {@code report.html}): the
 * figures are read from the document's base folder and carried inline as data URIs, so the page
 * can be mailed or attached to a CI run on its own. Secondary detail ({@link Doc.Fold}) is folded
 * away in {@code <details>}. Text is escaped, then {@code `code`} and {@code **bold**} are marked up.
 */
public final class HtmlReporter implements Reporter {

    @Override
    public String name() {
        return "html";
    }

    @Override
    public String document(Doc doc) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(escape(doc.title()))
                .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        blocks(sb, doc.blocks(), doc);
        return sb.append("</body></html>\n").toString();
    }

    private void blocks(StringBuilder sb, List<Doc.Block> blocks, Doc doc) throws IOException {
        for (Doc.Block b : blocks) {
            if (b instanceof Doc.Heading h) {
                sb.append("<h").append(h.level()).append('>').append(inline(h.text())).append("</h").append(h.level()).append(">\n");
            } else if (b instanceof Doc.Para p) {
                sb.append("<p>").append(inline(p.text())).append("</p>\n");
            } else if (b instanceof Doc.Bullets l) {
                sb.append("<ul>\n");
                l.items().forEach(i -> sb.append("<li>").append(inline(i)).append("</li>\n"));
                sb.append("</ul>\n");
            } else if (b instanceof Doc.Table t) {
                sb.append(table(t));
            } else if (b instanceof Doc.Figure f) {
                byte[] png = Files.readAllBytes(doc.base().resolve(f.file()));
                sb.append("<figure><img alt=\"").append(escape(f.caption())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>")
                        .append(inline(f.caption())).append("</figcaption></figure>\n");
            } else if (b instanceof Doc.Fold f) {
                sb.append("<details><summary>").append(inline(f.summary())).append("</summary>\n");
                blocks(sb, f.blocks(), doc);
                sb.append("</details>\n");
            }
        }
    }

    @Override
    public String table(Doc.Table t) {
        StringBuilder sb = new StringBuilder("<table>\n");
        row(sb, t.columns(), t.header(), "th");
        t.rows().forEach(r -> row(sb, t.columns(), r, "td"));
        return sb.append("</table>\n").toString();
    }

    private static void row(StringBuilder sb, List<Doc.Column> columns, List<String> cells, String tag) {
        sb.append("<tr>");
        for (int i = 0; i < cells.size(); i++) {
            sb.append('<').append(tag).append(columns.get(i).align() == Doc.Align.RIGHT ? " class=\"n\">" : ">")
                    .append(inline(cells.get(i))).append("</").append(tag).append('>');
        }
        sb.append("</tr>\n");
    }

    /** Escapes HTML, then turns {@code `x`} into code and {@code **x**} into bold. */
    static String inline(String text) {
        return escape(text).replaceAll("`([^`]*)`", "<code>$1</code>").replaceAll("\\*\\*([^*]+)\\*\\*", "<strong>$1</strong>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body { font-family: system-ui, sans-serif; max-width: 1640px; margin: 1.5em auto; padding: 0 1em; color: #222; }
            h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { margin-top: 1.6em; }
            table { border-collapse: collapse; margin: .6em 0; font-size: .9em; }
            th, td { border: 1px solid #ddd; padding: .25em .6em; } th { background: #f3f3f3; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
            code { background: #f3f3f3; padding: 0 .2em; }
            figure { margin: .8em 0; } img { max-width: 100%; border: 1px solid #eee; }
            figcaption { font-size: .85em; color: #555; }
            details { margin: .6em 0; } summary { cursor: pointer; font-weight: 600; }
            """;
}
