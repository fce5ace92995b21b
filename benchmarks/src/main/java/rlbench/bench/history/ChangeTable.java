package rlbench.bench.history;

import java.util.List;
import java.util.Locale;
import rlbench.bench.output.Doc;
import rlbench.bench.output.Doc.Column;
import rlbench.bench.output.Numbers;

/** {@code history}'s table: one row per change point, the series, the run it starts at, the levels either side. */
public final class ChangeTable {

    private static final List<Column> COLUMNS = List.of(
            Column.left("series"),
            Column.left("from run").key("run").gap(2),
            Column.right("before").atLeast(12),
            Column.right("after").atLeast(12),
            Column.right("change %").key("change_pct").atLeast(9),
            Column.right("p").key("p_value").atLeast(9),
            Column.left("verdict").gap(2));

    private ChangeTable() {
    }

    public static Doc.Table of(List<ChangePoints.Change> changes) {
        return new Doc.Table(COLUMNS, changes.stream().map(ChangeTable::cells).toList()).whenEmpty("no change points");
    }

    private static List<String> cells(ChangePoints.Change c) {
        return List.of(c.key().toString(), c.from().name(), Numbers.compact(c.before()), Numbers.compact(c.after()),
                Numbers.compact(c.changePct()), Numbers.compact(c.pValue()), c.verdict().name().toLowerCase(Locale.ROOT));
    }
}
