package dev.beex.model.exit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replays exit rules over full-depth exit outputs ({@link ExitOutputs}) and calibrates the rule a
 * model ships with. Running every exit once per record and then simulating any rule gives
 * exactly the decision the engine makes while stopping early (the rule only looks at exits
 * 0..e), so a sweep over hundreds of rules costs one full-depth pass. Everything here is generic
 * over the number of exits E, taken from the outputs.
 *
 * <p><b>Calibration</b> ({@link #candidates} then {@link #calibrate}): every rule kind (entropy
 * reduction, absolute entropy, patience) over its thresholds, each without a confidence floor, with
 * a grid of floors, and with the floor that sends about {@code budget} of the records to review
 * ({@link #budgetFloor}). Among the rules whose hard fraction is near the budget
 * ({@link #nearBudget}) — and, where any of those routes errors to review more often than it
 * answers them wrongly elsewhere ({@link Row#hardAboveRest}), among those only, so a queue of
 * records whose entropy merely kept falling never wins — B is the most accurate; R ties with B
 * when it is within {@code tolerance} of B's accuracy or B's lead is within one standard error of
 * the paired difference ({@link #withinOneStandardError}). Among the ties, in this order: a rule
 * that adapts (records leave at different exits) before one identical to a fixed depth, so fixed
 * truncation wins only when it beats every adaptive rule outright; a rule that meets every target
 * at once (saves at least {@link #MIN_FLOPS_SAVED} of the FLOPs, is at least as accurate as fixed
 * truncation at ceil(its mean exits) ({@link Row#matchesTruncation}), and sends review records at
 * least {@link #REVIEW_ENRICHMENT} times as often wrong as the rest ({@link Row#hardEnriched}));
 * one that saves that much and matches truncation; one whose queue is that enriched; one that
 * saves that much; one that matches truncation; the fewest mean exits; the higher accuracy. (Each
 * criterion only decides between ties that differ in it.) FLOPs come before enrichment because
 * they are measured on every record, enrichment on the budget's few: at 3% of a few hundred dev
 * records, one record more or less decides "3x", and that must not buy a rule twice the work.
 */
public final class ExitSweep {

    /** Cost (e.g. FLOPs) of record {@code record} when it leaves after exit {@code exit} (0-based). */
    @FunctionalInterface
    public interface ExitCost {
        double cost(int record, int exit);
    }

    /** Cost = exits computed (e + 1): with one exit per block and none before the first, blocks run. */
    public static final ExitCost EXITS_COMPUTED = (record, exit) -> exit + 1;

    /**
     * Outcome of one rule over a data set.
     *
     * @param meanBlocks   mean exits computed per record (1..E; blocks run when exit e follows block e + 1)
     * @param hardFraction records the rule fired for at no exit (hard examples, answered at the last exit)
     * @param flopsSaved   1 − cost with the rule / cost at full depth, by the sweep's {@link ExitCost}
     * @param fixedDepth   every record left at the same exit: the rule is a fixed truncation on this data
     * @param truncationAccuracy accuracy of sending every record out at exit ceil(meanBlocks) − 1 instead:
     *                     fixed truncation at the depth the rule pays for on average (rounded up)
     * @param hardErrorRate error rate of the hard records (0 when there are none)
     * @param easyErrorRate error rate of the other records (0 when there are none)
     */
    public record Row(ExitRule rule, double accuracy, double meanBlocks, double hardFraction, double flopsSaved,
                      boolean fixedDepth, double truncationAccuracy, double hardErrorRate, double easyErrorRate) {

        /** A row without error rates for the review queue (tests, and rows built by hand). */
        public Row(ExitRule rule, double accuracy, double meanBlocks, double hardFraction, double flopsSaved,
                   boolean fixedDepth, double truncationAccuracy) {
            this(rule, accuracy, meanBlocks, hardFraction, flopsSaved, fixedDepth, truncationAccuracy, 0, 0);
        }

        /**
         * The review queue is worth a reviewer's time: its records are wrong at least
         * {@link #REVIEW_ENRICHMENT} times as often as the others.
         */
        public boolean hardEnriched() {
            return hardErrorRate > 0 && hardErrorRate >= REVIEW_ENRICHMENT * easyErrorRate;
        }

        /** The review queue holds errors more often than the rest does: it routes the unsure, not the sure. */
        public boolean hardAboveRest() {
            return hardErrorRate > easyErrorRate;
        }

        /** At least as accurate as fixed truncation at ceil(mean blocks). */
        public boolean matchesTruncation() {
            return accuracy >= truncationAccuracy - 1e-12;
        }
    }

    /** Accuracy tolerance of calibration by default (half a point): {@code beex train}, {@code beex eval}. */
    public static final double DEFAULT_TOLERANCE = 0.005;
    /** Review budget by default: about 3% of the records reach the last exit still unsure. */
    public static final double DEFAULT_HARD_BUDGET = 0.03;
    /** Hard fractions within this share of the budget (at least half a record) count as on budget. */
    public static final double BUDGET_SLACK = 0.25;
    /**
     * How much more error-prone the hard records must be than the rest for the review queue to be
     * worth a reviewer's time (a rule whose hard records are as often right as the others only
     * routes records whose entropy kept falling, not the ones the model is unsure of).
     */
    public static final double REVIEW_ENRICHMENT = 3.0;
    /** FLOPs saved that calibration insists on when a tying rule reaches it. */
    public static final double MIN_FLOPS_SAVED = 0.5;
    /** Confidence floors swept for every rule (besides none and the budget's floor). */
    static final float[] FLOOR_GRID = {0.6f, 0.7f, 0.8f, 0.9f, 0.95f, 0.99f};

    private ExitSweep() {
    }

    public static Row evaluate(ExitRule rule, ExitOutputs out) {
        return evaluate(rule, out, EXITS_COMPUTED);
    }

    public static Row evaluate(ExitRule rule, ExitOutputs out, ExitCost cost) {
        int n = out.records(), exits = out.exits();
        if (n == 0) {
            return new Row(rule, 0, 0, 0, 0, true, 0);
        }
        long correct = 0, exitsRun = 0, hard = 0, hardWrong = 0;
        double used = 0, full = 0;
        int firstExit = -1;
        boolean fixed = true;
        for (int r = 0; r < n; r++) {
            int firing = out.firstFiring(rule, r);
            int exit = Math.min(firing, exits - 1);
            boolean right = out.labels()[r][exit] == out.gold()[r];
            if (right) {
                correct++;
            }
            exitsRun += exit + 1;
            if (firing == exits) {
                hard++;
                hardWrong += right ? 0 : 1;
            }
            used += cost.cost(r, exit);
            full += cost.cost(r, exits - 1);
            if (firstExit < 0) {
                firstExit = exit;
            }
            fixed &= exit == firstExit;
        }
        double meanExits = (double) exitsRun / n;
        int truncation = Math.max(0, Math.min(exits - 1, (int) Math.ceil(meanExits - 1e-9) - 1));
        long easyWrong = (n - correct) - hardWrong, easy = n - hard;
        return new Row(rule, (double) correct / n, meanExits, (double) hard / n,
                full == 0 ? 0 : 1 - used / full, fixed, exitAccuracy(out, truncation),
                hard == 0 ? 0 : (double) hardWrong / hard, easy == 0 ? 0 : (double) easyWrong / easy);
    }

    /** Accuracy if every record answered at exit {@code exit}. */
    public static double exitAccuracy(ExitOutputs out, int exit) {
        int correct = 0;
        for (int r = 0; r < out.records(); r++) {
            correct += out.labels()[r][exit] == out.gold()[r] ? 1 : 0;
        }
        return out.records() == 0 ? 0 : (double) correct / out.records();
    }

    /** The thresholds swept for each kind, from "fire almost never" to "fire as early as allowed". */
    public static float[] defaultThresholds(ExitRule.Kind kind, int exits) {
        switch (kind) {
            case ENTROPY_REDUCTION:
                return new float[] {-1f, -0.5f, -0.2f, -0.1f, -0.05f, 0f, 0.01f, 0.02f, 0.05f, 0.1f,
                    0.15f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.01f};
            case ABSOLUTE_ENTROPY:
                return new float[] {0f, 0.01f, 0.02f, 0.05f, 0.1f, 0.15f, 0.2f, 0.3f, 0.4f, 0.5f,
                    0.6f, 0.7f, 0.8f, 0.9f, 1.01f};
            case PATIENCE: {
                float[] t = new float[Math.max(1, exits - 1)];
                for (int i = 0; i < t.length; i++) {
                    t[i] = i + 1;
                }
                return t;
            }
            default:
                return new float[] {0f};
        }
    }

    /** One kind over thresholds, every rule with confidence floor {@code floor} (0 = none). */
    public static List<Row> sweep(ExitRule.Kind kind, float[] thresholds, float floor, ExitOutputs out, ExitCost cost) {
        List<Row> rows = new ArrayList<>(thresholds.length);
        for (float t : thresholds) {
            rows.add(evaluate(new ExitRule(kind, t, floor), out, cost));
        }
        return rows;
    }

    /**
     * Every rule calibration chooses from: each kind's default thresholds, each without a floor,
     * with every floor of the grid, and with {@link #budgetFloor} for {@code budget} (duplicates
     * dropped), plus "none".
     */
    public static List<Row> candidates(ExitOutputs out, double budget, ExitCost cost) {
        Set<ExitRule> rules = new LinkedHashSet<>();
        for (ExitRule.Kind kind : List.of(ExitRule.Kind.ENTROPY_REDUCTION, ExitRule.Kind.ABSOLUTE_ENTROPY,
                ExitRule.Kind.PATIENCE)) {
            for (float t : defaultThresholds(kind, out.exits())) {
                ExitRule base = new ExitRule(kind, t);
                rules.add(base);
                for (float f : FLOOR_GRID) {
                    rules.add(base.withFloor(f));
                }
                rules.add(base.withFloor(budgetFloor(base, out, budget)));
            }
        }
        rules.add(ExitRule.FULL_DEPTH);
        List<Row> rows = new ArrayList<>(rules.size());
        for (ExitRule rule : rules) {
            rows.add(evaluate(rule, out, cost));
        }
        return rows;
    }

    /**
     * The confidence floor that makes {@code base} (its own floor ignored) send the fraction of
     * records closest to {@code budget} to review. A record is hard under floor f exactly when f is
     * above its best confidence among the exits where the base rule fires (every record is hard
     * when the rule fires nowhere), so the hard fraction is a step function of f and the floor is
     * an order statistic of those confidences. 0 when the base rule alone already makes at least
     * {@code budget} hard (a floor can only add hard records).
     */
    public static float budgetFloor(ExitRule base, ExitOutputs out, double budget) {
        int n = out.records(), exits = out.exits();
        if (n == 0 || budget <= 0) {
            return 0f;
        }
        ExitRule noFloor = base.withFloor(0f);
        float[] best = new float[n];
        for (int r = 0; r < n; r++) {
            float m = -1f; // the rule fires nowhere: hard under any floor
            for (int e = 0; e < exits; e++) {
                if (noFloor.shouldExit(e, out.entropies()[r], out.labels()[r], out.confidences()[r])) {
                    m = Math.max(m, out.confidences()[r][e]);
                }
            }
            best[r] = m;
        }
        Arrays.sort(best);
        double target = budget * n;
        int k = (int) Math.min(n, Math.round(target));
        if (countBelow(best, 0f) >= target || k == 0) {
            return 0f;
        }
        // Floor at best[k]: hard = #{best < best[k]} (<= k); just above best[k-1]: hard = #{best <= best[k-1]} (>= k).
        float chosen = 0f;
        double chosenMiss = Double.MAX_VALUE;
        for (float f : new float[] {k < n ? best[k] : Float.NaN, Math.nextUp(best[k - 1])}) {
            if (f > 0f && f <= 1f) {
                double miss = Math.abs(countBelow(best, f) - target);
                if (miss < chosenMiss) {
                    chosen = f;
                    chosenMiss = miss;
                }
            }
        }
        return chosen;
    }

    /** Values of the sorted array strictly below {@code f}. */
    private static int countBelow(float[] sorted, float f) {
        int lo = 0, hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < f) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * True when {@code row}'s hard fraction is within {@link #BUDGET_SLACK} of {@code budget}
     * over {@code records} records (and never more than half a record off for a budget of 0).
     */
    public static boolean nearBudget(Row row, double budget, int records) {
        double slack = Math.max(0.5, BUDGET_SLACK * budget * records);
        return Math.abs(row.hardFraction() * records - budget * records) <= slack + 1e-9;
    }

    /** The calibration described in the class comment. */
    public static Row calibrate(List<Row> rows, ExitOutputs out, double budget, double tolerance) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("nothing to calibrate: empty sweep");
        }
        int n = out.records();
        List<Row> eligible = new ArrayList<>();
        for (Row r : rows) {
            if (nearBudget(r, budget, n)) {
                eligible.add(r);
            }
        }
        if (eligible.isEmpty()) {   // no rule reaches the budget: the ones closest to it
            double closest = rows.stream().mapToDouble(r -> Math.abs(r.hardFraction() - budget)).min().orElseThrow();
            for (Row r : rows) {
                if (Math.abs(r.hardFraction() - budget) <= closest + 1e-12) {
                    eligible.add(r);
                }
            }
        }
        // The review queue is what the budget is for: where some rule on budget routes errors to it
        // more often than chance, only such rules compete.
        if (eligible.stream().anyMatch(Row::hardAboveRest)) {
            eligible.removeIf(r -> !r.hardAboveRest());
        }
        Row best = null;
        for (Row r : eligible) {
            if (best == null || r.accuracy() > best.accuracy()
                    || (r.accuracy() == best.accuracy() && r.meanBlocks() < best.meanBlocks())) {
                best = r;
            }
        }
        boolean[] bestRight = correctness(best.rule(), out);
        List<Row> ties = new ArrayList<>();
        for (Row r : eligible) {
            if (r.accuracy() >= best.accuracy() - tolerance - 1e-12
                    || withinOneStandardError(bestRight, correctness(r.rule(), out))) {
                ties.add(r);
            }
        }
        // Lexicographic: a criterion only decides between ties that differ in it.
        Comparator<Row> preference = Comparator.<Row, Boolean>comparing(Row::fixedDepth)     // adaptive first
                .thenComparing(r -> !(savesEnough(r) && r.matchesTruncation() && r.hardEnriched()))  // every target
                .thenComparing(r -> !(savesEnough(r) && r.matchesTruncation()))
                .thenComparing(r -> !r.hardEnriched())                                     // a review queue worth reading
                .thenComparing(r -> !savesEnough(r))
                .thenComparing(r -> !r.matchesTruncation())
                .thenComparingDouble(Row::meanBlocks)
                .thenComparing(Comparator.comparingDouble(Row::accuracy).reversed());
        return ties.stream().min(preference).orElseThrow();   // min is stable: the first of equals
    }

    private static boolean savesEnough(Row r) {
        return r.flopsSaved() >= MIN_FLOPS_SAVED;
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

    private static boolean[] correctness(ExitRule rule, ExitOutputs out) {
        boolean[] right = new boolean[out.records()];
        for (int r = 0; r < right.length; r++) {
            right[r] = out.answer(rule, r) == out.gold()[r];
        }
        return right;
    }
}
