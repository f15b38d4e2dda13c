package dev.beex.model.exit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Replays exit rules over full-depth exit outputs. Running every block once per record and
 * then simulating any rule gives exactly the decision the engine makes while stopping early
 * (the rule only looks at exits 0..b), so a whole δ sweep costs one full-depth pass.
 *
 * <p>Inputs are per record r and block b: {@code entropies[r][b]} (normalized),
 * {@code labels[r][b]} (argmax of exit b) and {@code gold[r]}.
 */
public final class ExitSweep {

    /** Outcome of one rule over a data set. {@code meanBlocks} counts blocks run (1-based). */
    public record Row(ExitRule rule, double accuracy, double meanBlocks, double hardFraction) {
    }

    private ExitSweep() {
    }

    public static Row evaluate(ExitRule rule, float[][] entropies, int[][] labels, int[] gold) {
        int n = gold.length;
        if (n == 0) {
            return new Row(rule, 0, 0, 0);
        }
        int blocks = entropies[0].length;
        long correct = 0, blocksRun = 0, hard = 0;
        for (int r = 0; r < n; r++) {
            int exit = rule.exitBlock(entropies[r], labels[r], blocks);
            if (labels[r][exit] == gold[r]) {
                correct++;
            }
            blocksRun += exit + 1;
            if (exit == blocks - 1) {
                hard++;
            }
        }
        return new Row(rule, (double) correct / n, (double) blocksRun / n, (double) hard / n);
    }

    /** The thresholds swept for each kind, from "exit almost never" to "exit as early as allowed". */
    public static float[] defaultThresholds(ExitRule.Kind kind, int blocks) {
        switch (kind) {
            case ENTROPY_REDUCTION:
                return new float[] {-1f, -0.5f, -0.2f, -0.1f, -0.05f, 0f, 0.01f, 0.02f, 0.05f, 0.1f,
                    0.15f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.01f};
            case ABSOLUTE_ENTROPY:
                return new float[] {0f, 0.01f, 0.02f, 0.05f, 0.1f, 0.15f, 0.2f, 0.3f, 0.4f, 0.5f,
                    0.6f, 0.7f, 0.8f, 0.9f, 1.01f};
            case PATIENCE: {
                float[] t = new float[Math.max(1, blocks - 1)];
                for (int i = 0; i < t.length; i++) {
                    t[i] = i + 1;
                }
                return t;
            }
            default:
                return new float[] {0f};
        }
    }

    public static List<Row> sweep(ExitRule.Kind kind, float[] thresholds,
                                  float[][] entropies, int[][] labels, int[] gold) {
        List<Row> rows = new ArrayList<>(thresholds.length);
        for (float t : thresholds) {
            rows.add(evaluate(new ExitRule(kind, t), entropies, labels, gold));
        }
        return rows;
    }

    /** Accuracy tolerance of δ calibration by default (half a point): {@code beex train}, {@code beex eval}. */
    public static final double DEFAULT_TOLERANCE = 0.005;

    /**
     * Picks the rule with the best accuracy; rules within {@code tolerance} of it (absolute
     * accuracy, e.g. 0.005 = half a point) count as ties and the one running the fewest blocks
     * wins. Accuracy alone, kept for tests as the contrast to the paired rule below, which
     * {@code beex train} and {@code beex eval} use.
     */
    static Row calibrate(List<Row> rows, double tolerance) {
        Row best = mostAccurate(rows);
        return fewestBlocksAmongTies(rows, r -> withinTolerance(best, r, tolerance));
    }

    /**
     * The δ calibration of {@code beex train}: the rule running the fewest blocks among those that
     * tie with the most accurate rule B. R ties with B when it is within {@code tolerance} of B's
     * accuracy, or when B's lead is within one standard error of a paired comparison on these
     * records: with b = records B gets right and R wrong, c = the reverse, {@code b − c ≤ √(b + c)}
     * (McNemar's statistic ≤ 1). On 326 dev records B being right on 2 more records is noise; on
     * 5,000 it takes ~1 point with the same disagreement. Equal blocks: the more accurate rule.
     */
    public static Row calibrate(List<Row> rows, double tolerance, float[][] entropies, int[][] labels, int[] gold) {
        Row best = mostAccurate(rows);
        boolean[] bestRight = correctness(best.rule(), entropies, labels, gold);
        return fewestBlocksAmongTies(rows, r -> withinTolerance(best, r, tolerance)
                || withinOneStandardError(bestRight, correctness(r.rule(), entropies, labels, gold)));
    }

    private static Row mostAccurate(List<Row> rows) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("nothing to calibrate: empty sweep");
        }
        Row best = null;
        for (Row r : rows) {
            if (best == null || r.accuracy() > best.accuracy()
                    || (r.accuracy() == best.accuracy() && r.meanBlocks() < best.meanBlocks())) {
                best = r;
            }
        }
        return best;
    }

    private static boolean withinTolerance(Row best, Row r, double tolerance) {
        return r.accuracy() >= best.accuracy() - tolerance - 1e-12;
    }

    private static Row fewestBlocksAmongTies(List<Row> rows, Predicate<Row> tiesWithBest) {
        Row chosen = null;
        for (Row r : rows) {
            if (tiesWithBest.test(r) && (chosen == null || r.meanBlocks() < chosen.meanBlocks()
                    || (r.meanBlocks() == chosen.meanBlocks() && r.accuracy() > chosen.accuracy()))) {
                chosen = r;
            }
        }
        return chosen;
    }

    /** Paired comparison: B's extra correct records over R are within one standard error. */
    static boolean withinOneStandardError(boolean[] bestRight, boolean[] otherRight) {
        long b = 0, c = 0;
        for (int i = 0; i < bestRight.length; i++) {
            if (bestRight[i] && !otherRight[i]) {
                b++;
            } else if (!bestRight[i] && otherRight[i]) {
                c++;
            }
        }
        return b - c <= Math.sqrt(b + c);
    }

    private static boolean[] correctness(ExitRule rule, float[][] entropies, int[][] labels, int[] gold) {
        boolean[] right = new boolean[gold.length];
        int blocks = gold.length == 0 ? 0 : entropies[0].length;
        for (int r = 0; r < gold.length; r++) {
            right[r] = labels[r][rule.exitBlock(entropies[r], labels[r], blocks)] == gold[r];
        }
        return right;
    }
}
