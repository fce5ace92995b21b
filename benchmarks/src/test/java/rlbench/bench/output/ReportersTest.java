package rlbench.bench.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportersTest {

    @Test
    void eachFormatIsFoundByItsName() {
        assertEquals(List.of("table", "csv", "md", "html"), Reporters.names());
        assertInstanceOf(TableReporter.class, Reporters.named("table"));
        assertInstanceOf(CsvReporter.class, Reporters.named("csv"));
        assertInstanceOf(MarkdownReporter.class, Reporters.named("md"));
        assertInstanceOf(HtmlReporter.class, Reporters.named("html"));
        Reporters.names().forEach(n -> assertEquals(n, Reporters.named(n).name()));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Reporters.named("bogus"));
        assertEquals("unknown format 'bogus'; known: table, csv, md, html", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Reporters.named("Table"));
        assertThrows(IllegalArgumentException.class, () -> Reporters.named(""));
    }

    @Test
    void aCommandOffersItsOwnFormats() {
        assertInstanceOf(CsvReporter.class, Reporters.named("csv", List.of("table", "md", "csv")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reporters.named("html", List.of("table", "md", "csv")));
        assertEquals("unknown format 'html'; known: table, md, csv", e.getMessage());
    }

    @Test
    void compactNumbersHaveThreeDigitsOrNoFraction() {
        assertEquals("-", Numbers.compact(Double.NaN));
        assertEquals("0.00", Numbers.compact(0));
        assertEquals("-9.90", Numbers.compact(-9.9));
        assertEquals("5.61e-10", Numbers.compact(5.61e-10));
        assertEquals("999", Numbers.compact(999.4));
        assertEquals("1000", Numbers.compact(1000));
        assertEquals("-475830", Numbers.compact(-475_830.2));
    }
}
