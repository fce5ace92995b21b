package rlbench.bench.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV for scripts and spreadsheets ({@code --format csv}), written by Commons CSV: a header of the
 * columns' {@link Doc.Column#key() keys}, then one record per row, each ended by {@code \n}. A
 * cell is quoted only where it must be (Commons CSV's minimal quoting): when it holds a comma, a
 * quote (doubled inside) or a line break, starts with a space, a control character, {@code !},
 * {@code "} or {@code #}, or ends with a space; an empty first cell is quoted so that its record
 * is not an empty line. A cell holding a newline keeps it, inside its quotes: it reads back whole
 * with an RFC 4180 reader such as Commons CSV, while a tool that splits lines first cuts that
 * record in two. A document keeps its tables only, a blank line between two; prose and figures
 * are left out, so what is written is data.
 */
public final class CsvReporter implements Reporter {

    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get();

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public boolean dataOnly() {
        return true;
    }

    @Override
    public String document(Doc doc) {
        StringBuilder sb = new StringBuilder();
        tables(sb, doc.blocks());
        return sb.toString();
    }

    private void tables(StringBuilder sb, List<Doc.Block> blocks) {
        for (Doc.Block b : blocks) {
            if (b instanceof Doc.Table t) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(table(t));
            } else if (b instanceof Doc.Fold f) {
                tables(sb, f.blocks());
            }
        }
    }

    @Override
    public String table(Doc.Table t) {
        StringBuilder sb = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(sb, FORMAT)) {
            p.printRecord(t.columns().stream().map(Doc.Column::key));
            for (List<String> r : t.rows()) {
                p.printRecord(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder does not fail", e);
        }
        return sb.toString();
    }
}
