package rlbench.bench.output;

import java.util.List;

/**
 * Aligned plain text for the console ({@code --format table}). Each column is padded by its own
 * rule ({@link Doc.Column}), so a table of long row names and short numbers lines up where it
 * can and stays narrow where it cannot; a left-aligned last column is not padded, so no line ends
 * in blanks. A table may leave its header line out ({@link Doc.Table#withoutTextHeader}). Cells
 * are written as they are: no markup is interpreted and nothing is escaped. In a whole document
 * each block is followed by a blank line, and a figure is named by its file.
 */
public final class TableReporter implements Reporter {

    @Override
    public String name() {
        return "table";
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
                sb.append(h.text()).append("\n\n");
            } else if (b instanceof Doc.Para p) {
                sb.append(p.text()).append("\n\n");
            } else if (b instanceof Doc.Bullets l) {
                l.items().forEach(i -> sb.append("- ").append(i).append('\n'));
                sb.append('\n');
            } else if (b instanceof Doc.Table t) {
                sb.append(table(t)).append('\n');
            } else if (b instanceof Doc.Figure f) {
                sb.append('[').append(f.file()).append("] ").append(f.caption()).append("\n\n");
            } else if (b instanceof Doc.Fold f) {
                sb.append(f.summary()).append("\n\n");
                blocks(sb, f.blocks());
            }
        }
    }

    @Override
    public String table(Doc.Table t) {
        String indent = " ".repeat(t.indent());
        if (t.rows().isEmpty() && t.none() != null) {
            return indent + t.none() + "\n";
        }
        List<Doc.Column> cs = t.columns();
        int[] width = new int[cs.size()];
        for (int i = 0; i < width.length; i++) {
            Doc.Column c = cs.get(i);
            width[i] = c.width();
            if (c.fit()) {
                if (t.textHeader()) {
                    width[i] = Math.max(width[i], c.header().length());
                }
                for (List<String> r : t.rows()) {
                    width[i] = Math.max(width[i], r.get(i).length());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        if (t.textHeader()) {
            line(sb, indent, cs, width, t.header());
        }
        t.rows().forEach(r -> line(sb, indent, cs, width, r));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String indent, List<Doc.Column> cs, int[] width, List<String> cells) {
        sb.append(indent);
        for (int i = 0; i < cells.size(); i++) {
            Doc.Column c = cs.get(i);
            if (i > 0) {
                sb.append(" ".repeat(c.gap()));
            }
            String cell = cells.get(i);
            String pad = " ".repeat(Math.max(0, width[i] - cell.length()));
            if (c.textAlign() == Doc.Align.RIGHT) {
                sb.append(pad).append(cell);
            } else {
                sb.append(cell).append(i == cells.size() - 1 ? "" : pad);
            }
        }
        sb.append('\n');
    }
}
