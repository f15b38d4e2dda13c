package dev.beex.model.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * What {@link Evaluator} measured on one data set. Fractions are in [0, 1]; FLOPs follow
 * {@link FlopCounter}'s conventions and are means per record.
 *
 * @param records               records evaluated
 * @param labels                the model's labels (index order)
 * @param rule                  the exit rule applied ("reduction:0.1", "none", ...)
 * @param accuracy              accuracy with the exit rule
 * @param macroF1               macro-F1 with the exit rule
 * @param fullDepthAccuracy     accuracy of the last exit (every block run)
 * @param fullDepthMacroF1      macro-F1 of the last exit
 * @param perExitAccuracy       accuracy of exit i (0-based) if every record left there
 * @param meanBlocks            mean blocks run per record with the rule (1..blocks; from 0 with the lexical exit 0)
 * @param blocks                blocks in the model
 * @param hardFraction          hard examples: records the rule fired for at no exit, the last one included
 *                              (they answer at the last exit, still unsure, and go to review)
 * @param flopsSaved            1 − FLOPs with the rule / FLOPs at full depth (same model)
 * @param meanTokens            mean tokens per record
 * @param flopsPerRecord        mean FLOPs per record with the rule
 * @param fullDepthFlopsPerRecord mean FLOPs per record at full depth
 * @param floatFlopsPerRecord   mean FLOPs per record of the same architecture in float32 at full depth
 * @param modelBytes            artifact file size
 * @param floatModelBytes       float32 size of the same architecture's parameters
 * @param perLabel              precision / recall / F1 / support per label, with the rule
 * @param sweep                 the rule's threshold sweep over the same full-depth outputs
 * @param suggested             the rule {@link dev.beex.model.exit.ExitSweep#calibrate} picks on this data over every
 *                              rule kind and floor for {@code hardBudget} (what {@code beex train} does on dev)
 * @param exitHistogram         records leaving at each exit (index = exit e, 0-based, E entries: exit 0 of a
 *                              lexical model first, then one per block)
 * @param fixedDepthAccuracy    accuracy of truncation after k blocks for every record, k = 1..blocks (index k − 1);
 *                              a lexical model's "exit 0 only" is {@link #exit0Accuracy()}, not in this array
 * @param fixedDepthFlopsSaved  FLOPs saved by that truncation against full depth
 * @param hardErrorRate         error rate of the hard examples (NaN when there are none)
 * @param easyErrorRate         error rate of every other record (NaN when there are none)
 * @param hardBudget            review budget the suggestion was calibrated for
 */
public record EvalReport(int records, List<String> labels, String rule, double accuracy, double macroF1,
                         double fullDepthAccuracy, double fullDepthMacroF1, double[] perExitAccuracy,
                         double meanBlocks, int blocks, double hardFraction, double flopsSaved,
                         double meanTokens, double flopsPerRecord, double fullDepthFlopsPerRecord,
                         double floatFlopsPerRecord, long modelBytes, long floatModelBytes,
                         List<Metrics.LabelScore> perLabel, List<SweepPoint> sweep, SweepPoint suggested,
                         long[] exitHistogram, double[] fixedDepthAccuracy, double[] fixedDepthFlopsSaved,
                         double hardErrorRate, double easyErrorRate, double hardBudget) {

    /**
     * One rule of the sweep. {@code floor} is its confidence floor (0 = none); {@code fixedDepth}:
     * every record left at the same exit; {@code chosen} marks the rule the report was made with.
     */
    public record SweepPoint(String rule, double threshold, double floor, double accuracy, double macroF1,
                             double meanBlocks, double hardFraction, double flopsSaved, boolean fixedDepth,
                             boolean chosen) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The threshold of the rule (δ for reduction:δ); NaN for "none". */
    public double delta() {
        for (SweepPoint p : sweep) {
            if (p.chosen()) {
                return p.threshold();
            }
        }
        return Double.NaN;
    }

    /** float32 bytes / artifact bytes (how many times smaller the model is). */
    public double sizeRatio() {
        return modelBytes == 0 ? 0 : (double) floatModelBytes / modelBytes;
    }

    /** FLOPs with the rule relative to the float32 model at full depth (1 − this = saved vs float). */
    public double flopsVsFloat() {
        return floatFlopsPerRecord == 0 ? 0 : flopsPerRecord / floatFlopsPerRecord;
    }

    /** One JSON object: the fields of this record plus delta, sizeRatio and flopsVsFloat. */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("records", records);
        ArrayNode l = o.putArray("labels");
        labels.forEach(l::add);
        o.put("rule", rule);
        double delta = delta();
        if (Double.isNaN(delta)) {
            o.putNull("delta");
        } else {
            o.put("delta", delta);
        }
        ruleFloor(o);
        o.put("accuracy", accuracy);
        o.put("macroF1", macroF1);
        o.put("fullDepthAccuracy", fullDepthAccuracy);
        o.put("fullDepthMacroF1", fullDepthMacroF1);
        putArray(o, "perExitAccuracy", perExitAccuracy);
        o.put("meanBlocks", meanBlocks);
        o.put("blocks", blocks);
        o.put("hardFraction", hardFraction);
        numberOrNull(o, "hardErrorRate", hardErrorRate);
        numberOrNull(o, "easyErrorRate", easyErrorRate);
        o.put("hardBudget", hardBudget);
        ArrayNode hist = o.putArray("exitHistogram");
        for (long c : exitHistogram) {
            hist.add(c);
        }
        putArray(o, "fixedDepthAccuracy", fixedDepthAccuracy);
        if (exitsBeforeBlocks() > 0) {
            o.put("exit0Accuracy", exit0Accuracy());
        }
        putArray(o, "fixedDepthFlopsSaved", fixedDepthFlopsSaved);
        o.put("flopsSaved", flopsSaved);
        o.put("meanTokens", meanTokens);
        o.put("flopsPerRecord", flopsPerRecord);
        o.put("fullDepthFlopsPerRecord", fullDepthFlopsPerRecord);
        o.put("floatFlopsPerRecord", floatFlopsPerRecord);
        o.put("flopsVsFloat", flopsVsFloat());
        o.put("modelBytes", modelBytes);
        o.put("floatModelBytes", floatModelBytes);
        o.put("sizeRatio", sizeRatio());
        ArrayNode pl = o.putArray("perLabel");
        for (Metrics.LabelScore s : perLabel) {
            pl.addObject().put("label", s.label()).put("precision", s.precision()).put("recall", s.recall())
                    .put("f1", s.f1()).put("support", s.support());
        }
        ArrayNode sw = o.putArray("sweep");
        for (SweepPoint p : sweep) {
            sw.add(point(p));
        }
        if (suggested != null) {
            o.set("suggested", point(suggested));
        }
        return o;
    }

    private static ObjectNode point(SweepPoint p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("rule", p.rule()).put("threshold", p.threshold()).put("floor", p.floor()).put("accuracy", p.accuracy())
                .put("macroF1", p.macroF1()).put("meanBlocks", p.meanBlocks()).put("hardFraction", p.hardFraction())
                .put("flopsSaved", p.flopsSaved()).put("fixedDepth", p.fixedDepth()).put("chosen", p.chosen());
        return n;
    }

    private void ruleFloor(ObjectNode o) {
        for (SweepPoint p : sweep) {
            if (p.chosen()) {
                o.put("floor", p.floor());
                return;
            }
        }
        o.put("floor", 0.0);
    }

    private static void putArray(ObjectNode o, String field, double[] values) {
        ArrayNode a = o.putArray(field);
        for (double v : values) {
            a.add(v);
        }
    }

    private static void numberOrNull(ObjectNode o, String field, double v) {
        if (Double.isNaN(v)) {
            o.putNull(field);
        } else {
            o.put(field, v);
        }
    }

    /** Records that are hard examples (rounded from the fraction). */
    public long hardCount() {
        return Math.round(hardFraction * records);
    }

    /** Exits before block 1: 1 for a lexical model (its exit 0), else 0. */
    public int exitsBeforeBlocks() {
        return perExitAccuracy.length == 0 ? 0 : perExitAccuracy.length - blocks;
    }

    /**
     * Accuracy of answering every record at a lexical model's exit 0 (no block run); NaN for the
     * paper network. Not part of {@code fixedDepthAccuracy}, which is truncation after k = 1..blocks blocks.
     */
    public double exit0Accuracy() {
        return exitsBeforeBlocks() > 0 ? perExitAccuracy[0] : Double.NaN;
    }

    /** The fixed truncation depth a comparison with this rule uses: ceil(mean blocks), at least 1. */
    public int comparableFixedDepth() {
        return Math.max(1, Math.min(blocks, (int) Math.ceil(meanBlocks - 1e-9)));
    }

    /** A report for people: headline numbers, per-exit accuracy, per-label scores and the sweep table. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "records            %d (mean %.1f tokens)%n", records, meanTokens));
        sb.append(String.format(Locale.ROOT, "exit rule          %s%n", rule));
        sb.append(String.format(Locale.ROOT, "accuracy           %.2f%%   macro-F1 %.2f%%%n", 100 * accuracy, 100 * macroF1));
        sb.append(String.format(Locale.ROOT, "full depth         %.2f%%   macro-F1 %.2f%%%n", 100 * fullDepthAccuracy, 100 * fullDepthMacroF1));
        sb.append(String.format(Locale.ROOT, "mean blocks        %.2f of %d%n", meanBlocks, blocks));
        sb.append(String.format(Locale.ROOT, "hard examples      %.1f%% (%d records, unsure at the last exit; budget %.1f%%): error rate %s, others %s%n",
                100 * hardFraction, hardCount(), 100 * hardBudget, percent(hardErrorRate), percent(easyErrorRate)));
        sb.append(exitsBeforeBlocks() > 0 ? "exit histogram     (by blocks run, 0 = exit 0)" : "exit histogram    ");
        for (int i = 0; i < exitHistogram.length; i++) {
            sb.append(String.format(Locale.ROOT, " %d:%d", i + 1 - exitsBeforeBlocks(), exitHistogram[i]));
        }
        sb.append(System.lineSeparator());
        sb.append("fixed depth        accuracy (FLOPs saved) of every record leaving after k blocks:");
        sb.append(System.lineSeparator()).append("                  ");
        for (int k = 0; k < fixedDepthAccuracy.length; k++) {
            sb.append(String.format(Locale.ROOT, " %d:%.1f%% (%.0f%%)", k + 1, 100 * fixedDepthAccuracy[k],
                    100 * fixedDepthFlopsSaved[k]));
        }
        sb.append(System.lineSeparator());
        if (exitsBeforeBlocks() > 0) {
            sb.append(String.format(Locale.ROOT, "exit 0 only        %.1f%% (every record answered by the lexical exit, no block)%n",
                    100 * exit0Accuracy()));
        }
        int k = comparableFixedDepth();
        sb.append(String.format(Locale.ROOT, "vs fixed depth     %+.2f points against truncation at %d blocks (ceil of mean blocks), %+.2f against full depth%n",
                100 * (accuracy - fixedDepthAccuracy[k - 1]), k, 100 * (accuracy - fullDepthAccuracy)));
        sb.append(String.format(Locale.ROOT, "FLOPs / record     %s (full depth %s, float32 model %s)%n",
                human(flopsPerRecord), human(fullDepthFlopsPerRecord), human(floatFlopsPerRecord)));
        sb.append(String.format(Locale.ROOT, "FLOPs saved        %.1f%% vs full depth, %.1f%% vs float32 full depth%n",
                100 * flopsSaved, 100 * (1 - flopsVsFloat())));
        sb.append(String.format(Locale.ROOT, "model size         %,d bytes (float32 %,d bytes: %.1fx smaller)%n",
                modelBytes, floatModelBytes, sizeRatio()));
        sb.append("per-exit accuracy ");
        for (int i = 0; i < perExitAccuracy.length; i++) {
            sb.append(String.format(Locale.ROOT, " %d:%.1f%%", i + 1 - exitsBeforeBlocks(), 100 * perExitAccuracy[i]));
        }
        sb.append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "%n%-12s %9s %7s %7s%n", "label", "precision", "recall", "F1"));
        for (Metrics.LabelScore s : perLabel) {
            sb.append(String.format(Locale.ROOT, "%-12s %8.1f%% %6.1f%% %6.1f%%  (%d)%n", s.label(),
                    100 * s.precision(), 100 * s.recall(), 100 * s.f1(), s.support()));
        }
        sb.append(sweepTable());
        return sb.toString();
    }

    /** The sweep as a fixed-width table; the chosen row is marked "<", the suggested one "*", fixed depths "=". */
    public String sweepTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%-30s %9s %9s %8s %7s %12s%n",
                "rule", "accuracy", "macro-F1", "blocks", "hard", "FLOPs saved"));
        for (SweepPoint p : sweep) {
            sb.append(row(p));
        }
        sb.append("(< = the rule used above, = = every record leaves at the same exit)");
        sb.append(System.lineSeparator());
        if (suggested != null) {
            sb.append(String.format(Locale.ROOT, "%ncalibration on this data (every kind and floor, review budget %.1f%%, as beex train on dev):%n",
                    100 * hardBudget));
            sb.append(row(suggested));
        }
        return sb.toString();
    }

    private static String row(SweepPoint p) {
        String mark = (p.chosen() ? " <" : "") + (p.fixedDepth() ? " =" : "");
        return String.format(Locale.ROOT, "%-30s %8.2f%% %8.2f%% %8.2f %6.1f%% %11.1f%%%s%n", p.rule(),
                100 * p.accuracy(), 100 * p.macroF1(), p.meanBlocks(), 100 * p.hardFraction(), 100 * p.flopsSaved(), mark);
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static String human(double flops) {
        if (flops >= 1e9) {
            return String.format(Locale.ROOT, "%.2f GFLOPs", flops / 1e9);
        }
        if (flops >= 1e6) {
            return String.format(Locale.ROOT, "%.2f MFLOPs", flops / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kFLOPs", flops / 1e3);
    }
}
