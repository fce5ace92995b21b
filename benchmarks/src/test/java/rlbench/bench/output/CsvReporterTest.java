package rlbench.bench.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import rlbench.bench.output.Doc.Column;

class CsvReporterTest {

    private final CsvReporter csv = new CsvReporter();

    private static final List<Column> COLUMNS = List.of(Column.left("row"), Column.right("change %").key("change_pct"));

    @Test
    void theHeaderIsTheKeysAndPlainCellsAreNotQuoted() {
        Doc.Table t = new Doc.Table(COLUMNS, List.of(List.of("none fault/fault t1 ops_per_s", "-9.90"), List.of("a", "-")));
        assertEquals("row,change_pct\nnone fault/fault t1 ops_per_s,-9.90\na,-\n", csv.table(t));
    }

    @Test
    void aCommaAQuoteAndANewlineReadBackAsWritten() throws Exception {
        List<String> awkward = List.of("a,b", "say \"hi\"", "two\nlines", "<b>", " padded ", "#not a comment", "");
        Doc.Table t = new Doc.Table(COLUMNS, awkward.stream().map(c -> List.of(c, "1")).toList());
        String out = csv.table(t);
        assertTrue(out.contains("\"two\nlines\""), "the newline stays, inside quotes: " + out);
        assertTrue(out.contains("\"say \"\"hi\"\"\""), out);
        try (CSVParser p = CSVParser.parse(new StringReader(out), CSVFormat.DEFAULT.builder().setHeader().get())) {
            List<CSVRecord> records = p.getRecords();
            assertEquals(List.of("row", "change_pct"), p.getHeaderNames());
            assertEquals(awkward, records.stream().map(r -> r.get("row")).toList());
            records.forEach(r -> assertEquals("1", r.get("change_pct")));
        }
    }

    @Test
    void aDocumentKeepsItsTablesOnly() {
        Doc doc = new Doc("t", Path.of("."))
                .add(new Doc.Heading(1, "Title"))
                .add(new Doc.Para("prose"))
                .add(new Doc.Table(List.of("k"), List.of(List.of("a")), 1))
                .add(new Doc.Fold("more", List.of(new Doc.Figure("p.png", "c"), new Doc.Table(List.of("v"), List.of(List.of("1")), 0))));
        assertEquals("k\na\n\nv\n1\n", csv.document(doc));
        assertTrue(csv.dataOnly());
    }
}
