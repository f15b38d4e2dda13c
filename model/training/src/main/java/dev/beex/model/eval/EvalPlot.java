package dev.beex.model.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYPointerAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Accuracy against FLOPs saved over the exit-threshold sweep: the trade-off curve, the
 * model's chosen threshold, and the full-depth point (0% saved). PNG, drawn headless.
 */
public final class EvalPlot {
    private static final Color CURVE = new Color(0x1f77b4);
    private static final Color CHOSEN = new Color(0xd62728);
    private static final Color FULL = new Color(0x333333);

    private EvalPlot() {
    }

    public static void write(EvalReport report, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeries curve = new XYSeries("threshold sweep", false, true);
        XYSeries chosen = new XYSeries("chosen: " + report.rule(), false, true);
        XYSeries full = new XYSeries("full depth", false, true);
        List<EvalReport.SweepPoint> points = new ArrayList<>(report.sweep());
        points.sort(Comparator.comparingDouble(EvalReport.SweepPoint::flopsSaved)
                .thenComparingDouble(EvalReport.SweepPoint::threshold));
        for (EvalReport.SweepPoint p : points) {
            curve.add(100 * p.flopsSaved(), 100 * p.accuracy());
        }
        chosen.add(100 * report.flopsSaved(), 100 * report.accuracy());
        full.add(0.0, 100 * report.fullDepthAccuracy());

        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(curve);
        data.addSeries(full);
        data.addSeries(chosen);

        NumberAxis x = new NumberAxis("FLOPs saved against full depth (%)");
        NumberAxis y = new NumberAxis("accuracy (%)");
        y.setAutoRangeIncludesZero(false);
        y.setUpperMargin(0.08);
        x.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        renderer.setSeriesPaint(0, CURVE);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesShape(0, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
        renderer.setSeriesLinesVisible(1, false);
        renderer.setSeriesPaint(1, FULL);
        renderer.setSeriesShape(1, new Rectangle2D.Double(-6, -6, 12, 12));
        renderer.setSeriesLinesVisible(2, false);
        renderer.setSeriesPaint(2, CHOSEN);
        renderer.setSeriesShape(2, new java.awt.Polygon(new int[] {0, 8, 0, -8}, new int[] {-8, 0, 8, 0}, 4));

        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // chosen and full-depth marks on top
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        ValueMarker fullLine = new ValueMarker(100 * report.fullDepthAccuracy(), FULL,
                new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
        fullLine.setLabel(String.format(Locale.ROOT, "full depth %.1f%%", 100 * report.fullDepthAccuracy()));
        fullLine.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        fullLine.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        fullLine.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        plot.addRangeMarker(fullLine);

        // Threshold labels on the sweep points; a point too close to one already labelled stays
        // unlabelled (closeness relative to the data ranges, so labels never pile up).
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
        double xRange = Math.max(1e-9, curve.getMaxX() - Math.min(0, curve.getMinX()));
        double yRange = Math.max(1e-9, Math.max(curve.getMaxY(), 100 * report.fullDepthAccuracy())
                - Math.min(curve.getMinY(), 100 * report.fullDepthAccuracy()));
        List<double[]> labelled = new ArrayList<>();
        for (EvalReport.SweepPoint p : points) {
            double px = 100 * p.flopsSaved(), py = 100 * p.accuracy();
            boolean crowded = false;
            for (double[] q : labelled) {
                crowded |= Math.abs(px - q[0]) < 0.07 * xRange && Math.abs(py - q[1]) < 0.06 * yRange;
            }
            if (crowded) {
                continue;
            }
            labelled.add(new double[] {px, py});
            XYTextAnnotation label = new XYTextAnnotation(threshold(p), px, py);
            label.setFont(small);
            label.setPaint(CURVE.darker());
            label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addAnnotation(label);
        }
        XYPointerAnnotation chosenNote = new XYPointerAnnotation(
                String.format(Locale.ROOT, "%s: %.1f%%, %.0f%% FLOPs saved, %.2f blocks",
                        report.rule(), 100 * report.accuracy(), 100 * report.flopsSaved(), report.meanBlocks()),
                100 * report.flopsSaved(), 100 * report.accuracy(), Math.PI * 0.75);
        chosenNote.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        chosenNote.setPaint(CHOSEN);
        chosenNote.setArrowPaint(CHOSEN);
        chosenNote.setTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addAnnotation(chosenNote);

        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(String.format(Locale.ROOT,
                "%d records · model %,d bytes vs float32 %,d (%.1fx smaller) · hard examples %.1f%% · macro-F1 %.1f%%",
                report.records(), report.modelBytes(), report.floatModelBytes(), report.sizeRatio(),
                100 * report.hardFraction(), 100 * report.macroF1()), new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 640);
    }

    private static String threshold(EvalReport.SweepPoint p) {
        String rule = p.rule();
        int colon = rule.indexOf(':'), comma = rule.indexOf(',');
        String value = colon >= 0 ? rule.substring(colon + 1, comma > colon ? comma : rule.length()) : rule;
        return (rule.startsWith("reduction") ? "δ=" : "") + value;   // the floor is the same for every point
    }
}
