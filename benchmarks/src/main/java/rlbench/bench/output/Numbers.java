package rlbench.bench.output;

import java.util.Locale;

/** Number formatting shared by the commands' tables, so the same value reads the same in each. */
public final class Numbers {

    private Numbers() {
    }

    /**
     * Three significant digits, or a whole number from 1000 up (no exponent for a large rate);
     * {@code -} for NaN, the value a row could not have.
     */
    public static String compact(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 1000 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
