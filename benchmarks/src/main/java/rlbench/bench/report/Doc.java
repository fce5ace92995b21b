package rlbench.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A report as a list of blocks, rendered twice: Markdown that links the plots, and one HTML file
 * that carries them inline, so it can be mailed or attached to a CI run on its own. Text may use
 * {@code `code`} and {@code **bold**}; everything else is escaped.
 */
final class Doc {

    interface Block {
    }

    record Heading(int level, String text) implements Block {
    }

    record Para(String text) implements Block {
    }

    record Bullets(List<String> items) implements Block {
    }

    /** {@code rightFrom}: columns from this index on are numbers, right-aligned. */
    record Table(List<String> header, List<List<String>> rows, int rightFrom) implements Block {
    }

    /** {@code file} is relative to the run folder. */
    record Figure(String file, String caption) implements Block {
    }

    /** Secondary detail: folded away in HTML, a plain sub-section in Markdown. */
    record Fold(String summary, List<Block> blocks) implements Block {
    }

    final List<Block> blocks = new ArrayList<>();

    Doc add(Block b) {
        blocks.add(b);
        return this;
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        markdown(sb, blocks);
        return sb.toString();
    }

    private static void markdown(StringBuilder sb, List<Block> blocks) {
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("#".repeat(h.level())).append(' ').append(md(h.text())).append("\n\n");
            } else if (b instanceof Para p) {
                sb.append(md(p.text())).append("\n\n");
            } else if (b instanceof Bullets l) {
                l.items().forEach(i -> sb.append("- ").append(md(i)).append('\n'));
                sb.append('\n');
            } else if (b instanceof Table t) {
                sb.append(mdRow(t.header())).append('|');
                for (int i = 0; i < t.header().size(); i++) {
                    sb.append(i >= t.rightFrom() ? "---:|" : "---|");
                }
                sb.append('\n');
                t.rows().forEach(r -> sb.append(mdRow(r)));
                sb.append('\n');
            } else if (b instanceof Figure f) {
                sb.append("![").append(f.file()).append("](").append(f.file()).append(")\n\n")
                        .append('*').append(md(f.caption())).append("*\n\n");
            } else if (b instanceof Fold f) {
                sb.append("**").append(md(f.summary())).append("**\n\n");
                markdown(sb, f.blocks());
            }
        }
    }

    private static String mdRow(List<String> cells) {
        StringBuilder sb = new StringBuilder("|");
        cells.forEach(c -> sb.append(' ').append(md(c).replace("|", "\\|")).append(" |"));
        return sb.append('\n').toString();
    }

    /** Markdown text with {@code <} escaped, so a value such as {@code <b>} shows as typed, not as a tag. */
    static String md(String text) {
        return text.replace("<", "&lt;");
    }

    /** The whole page; images are read from {@code runDir} and embedded as data URIs. */
    String html(String title, Path runDir) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(escape(title))
                .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        html(sb, blocks, runDir);
        return sb.append("</body></html>\n").toString();
    }

    private static void html(StringBuilder sb, List<Block> blocks, Path runDir) throws IOException {
        for (Block b : blocks) {
            if (b instanceof Heading h) {
                sb.append("<h").append(h.level()).append('>').append(inline(h.text())).append("</h").append(h.level()).append(">\n");
            } else if (b instanceof Para p) {
                sb.append("<p>").append(inline(p.text())).append("</p>\n");
            } else if (b instanceof Bullets l) {
                sb.append("<ul>\n");
                l.items().forEach(i -> sb.append("<li>").append(inline(i)).append("</li>\n"));
                sb.append("</ul>\n");
            } else if (b instanceof Table t) {
                sb.append("<table>\n<tr>");
                for (int i = 0; i < t.header().size(); i++) {
                    sb.append(i >= t.rightFrom() ? "<th class=\"n\">" : "<th>").append(inline(t.header().get(i))).append("</th>");
                }
                sb.append("</tr>\n");
                for (List<String> r : t.rows()) {
                    sb.append("<tr>");
                    for (int i = 0; i < r.size(); i++) {
                        sb.append(i >= t.rightFrom() ? "<td class=\"n\">" : "<td>").append(inline(r.get(i))).append("</td>");
                    }
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            } else if (b instanceof Figure f) {
                byte[] png = Files.readAllBytes(runDir.resolve(f.file()));
                sb.append("<figure><img alt=\"").append(escape(f.caption())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>")
                        .append(inline(f.caption())).append("</figcaption></figure>\n");
            } else if (b instanceof Fold f) {
                sb.append("<details><summary>").append(inline(f.summary())).append("</summary>\n");
                html(sb, f.blocks(), runDir);
                sb.append("</details>\n");
            }
        }
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
