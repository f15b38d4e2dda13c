package dev.beex.model.exit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitSweepTest {

    /** Outputs from per-record rows (confidence 1 everywhere unless given). */
    private static ExitOutputs outputs(float[][] h, int[][] labels, int[] gold, float[][] conf) {
        int n = gold.length;
        if (conf == null) {
            conf = new float[n][h[0].length];
            for (float[] c : conf) {
                Arrays.fill(c, 1f);
            }
        }
        return new ExitOutputs(h, labels, conf, gold, new int[n]);
    }

    // Three records, three exits. Record 0 is easy (right from exit 0, entropy flat after exit 1),
    // record 1 is only right at the last exit, record 2 is right everywhere but entropy keeps falling.
    private final ExitOutputs three = outputs(
            new float[][] {{0.3f, 0.29f, 0.28f}, {0.9f, 0.89f, 0.2f}, {0.9f, 0.5f, 0.1f}},
            new int[][] {{1, 1, 1}, {1, 1, 0}, {0, 0, 0}}, new int[] {1, 0, 0}, null);

    @Test
    void evaluateCountsAccuracyExitsAndHardExamples() {
        ExitSweep.Row fullDepth = ExitSweep.evaluate(ExitRule.FULL_DEPTH, three);
        assertThat(fullDepth.accuracy()).isCloseTo(1.0, within(1e-9));
        assertThat(fullDepth.meanBlocks()).isCloseTo(3.0, within(1e-9));
        assertThat(fullDepth.hardFraction()).as("none fires nowhere: everything is hard").isCloseTo(1.0, within(1e-9));
        assertThat(fullDepth.fixedDepth()).isTrue();
        assertThat(fullDepth.flopsSaved()).isZero();

        ExitSweep.Row early = ExitSweep.evaluate(ExitRule.entropyReduction(0.1f), three);
        // records 0 and 1 leave at exit 1 (r ~ 0.03, 0.01); record 2 runs on (r = 0.44, then 0.8 at the
        // last exit: the rule fires nowhere, so it is hard)
        assertThat(early.meanBlocks()).isCloseTo((2 + 2 + 3) / 3.0, within(1e-9));
        assertThat(early.accuracy()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(early.hardFraction()).isCloseTo(1 / 3.0, within(1e-9));
        assertThat(early.fixedDepth()).isFalse();
        assertThat(early.flopsSaved()).isCloseTo(1 - 7 / 9.0, within(1e-9));
        // the hard record 2 is right; of the others record 1 is wrong at exit 1
        assertThat(early.hardErrorRate()).isZero();
        assertThat(early.easyErrorRate()).isCloseTo(0.5, within(1e-9));
        assertThat(early.hardAboveRest()).isFalse();
        assertThat(early.hardEnriched()).isFalse();

        // entropy:0.3 fires for record 2 at its last exit (0.1 < 0.3): it runs everything, but is not hard
        ExitSweep.Row absolute = ExitSweep.evaluate(ExitRule.absoluteEntropy(0.3f), three);
        assertThat(absolute.hardFraction()).isZero();
        assertThat(absolute.meanBlocks()).isCloseTo((2 + 3 + 3) / 3.0, within(1e-9));   // record 0: 0.3 is not < 0.3
    }

    /**
     * 300 records, 3 exits; every reduction rule with δ > 0 answers at exit 1, δ in (−0.2, 0] at
     * exit 2 (both fixed depths, no hard records). Exit 2 is right on {@code deeperOnly} records exit 1
     * gets wrong, and wrong on {@code shallowerOnly} records exit 1 gets right.
     */
    private static ExitSweep.Row calibratedOn(int deeperOnly, int shallowerOnly, double tolerance) {
        int n = 300;
        float[][] h = new float[n][];
        int[][] lab = new int[n][];
        int[] g = new int[n];
        for (int r = 0; r < n; r++) {
            h[r] = new float[] {0.5f, 0.5f, 0.6f};
            boolean deeperWins = r < deeperOnly, shallowerWins = r >= deeperOnly && r < deeperOnly + shallowerOnly;
            lab[r] = new int[] {0, deeperWins ? 1 : 0, shallowerWins ? 1 : 0};
        }
        ExitOutputs out = outputs(h, lab, g, null);
        List<ExitSweep.Row> rows = ExitSweep.sweep(ExitRule.Kind.ENTROPY_REDUCTION,
                ExitSweep.defaultThresholds(ExitRule.Kind.ENTROPY_REDUCTION, 3), 0f, out, ExitSweep.EXITS_COMPUTED);
        return ExitSweep.calibrate(rows, out, 0.0, tolerance);
    }

    @Test
    void aLeadWithinOneStandardErrorOfThePairedDifferenceIsATie() {
        // exit 2 is 2 records (0.67 points) better, from 4 vs 2 disagreements: 2 <= sqrt(6) -> tie, cheaper wins
        assertThat(calibratedOn(4, 2, 0.005).meanBlocks()).isEqualTo(2.0);
        // 20 vs 0 disagreements: 20 > sqrt(20), a real lead keeps the depth
        assertThat(calibratedOn(20, 0, 0.005).meanBlocks()).isEqualTo(3.0);
        // ... unless the tolerance covers it (20 records = 6.7 points)
        assertThat(calibratedOn(20, 0, 0.07).meanBlocks()).isEqualTo(2.0);
        assertThat(ExitSweep.withinOneStandardError(new boolean[] {true, true, false}, new boolean[] {false, false, true}))
                .isTrue();   // b=2, c=1: 1 <= sqrt(3)
        assertThat(ExitSweep.withinOneStandardError(new boolean[] {true, true, true}, new boolean[] {false, false, false}))
                .isFalse();  // b=3, c=0: 3 > sqrt(3)
    }

    /**
     * 200 records, 4 exits, every exit right. Half the records are sure at exit 0 (entropy 0.2),
     * the other half only from exit 1 on (0.8, then 0.1). "entropy:1.01" sends everyone out at exit 0:
     * identical to truncation after one block, and cheapest.
     */
    @Test
    void anAdaptiveRuleBeatsAFixedDepthOneThatIsNoMoreAccurate() {
        int n = 200;
        float[][] h = new float[n][];
        int[][] lab = new int[n][4];
        for (int r = 0; r < n; r++) {
            h[r] = r % 2 == 0 ? new float[] {0.2f, 0.1f, 0.1f, 0.1f} : new float[] {0.8f, 0.1f, 0.1f, 0.1f};
        }
        ExitOutputs out = outputs(h, lab, new int[n], null);
        List<ExitSweep.Row> rows = ExitSweep.candidates(out, 0.0, ExitSweep.EXITS_COMPUTED);
        ExitSweep.Row fixed = ExitSweep.evaluate(ExitRule.absoluteEntropy(1.01f), out);
        assertThat(fixed.fixedDepth()).isTrue();
        assertThat(fixed.accuracy()).isEqualTo(1.0);
        assertThat(fixed.meanBlocks()).isEqualTo(1.0);
        ExitSweep.Row chosen = ExitSweep.calibrate(rows, out, 0.0, ExitSweep.DEFAULT_TOLERANCE);
        assertThat(chosen.fixedDepth()).as(chosen.toString()).isFalse();
        assertThat(chosen.accuracy()).isEqualTo(1.0);
        assertThat(chosen.meanBlocks()).isEqualTo(1.5);   // the cheapest adaptive rule: easy ones leave at exit 0
        assertThat(chosen.hardFraction()).isZero();
    }

    /**
     * 200 records, 6 exits, every exit right except exit 0 on 2 "tricky" records. "entropy:0.3" sends
     * 102 records out at exit 0 (2 of them wrong): the cheapest rule, but less accurate than
     * truncation at ceil(its 1.49 mean exits) = 2, which is always right. Within a 2-point tolerance
     * it ties with rules that are right everywhere and still save more than half: one of those wins.
     */
    @Test
    void amongTiesARuleAtLeastAsAccurateAsTruncationAtItsDepthWins() {
        int n = 200;
        float[][] h = new float[n][];
        int[][] lab = new int[n][6];
        for (int r = 0; r < n; r++) {
            boolean medium = r >= 100 && r < 198, tricky = r >= 198;
            h[r] = medium ? new float[] {0.8f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f} : new float[] {0.2f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
            if (tricky) {
                lab[r][0] = 1;
            }
        }
        ExitOutputs out = outputs(h, lab, new int[n], null);
        ExitSweep.Row cheapest = ExitSweep.evaluate(ExitRule.absoluteEntropy(0.3f), out);
        assertThat(cheapest.accuracy()).isEqualTo(0.99);
        assertThat(cheapest.meanBlocks()).isEqualTo(1.49);
        assertThat(cheapest.truncationAccuracy()).isEqualTo(1.0);
        assertThat(cheapest.matchesTruncation()).isFalse();
        ExitSweep.Row chosen = ExitSweep.calibrate(ExitSweep.candidates(out, 0.0, ExitSweep.EXITS_COMPUTED), out, 0.0, 0.02);
        assertThat(chosen.fixedDepth()).as(chosen.toString()).isFalse();
        assertThat(chosen.matchesTruncation()).as(chosen.toString()).isTrue();
        assertThat(chosen.accuracy()).isEqualTo(1.0);
        assertThat(chosen.flopsSaved()).isGreaterThanOrEqualTo(ExitSweep.MIN_FLOPS_SAVED);
        assertThat(chosen.meanBlocks()).isGreaterThan(cheapest.meanBlocks());
    }

    /** Exit 0 is right for everyone and every later exit wrong: no adaptive rule comes close, truncation wins. */
    @Test
    void aFixedDepthRuleWinsOnlyWhenItBeatsEveryAdaptiveRule() {
        int n = 200;
        float[][] h = new float[n][];
        int[][] lab = new int[n][];
        for (int r = 0; r < n; r++) {
            h[r] = r % 2 == 0 ? new float[] {0.2f, 0.2f, 0.2f, 0.2f} : new float[] {0.5f, 0.5f, 0.5f, 0.5f};
            lab[r] = new int[] {0, 1, 1, 1};
        }
        ExitOutputs out = outputs(h, lab, new int[n], null);
        ExitSweep.Row chosen = ExitSweep.calibrate(ExitSweep.candidates(out, 0.0, ExitSweep.EXITS_COMPUTED), out, 0.0,
                ExitSweep.DEFAULT_TOLERANCE);
        assertThat(chosen.fixedDepth()).isTrue();
        assertThat(chosen.accuracy()).isEqualTo(1.0);
        assertThat(chosen.meanBlocks()).isEqualTo(1.0);
    }

    /**
     * 400 records, 3 exits, distinct confidences; the 40 least confident records are wrong at every
     * exit. A review budget of 5% must send about 20 records to review, and they must be the least
     * confident ones (the likeliest to be wrong).
     */
    @Test
    void theBudgetFloorSendsAboutTheBudgetToReviewAndPicksTheLeastConfident() {
        int n = 400, exits = 3;
        float[][] h = new float[n][exits], conf = new float[n][exits];
        int[][] lab = new int[n][exits];
        int[] gold = new int[n];
        for (int r = 0; r < n; r++) {
            // a permutation of the ranks, so record order says nothing about confidence
            int rank = (r * 7919) % n;
            for (int e = 0; e < exits; e++) {
                conf[r][e] = 0.5f + 0.49f * (rank + 1) / (n + 1) + 0.001f * e;
                h[r][e] = 1f - conf[r][e];
                lab[r][e] = rank < 40 ? 1 : 0;
            }
        }
        ExitOutputs out = outputs(h, lab, gold, conf);
        ExitRule anyExit = ExitRule.absoluteEntropy(1.01f);   // fires at exit 0 for everyone without a floor
        float floor = ExitSweep.budgetFloor(anyExit, out, 0.05);
        ExitSweep.Row floored = ExitSweep.evaluate(anyExit.withFloor(floor), out);
        assertThat(floored.hardFraction()).isEqualTo(0.05);
        assertThat(floored.fixedDepth()).isFalse();
        assertThat(ExitSweep.budgetFloor(anyExit, out, 0.0)).isZero();
        // reduction:-1 never fires: everything is hard already, no floor can bring that down
        assertThat(ExitSweep.budgetFloor(ExitRule.entropyReduction(-1f), out, 0.05)).isZero();

        for (double budget : new double[] {0.03, 0.05, 0.1}) {
            ExitSweep.Row chosen = ExitSweep.calibrate(ExitSweep.candidates(out, budget, ExitSweep.EXITS_COMPUTED), out,
                    budget, ExitSweep.DEFAULT_TOLERANCE);
            assertThat(ExitSweep.nearBudget(chosen, budget, n)).as(chosen.toString()).isTrue();
            assertThat(chosen.hardFraction()).as(chosen.toString()).isCloseTo(budget, within(0.25 * budget + 1e-9));
            // every hard record is less confident at the last exit than every other record there
            float maxHard = 0f, minEasy = 1f;
            for (int r = 0; r < n; r++) {
                if (out.firstFiring(chosen.rule(), r) == exits) {
                    maxHard = Math.max(maxHard, conf[r][exits - 1]);
                } else {
                    minEasy = Math.min(minEasy, conf[r][exits - 1]);
                }
            }
            assertThat(maxHard).as(chosen.toString()).isLessThan(minEasy);
        }
    }

    @Test
    void nearBudgetAllowsAQuarterOfTheBudgetAndHalfARecord() {
        ExitSweep.Row r = new ExitSweep.Row(ExitRule.FULL_DEPTH, 1, 1, 0.04, 0, false, 1);
        assertThat(ExitSweep.nearBudget(r, 0.03, 1000)).isFalse();   // 40 vs 30 +- 7.5
        assertThat(ExitSweep.nearBudget(r, 0.035, 1000)).isTrue();   // 40 vs 35 +- 8.75
        ExitSweep.Row none = new ExitSweep.Row(ExitRule.FULL_DEPTH, 1, 1, 0.0, 0, false, 1);
        assertThat(ExitSweep.nearBudget(none, 0.0, 1000)).isTrue();
        assertThat(ExitSweep.nearBudget(r, 0.0, 1000)).isFalse();
    }

    /**
     * 100 records, 2 exits, all answered right at exit 0 except records 0-4 (wrong everywhere).
     * Two floors on the same base rule put 5 records in review: the unsure wrong ones (their
     * confidence is low) or sure right ones whose entropy stays high. Same accuracy, same cost:
     * calibration must pick the rule whose review queue holds the errors.
     */
    @Test
    void amongTiesTheReviewQueueHoldsTheRecordsMostLikelyWrong() {
        int n = 100;
        float[][] h = new float[n][], conf = new float[n][];
        int[][] lab = new int[n][];
        int[] g = new int[n];
        for (int r = 0; r < n; r++) {
            boolean wrong = r < 5, highEntropyButRight = r >= 5 && r < 10;
            h[r] = highEntropyButRight ? new float[] {0.9f, 0.9f} : new float[] {0.1f, 0.1f};
            conf[r] = wrong ? new float[] {0.55f, 0.55f} : new float[] {0.99f, 0.99f};
            lab[r] = wrong ? new int[] {1, 1} : new int[] {0, 0};
        }
        ExitOutputs out = outputs(h, lab, g, conf);
        ExitSweep.Row byConfidence = ExitSweep.evaluate(ExitRule.absoluteEntropy(1.01f).withFloor(0.6f), out);
        ExitSweep.Row byEntropy = ExitSweep.evaluate(ExitRule.absoluteEntropy(0.5f), out);
        assertThat(byConfidence.hardFraction()).isEqualTo(byEntropy.hardFraction()).isEqualTo(0.05);
        assertThat(byConfidence.accuracy()).isEqualTo(byEntropy.accuracy()).isEqualTo(0.95);
        assertThat(byConfidence.hardEnriched()).isTrue();
        assertThat(byEntropy.hardEnriched()).as("its hard records are all right").isFalse();
        ExitSweep.Row chosen = ExitSweep.calibrate(List.of(byEntropy, byConfidence), out, 0.05, 0.005);
        assertThat(chosen.rule()).isEqualTo(byConfidence.rule());
    }

    /** 326 dev records (sentences' dev split), 4 exits; the rows below are built by hand over them. */
    private static ExitOutputs devSized() {
        int n = 326;
        float[][] h = new float[n][4];
        return outputs(h, new int[n][4], new int[n], null);
    }

    /**
     * Sentences' dev split on one seed: with ~10 records in review, whether a queue is "3x as often
     * wrong" turns on a record or two. Equally accurate rules: a slow one whose queue happens to be
     * 3x enriched, a fast one whose queue is above the rest but not 3x, and a faster one whose queue
     * is all right. The fast one must win: FLOPs are measured on all 326 records, enrichment on 10,
     * and a queue of right answers is not a review queue.
     */
    @Test
    void flopsSavedOnEveryRecordOutweighEnrichmentMeasuredOnAFew() {
        ExitSweep.Row slowEnriched = new ExitSweep.Row(ExitRule.patience(3).withFloor(0.55f), 0.8589, 4.22, 0.03,
                0.46, false, 0.8589, 0.5, 0.13);
        ExitSweep.Row fastAboveRest = new ExitSweep.Row(ExitRule.entropyReduction(0.8f).withFloor(0.57f), 0.8589,
                2.24, 0.03, 0.78, false, 0.8497, 0.3, 0.14);
        ExitSweep.Row fasterAllRight = new ExitSweep.Row(ExitRule.entropyReduction(1.01f), 0.8589, 2.0, 0.03, 0.80,
                false, 0.8497, 0.0, 0.15);
        ExitSweep.Row chosen = ExitSweep.calibrate(List.of(slowEnriched, fasterAllRight, fastAboveRest), devSized(),
                0.03, ExitSweep.DEFAULT_TOLERANCE);
        assertThat(chosen).isEqualTo(fastAboveRest);
        assertThat(slowEnriched.hardEnriched()).isTrue();
        assertThat(fastAboveRest.hardEnriched()).isFalse();
        assertThat(fastAboveRest.hardAboveRest()).isTrue();
        assertThat(fasterAllRight.hardAboveRest()).isFalse();
    }

    /** A rule that meets every target at once (FLOPs, truncation, a 3x queue) beats one that meets two. */
    @Test
    void aRuleMeetingEveryTargetBeatsOneMeetingTwo() {
        ExitSweep.Row twoTargets = new ExitSweep.Row(ExitRule.entropyReduction(0.8f).withFloor(0.57f), 0.8589, 2.24,
                0.03, 0.78, false, 0.8497, 0.3, 0.14);
        ExitSweep.Row everyTarget = new ExitSweep.Row(ExitRule.patience(2).withFloor(0.57f), 0.8589, 3.27, 0.03,
                0.61, false, 0.8589, 0.5, 0.13);
        ExitSweep.Row chosen = ExitSweep.calibrate(List.of(twoTargets, everyTarget), devSized(), 0.03,
                ExitSweep.DEFAULT_TOLERANCE);
        assertThat(chosen).isEqualTo(everyTarget);
    }
}
