package rlbench.bench.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * CSV for scripts and spreadsheets ({@code --format csv}), written by Commons CSV: a header of the
 * columns' {@link Doc.Column#key() keys}, then one record per row, records ended by {@code \n}.
 * A cell is quoted only when it has to be (RFC 4180's minimal quoting): one holding a comma, a
 * quote (doubled inside) or a line break, and one that starts or ends with what a reader might
 * take for a comment or trim. A cell holding a newline keeps it, inside its quotes, and reads
 * back whole with any RFC 4180 reader; a reader that splits lines first would cut that record
 * in two. A document keeps its tables only, each after a blank line from the one before; prose
 * and figures are left out, so what is written is data.
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
