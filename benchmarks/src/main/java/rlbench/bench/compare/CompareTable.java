package rlbench.bench.compare;

import java.util.List;
import java.util.Locale;
import rlbench.bench.output.Doc;
import rlbench.bench.output.Doc.Align;
import rlbench.bench.output.Doc.Column;
import rlbench.bench.output.Numbers;

/**
 * {@code compare}'s table: one row per metric both runs measured. On the console the row names
 * set the first column's width and the numbers keep fixed minimum widths, so the columns stay
 * put from one comparison to the next.
 */
public final class CompareTable {

    private static final List<Column> COLUMNS = List.of(
            Column.left("row"),
            Column.right("base").atLeast(14),
            Column.right("new").atLeast(14),
            Column.right("change %").key("change_pct").atLeast(9),
            Column.right("ci low %").key("ci_low_pct").atLeast(9),
            Column.right("ci high %").key("ci_high_pct").atLeast(9),
            Column.right("p").key("p_value").atLeast(9),
            // flush against the verdict on the console, whether the test has an /iter or not
            Column.left("test").atLeast(13).textAlign(Align.RIGHT),
            Column.left("verdict"));

    private CompareTable() {
    }

    public static Doc.Table of(List<Comparison.Line> lines) {
        return new Doc.Table(COLUMNS, lines.stream().map(CompareTable::cells).toList());
    }

    private static List<String> cells(Comparison.Line l) {
        return List.of(l.key().toString(), Numbers.compact(l.base()), Numbers.compact(l.next()), Numbers.compact(l.changePct()),
                Numbers.compact(l.ciLowPct()), Numbers.compact(l.ciHighPct()), Numbers.compact(l.pValue()), l.test(),
                l.verdict().name().toLowerCase(Locale.ROOT));
    }
}
