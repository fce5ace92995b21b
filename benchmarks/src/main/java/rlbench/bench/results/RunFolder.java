package rlbench.bench.results;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run folder and the paths of what is in it: {@code results.csv}, {@code lockstat.csv}, {@code env.json}, the
 * histograms in {@code hgrm/}, JMH's own output in {@code jmh/}, and the report
 * ({@code report.md}, {@code report.html}, {@code plots/}).
 */
public final class RunFolder {

    public static final String RESULTS_CSV = "results.csv";
    public static final String ENV_JSON = "env.json";
    public static final String HGRM = "hgrm";
    public static final String JMH = "jmh";
    /** Every benchmark's JMH result in one JSON array, in {@link #JMH}. */
    public static final String JMH_RESULTS = "results.json";
    public static final String PLOTS = "plots";
    public static final String REPORT_MD = "report.md";
    public static final String REPORT_HTML = "report.html";

    private final Path dir;
    private final Path resultsCsv;

    private RunFolder(Path dir, Path resultsCsv) {
        this.dir = dir;
        this.resultsCsv = resultsCsv;
    }

    /** The run folder {@code dir}, to write; nothing is checked. */
    public static RunFolder at(Path dir) {
        return new RunFolder(dir, dir.resolve(RESULTS_CSV));
    }

    /**
     * A run to read: a run folder, or a results file itself (its folder is then the run's).
     *
     * @throws IllegalArgumentException with one line when there is no such folder or file, or the
     *                                  folder holds no {@code results.csv}
     */
    public static RunFolder open(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("no such run folder or file: " + path);
        }
        if (Files.isDirectory(path)) {
            if (!Files.isRegularFile(path.resolve(RESULTS_CSV))) {
                throw new IllegalArgumentException("no results.csv in " + path);
            }
            return at(path);
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("not a run folder or a results file: " + path);
        }
        return new RunFolder(path.toAbsolutePath().getParent(), path);
    }

    /** Whether {@code dir} is a run folder: a folder holding a {@code results.csv}. */
    public static boolean isRun(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(RESULTS_CSV));
    }

    public Path dir() {
        return dir;
    }

    /** The folder's name, which is the run's id. */
    public String name() {
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    public Path resultsCsv() {
        return resultsCsv;
    }

    /** {@code lockstat.csv}, the run's lock statistics ({@link LockStatCsv}); older runs have none. */
    public Path lockstatCsv() {
        return dir.resolve(LockStatCsv.FILE);
    }

    public Path envJson() {
        return dir.resolve(ENV_JSON);
    }

    public Path hgrm() {
        return dir.resolve(HGRM);
    }

    public Path jmh() {
        return dir.resolve(JMH);
    }

    public Path jmhResults() {
        return jmh().resolve(JMH_RESULTS);
    }

    public Path plots() {
        return dir.resolve(PLOTS);
    }

    public Path reportMd() {
        return dir.resolve(REPORT_MD);
    }

    public Path reportHtml() {
        return dir.resolve(REPORT_HTML);
    }

    /** The histogram file ({@code extension} {@code .hlog} or {@code .hgrm}) of the rows with this key. */
    public Path histogram(Row.Key key, String extension) {
        return hgrm().resolve(Histograms.fileName(key) + extension);
    }

    /**
     * The rows of {@code results.csv}, checked.
     *
     * @throws IllegalArgumentException with one line naming the file and line of a problem
     */
    public ResultsTable results() {
        return ResultsTable.read(resultsCsv);
    }

    /**
     * The run's {@code env.json}; empty when the run has none.
     *
     * @throws IllegalArgumentException with one line naming the file when it is malformed
     */
    public EnvJson env() {
        return EnvJson.read(envJson());
    }
}
