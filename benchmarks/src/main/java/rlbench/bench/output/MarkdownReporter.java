package rlbench.bench.output;

import java.util.List;

/**
 * Markdown ({@code --format md}; the run's {@code report.md}): headings, lists and pipe tables,
 * number columns right-aligned, figures linked by their file. {@code `code`} and {@code **bold**}
 * pass through as Markdown; {@code <} is escaped, so a value such as {@code <b>} shows as typed
 * rather than as a tag, and a {@code |} in a cell cannot end it. Each block of a document is
 * followed by a blank line.
 */
public final class MarkdownReporter implements Reporter {

    @Override
    public String name() {
        return "md";
    }

    @Override
    public String document(Doc doc) {
        StringBuilder sb = new StringBuilder();
        blocks(sb, doc.blocks());
        return sb.toString();
    }

    private void blocks(StringBuilder sb, List<Doc.Block> blocks) {
        for (Doc.Block b : blocks) {
            if (b instanceof Doc.Heading h) {
                sb.append("#".repeat(h.level())).append(' ').append(escape(h.text())).append("\n\n");
            } else if (b instanceof Doc.Para p) {
                sb.append(escape(p.text())).append("\n\n");
            } else if (b instanceof Doc.Bullets l) {
                l.items().forEach(i -> sb.append("- ").append(escape(i)).append('\n'));
                sb.append('\n');
            } else if (b instanceof Doc.Table t) {
                sb.append(table(t)).append('\n');
            } else if (b instanceof Doc.Figure f) {
                sb.append("![").append(f.file()).append("](").append(f.file()).append(")\n\n")
                        .append('*').append(escape(f.caption())).append("*\n\n");
            } else if (b instanceof Doc.Fold f) {
                sb.append("**").append(escape(f.summary())).append("**\n\n");
                blocks(sb, f.blocks());
            }
        }
    }

    @Override
    public String table(Doc.Table t) {
        StringBuilder sb = new StringBuilder();
        row(sb, t.header());
        sb.append('|');
        t.columns().forEach(c -> sb.append(c.align() == Doc.Align.RIGHT ? "---:|" : "---|"));
        sb.append('\n');
        t.rows().forEach(r -> row(sb, r));
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append('|');
        cells.forEach(c -> sb.append(' ').append(escape(c).replace("|", "\\|")).append(" |"));
        sb.append('\n');
    }

    /** Markdown text with {@code <} escaped, so a value such as {@code <b>} shows as typed, not as a tag. */
    static String escape(String text) {
        return text.replace("<", "&lt;");
    }
}
