package rlbench.bench.machine;

/**
 * The doctor's judgement of one setting.
 *
 * @param setting what was judged, e.g. "CPU governor"
 * @param verdict ok, warn or not exposed
 * @param value   what the machine showed, or where the probe looked when it is not exposed
 * @param why     for a warning: what the setting does to the numbers; empty otherwise
 * @param fix     for a warning: how to change it; empty otherwise
 */
public record Finding(String setting, Verdict verdict, String value, String why, String fix) {

    /** How a setting stands for benchmarking. */
    public enum Verdict {
        OK("ok"), WARN("warn"), NOT_EXPOSED("not exposed");

        public final String label;

        Verdict(String label) {
            this.label = label;
        }
    }

    static Finding ok(String setting, String value) {
        return new Finding(setting, Verdict.OK, value, "", "");
    }

    static Finding warn(String setting, String value, String why, String fix) {
        return new Finding(setting, Verdict.WARN, value, why, fix);
    }

    static Finding notExposed(String setting, String where) {
        return new Finding(setting, Verdict.NOT_EXPOSED, where, "", "");
    }

    /** A warning as one caveat bullet of the report: the setting, its value, why it matters and the fix. */
    public String caveat() {
        return "**" + setting + "**: " + value + ". " + why + " Fix: " + fix;
    }
}
