package rlbench.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rlbench.bench.compare.Comparison;
import rlbench.bench.results.Row;

/** The summary an A/A or A/B check of compare reads: flagged rows out of tested ones, by design. */
class CompareCommandTest {

    private static Comparison.Line line(String design, Comparison.Verdict v) {
        return new Comparison.Line(new Row.Key(design, "fault", "fault", 1, Map.of(), "p50_ns"), 100, 110, 10, 5, 15, 0.001,
                "welch-t/round", v);
    }

    @Test
    void flaggedRowsAreCountedPerDesignOutOfTheTestedOnes() {
        List<Comparison.Line> lines = List.of(
                line("rwsem", Comparison.Verdict.REGRESSED),
                line("rwsem", Comparison.Verdict.IMPROVED),
                line("rwsem", Comparison.Verdict.UNCHANGED),
                line("rwsem", Comparison.Verdict.UNTESTED),
                line("range-tree", Comparison.Verdict.CHANGED_NOT_SIGNIFICANT),
                line("range-tree", Comparison.Verdict.UNCHANGED));
        assertEquals("rwsem 2/3 (66.7%), range-tree 0/2 (0.0%)", CompareCommand.flaggedByDesign(lines));
        assertEquals("no row tested", CompareCommand.flaggedByDesign(List.of(line("none", Comparison.Verdict.UNTESTED))));
    }
}
