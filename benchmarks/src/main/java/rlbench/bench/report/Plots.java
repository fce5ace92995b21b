package rlbench.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.MarkerSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import rlbench.bench.results.Row;

import rlbench.locks.Design;
import rlbench.locks.DesignRegistry;

/**
 * The report's PNG plots, drawn headless with XChart. Each design keeps one colour in every plot;
 * the unsafe {@code none} floor is a grey dashed line, so it reads as a reference, not a contender.
 * Latencies are in microseconds on log axes: a fault hit and a 262144-page punch differ by 10^5.
 *
 * <p>XChart's tick-label callbacks are avoided on purpose: on a wide axis they can spin for
 * minutes searching for a tick spacing. Thread counts are categories instead, and the spectrum's
 * x axis is a plain number of nines.
 */
final class Plots {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int PANEL_W = 560;
    private static final int PANEL_H = 400;
    /** Room added beside an overlay panel for its legend column. */
    private static final int OVERLAY_LEGEND_W = 170;
    /** Latency tick labels as plain numbers: "10,000" and "0.5", not "1E4". */
    private static final String LATENCY_PATTERN = "#,##0.##";

    /**
     * Colours handed out in design order after the grey floor: Okabe-Ito's colour-blind-safe eight,
     * then four of Paul Tol's muted scheme, so the ten designs and the kernel each get their own.
     */
    private static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(240, 228, 66), Color.BLACK,
        new Color(136, 34, 85), new Color(68, 170, 153), new Color(153, 153, 51), new Color(51, 34, 136),
    };
    private static final Color FLOOR = new Color(130, 130, 130);
    static final String FLOOR_DESIGN = DesignRegistry.all().stream().filter(d -> !d.safe()).map(Design::name).findFirst()
            .orElse("none");

    private final List<String> designs;

    /** @param designs every design of the run, in design order; fixes each one's colour */
    Plots(List<String> designs) {
        this.designs = designs.stream().filter(d -> !d.equals(FLOOR_DESIGN)).toList();
    }

    /** One design's points, x ascending. */
    record Line(String design, double[] x, double[] y) {
    }

    /**
     * One run's group in a figure that overlays runs: its legend label (null in a one-run
     * figure, where a line is named by its design alone) and its line style ({@link #STYLES}: 0
     * solid, 1 dashed for a comparison's base, 2 and 3 for more runs).
     */
    record RunGroup(String label, RunData.Group group, int style) {
    }

    /**
     * Latency p50 and p99 and throughput against threads for one group, as three panels side by
     * side. Returns false, writing nothing, when the group has no data to draw.
     */
    boolean threadsFigure(RunData.Group g, String title, Path file) throws IOException {
        return threadsFigure(List.of(new RunGroup(null, g, 0)), title, file, java.util.Set.of());
    }

    /**
     * The same figure for the same group in one or more runs, each design in its colour in every
     * run, a run told apart by its label and a base by dashes: the report draws one run, and
     * {@code compare --report} base against new or several runs, through this one path. Thread
     * counts are categories, evenly spaced, so a 1, 2, 4 ... 32 sweep reads like a log axis.
     * The ops/s of the designs in {@code withInterval} get their rows' confidence intervals as
     * error bars (a compare report gives the designs that changed, so the reader sees whether the
     * lines parted by more than their intervals). With more than one run, the legend (a design
     * per run) stands in one column beside each panel. Returns false, writing nothing, when no run
     * has data to draw.
     */
    boolean threadsFigure(List<RunGroup> runs, String title, Path file, java.util.Set<String> withInterval)
            throws IOException {
        boolean overlay = runs.size() > 1;
        java.util.TreeSet<Integer> threadSet = new java.util.TreeSet<>();
        runs.forEach(r -> threadSet.addAll(r.group().threads()));
        List<Integer> threadList = List.copyOf(threadSet);
        List<String> threads = threadList.stream().map(String::valueOf).toList();
        List<String> ds = designs(runs.stream().map(RunGroup::group).toList());
        List<Chart<?, ?>> panels = new ArrayList<>();
        for (String metric : List.of("p50_ns", "p99_ns")) {
            CategoryChart c = categoryChart(title + ": " + metric.substring(0, 3), "", overlay);
            List<Double> all = new ArrayList<>();
            for (RunGroup r : runs) {
                for (String d : ds) {
                    List<Double> y = values(r.group(), d, threadList, metric, 1000.0);
                    y.stream().filter(Objects::nonNull).forEach(all::add);
                    if (y.stream().anyMatch(Objects::nonNull)) {
                        paint(c.addSeries(seriesName(d, r), threads, y), d, r.style(), runs.size() == 1);
                    }
                }
            }
            c.setYAxisTitle(latencyAxis(c.getStyler(), all.stream().mapToDouble(Double::doubleValue)));
            addIfAny(panels, c);
        }
        double top = 0;
        for (RunGroup r : runs) {
            for (String d : ds) {
                for (Double v : values(r.group(), d, threadList, "ops_per_s", 1)) {
                    top = Math.max(top, v == null ? 0 : v);
                }
            }
        }
        double scale = top >= 1e6 ? 1e6 : top >= 1e3 ? 1e3 : 1;
        String unit = scale == 1e6 ? "M ops/s" : scale == 1e3 ? "k ops/s" : "ops/s";
        // Error bars only where asked: five designs' bars share one x and hide each other, and a
        // 3-iteration interval can be ten times the value. The tables mark the wide ones.
        CategoryChart ops = categoryChart(title + ": ops/s", unit, overlay);
        for (RunGroup r : runs) {
            for (String d : ds) {
                List<Double> y = values(r.group(), d, threadList, "ops_per_s", scale);
                if (y.stream().anyMatch(Objects::nonNull)) {
                    CategorySeries series = withInterval.contains(d)
                            ? ops.addSeries(seriesName(d, r), threads, y, halfIntervals(r.group(), d, threadList, scale))
                            : ops.addSeries(seriesName(d, r), threads, y);
                    paint(series, d, r.style(), runs.size() == 1);
                }
            }
        }
        ops.getStyler().setYAxisMin(0.0).setYAxisDecimalPattern("#,##0.##");
        addIfAny(panels, ops);
        return write(panels, file);
    }

    private static String seriesName(String design, RunGroup r) {
        return r.label() == null ? design : design + " (" + r.label() + ")";
    }

    /**
     * Half the width of each ops/s row's confidence interval, divided by {@code scale}, for a
     * symmetric error bar: the larger side where the stored interval is not centred on the value;
     * 0 where the row has no interval.
     */
    private static List<Double> halfIntervals(RunData.Group g, String design, List<Integer> threads, double scale) {
        List<Double> half = new ArrayList<>();
        for (int t : threads) {
            Row v = g.value(design, t, "ops_per_s");
            boolean has = v != null && !Double.isNaN(v.ciLow()) && !Double.isNaN(v.ciHigh());
            half.add(has ? Math.max(v.ciHigh() - v.value(), v.value() - v.ciLow()) / scale : 0.0);
        }
        return half;
    }

    /** A design's positive values of {@code metric} at each thread count, divided by {@code scale}; null where absent. */
    private static List<Double> values(RunData.Group g, String design, List<Integer> threads, String metric, double scale) {
        List<Double> y = new ArrayList<>();
        for (int t : threads) {
            Row v = g.value(design, t, metric);
            y.add(v != null && v.value() > 0 ? v.value() / scale : null);
        }
        return y;
    }

    /** Punch latency p50 and p99 against the punched range's size (log x axis), one line per design. */
    boolean rangeFigure(List<RunData.Group> byRange, String rangeParam, int threads, String title, Path file) throws IOException {
        List<Chart<?, ?>> panels = new ArrayList<>();
        for (String metric : List.of("p50_ns", "p99_ns")) {
            List<Line> lines = new ArrayList<>();
            for (String d : designs(byRange)) {
                List<double[]> pts = new ArrayList<>();
                for (RunData.Group g : byRange) {
                    Row v = g.value(d, threads, metric);
                    if (v != null && v.value() > 0) {
                        pts.add(new double[] {Double.parseDouble(g.params.get(rangeParam)), v.value() / 1000.0});
                    }
                }
                pts.sort((a, b) -> Double.compare(a[0], b[0]));
                lines.add(line(d, pts));
            }
            XYChart c = xyChart(title + ": " + metric.substring(0, 3), rangeParam + " (pages, log)", "", false);
            c.getStyler().setXAxisLogarithmic(true).setXAxisDecimalPattern("#,##0");
            c.setYAxisTitle(latencyAxis(c.getStyler(), ys(lines)));
            lines.forEach(l -> add(c, l));
            addIfAny(panels, c);
        }
        return write(panels, file);
    }

    /**
     * Percentile spectra: latency against percentile, one line per design. x is the number of
     * nines, log10(1/(1-p)): 1 = 90%, 2 = 99%, 3 = 99.9%, so the tail gets as much room as the body.
     *
     * @param spectra points as read from {@code .hgrm} files: x is 1/(1-p), y is in microseconds
     */
    boolean spectrumFigure(List<Line> spectra, String title, Path file) throws IOException {
        return spectrumFigure(spectra.stream().map(l -> new RunLine(l, null, 0)).toList(), title, file, false);
    }

    /** A line of one run in a figure that overlays runs: its legend label (null: the design alone) and its line style. */
    record RunLine(Line line, String label, int style) {
    }

    /** The same spectra for one or more runs, named and dashed as {@link #threadsFigure(List, String, Path)} does. */
    boolean spectrumFigure(List<RunLine> spectra, String title, Path file, boolean overlay) throws IOException {
        XYChart c = xyChart(title, "percentile, in nines: 1 = 90%, 2 = 99%, 3 = 99.9%, 4 = 99.99%", "", overlay);
        c.setYAxisTitle(latencyAxis(c.getStyler(), ys(spectra.stream().map(RunLine::line).toList())));
        c.getStyler().setXAxisDecimalPattern("0.#").setXAxisMin(0.0);
        for (RunLine r : spectra) {
            Line l = r.line();
            if (l.x().length == 0) {
                continue;
            }
            double[] nines = new double[l.x().length];
            for (int i = 0; i < nines.length; i++) {
                nines[i] = Math.log10(l.x()[i]);
            }
            String name = r.label() == null ? l.design() : l.design() + " (" + r.label() + ")";
            paint(c.addSeries(name, nines, l.y()), l.design(), r.style(), !overlay);
        }
        c.getSeriesMap().values().forEach(x -> x.setMarker(SeriesMarkers.NONE));
        List<Chart<?, ?>> one = new ArrayList<>();
        addIfAny(one, c);
        return write(one, file);
    }

    /**
     * Sets up a latency (us) y axis and returns its title: logarithmic when the values span 10x or
     * more, else linear from zero, because XChart's log axis labels whole decades only and would
     * show no number at all on a narrower range.
     */
    private static String latencyAxis(AxesChartStyler s, java.util.stream.DoubleStream values) {
        java.util.DoubleSummaryStatistics range = values.summaryStatistics();
        boolean log = range.getCount() > 0 && range.getMax() > 10 * range.getMin();
        s.setYAxisLogarithmic(log).setYAxisDecimalPattern(LATENCY_PATTERN);
        if (!log) {
            s.setYAxisMin(0.0);
        }
        return log ? "latency (us, log)" : "latency (us)";
    }

    private static java.util.stream.DoubleStream ys(List<Line> lines) {
        return lines.stream().flatMapToDouble(l -> java.util.Arrays.stream(l.y()));
    }

    private static List<String> designs(List<RunData.Group> groups) {
        List<String> out = new ArrayList<>();
        groups.forEach(g -> g.designs().stream().filter(d -> !out.contains(d)).forEach(out::add));
        out.sort(RunData.DESIGN_ORDER);
        return out;
    }

    /** Points as {x, y} pairs to a line. */
    static Line line(String design, List<double[]> pts) {
        double[] x = new double[pts.size()];
        double[] y = new double[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            x[i] = pts.get(i)[0];
            y[i] = pts.get(i)[1];
        }
        return new Line(design, x, y);
    }

    private void add(XYChart c, Line l) {
        if (l.x().length > 0) {
            paint(c.addSeries(l.design(), l.x(), l.y()), l.design());
        }
    }

    /** The design's colour and line: solid in its palette colour, or grey dashes for the floor. */
    private void paint(MarkerSeries s, String design) {
        paint(s, design, 0, true);
    }

    /** Line and marker per run style: solid circles, dashed diamonds (a base), dotted squares, dash-dot triangles. */
    private static final BasicStroke[] STYLES = {new BasicStroke(2.0f), SeriesLines.DASH_DASH, SeriesLines.DOT_DOT, SeriesLines.DASH_DOT};
    private static final org.knowm.xchart.style.markers.Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
        SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP};

    /**
     * The design's colour in run style {@code style} (see {@link #STYLES}); in a one-run figure
     * ({@code floorDashed}) the floor is dashed too, and there reads as a reference line.
     */
    private void paint(MarkerSeries s, String design, int style, boolean floorDashed) {
        Color col = colour(design);
        s.setLineColor(col);
        s.setMarkerColor(col);
        int k = Math.floorMod(style, STYLES.length);
        s.setMarker(MARKERS[k]);
        s.setLineStyle(k == 0 && floorDashed && design.equals(FLOOR_DESIGN) ? SeriesLines.DASH_DASH : STYLES[k]);
    }

    Color colour(String design) {
        if (design.equals(FLOOR_DESIGN)) {
            return FLOOR;
        }
        int i = designs.indexOf(design);
        return PALETTE[Math.floorMod(i < 0 ? design.hashCode() : i, PALETTE.length)];
    }

    /** An x-y panel; an {@code overlay} of runs gets its legend in a column beside it, as {@link #categoryChart} does. */
    private static XYChart xyChart(String title, String xTitle, String yTitle, boolean overlay) {
        XYChart c = new XYChartBuilder().width(overlay ? PANEL_W + OVERLAY_LEGEND_W : PANEL_W).height(PANEL_H).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        style(c.getStyler());
        overlayLegend(c.getStyler(), overlay);
        return c;
    }

    private static void overlayLegend(AxesChartStyler s, boolean overlay) {
        if (overlay) {
            s.setLegendPosition(Styler.LegendPosition.OutsideE);
            s.setLegendLayout(Styler.LegendLayout.Vertical);
        }
    }

    /**
     * A threads panel. An {@code overlay} of runs has a design per run in its legend, too many for
     * one line under the panel, so they stand in a column beside it, which widens the panel.
     */
    private static CategoryChart categoryChart(String title, String yTitle, boolean overlay) {
        CategoryChart c = new CategoryChartBuilder().width(overlay ? PANEL_W + OVERLAY_LEGEND_W : PANEL_W).height(PANEL_H)
                .title(title).xAxisTitle("threads").yAxisTitle(yTitle).build();
        CategoryStyler s = c.getStyler();
        style(s);
        overlayLegend(s, overlay);
        s.setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        s.setOverlapped(true);
        return c;
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(160, 160, 160));
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(Color.WHITE);
        s.setLegendSeriesLineLength(16);
        s.setLegendPadding(4);
        s.setMarkerSize(7);
        s.setErrorBarsColorSeriesColor(true);
        s.setAntiAlias(true);
    }

    private static void addIfAny(List<Chart<?, ?>> panels, Chart<?, ?> c) {
        if (!c.getSeriesMap().isEmpty()) {
            panels.add(c);
        }
    }

    /** Writes the panels side by side into one PNG, through a temporary file so no half image is left. */
    private static boolean write(List<Chart<?, ?>> panels, Path file) throws IOException {
        if (panels.isEmpty()) {
            return false;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(panels, 1, panels.size(), out, BitmapEncoder.BitmapFormat.PNG);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return true;
    }
}
