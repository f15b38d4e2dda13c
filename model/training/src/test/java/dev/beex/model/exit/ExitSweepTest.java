package dev.beex.model.exit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExitSweepTest {
    // Three records, three blocks. Record 0 is easy (right from block 0, entropy flat after block 1),
    // record 1 is only right at the last block, record 2 is right everywhere but entropy keeps falling.
    private final float[][] entropies = {
        {0.3f, 0.29f, 0.28f},
        {0.9f, 0.89f, 0.2f},
        {0.9f, 0.5f, 0.1f},
    };
    private final int[][] labels = {
        {1, 1, 1},
        {1, 1, 0},
        {0, 0, 0},
    };
    private final int[] gold = {1, 0, 0};

    @Test
    void evaluateCountsAccuracyBlocksAndHardExamples() {
        ExitSweep.Row fullDepth = ExitSweep.evaluate(ExitRule.FULL_DEPTH, entropies, labels, gold);
        assertThat(fullDepth.accuracy()).isCloseTo(1.0, within(1e-9));
        assertThat(fullDepth.meanBlocks()).isCloseTo(3.0, within(1e-9));
        assertThat(fullDepth.hardFraction()).isCloseTo(1.0, within(1e-9));

        ExitSweep.Row early = ExitSweep.evaluate(ExitRule.entropyReduction(0.1f), entropies, labels, gold);
        // record 0 and 1 leave at block 1 (r ~ 0.03, 0.01), record 2 runs on (r = 0.44, then last block)
        assertThat(early.meanBlocks()).isCloseTo((2 + 2 + 3) / 3.0, within(1e-9));
        assertThat(early.accuracy()).isCloseTo(2 / 3.0, within(1e-9));
        assertThat(early.hardFraction()).isCloseTo(1 / 3.0, within(1e-9));
    }

    @Test
    void calibrationPrefersBestAccuracyThenFewerBlocks() {
        List<ExitSweep.Row> rows = ExitSweep.sweep(ExitRule.Kind.ENTROPY_REDUCTION,
                ExitSweep.defaultThresholds(ExitRule.Kind.ENTROPY_REDUCTION, 3), entropies, labels, gold);
        ExitSweep.Row chosen = ExitSweep.calibrate(rows, 0.0);
        assertThat(chosen.accuracy()).isCloseTo(1.0, within(1e-9));
        // among the perfect rules, the chosen one runs the fewest blocks
        for (ExitSweep.Row r : rows) {
            if (r.accuracy() >= 1.0 - 1e-12) {
                assertThat(chosen.meanBlocks()).isLessThanOrEqualTo(r.meanBlocks());
            }
        }
        // a tolerance of a third of the records lets the cheaper, slightly worse rule win
        ExitSweep.Row tolerant = ExitSweep.calibrate(rows, 0.34);
        assertThat(tolerant.meanBlocks()).isLessThan(chosen.meanBlocks());
    }

    /**
     * 300 records, 3 blocks; every rule with δ > 0 answers at block 2, every rule with δ ≤ 0
     * at block 3. Block 3 is right on {@code deeperOnly} records block 2 gets wrong, and wrong on
     * {@code shallowerOnly} records block 2 gets right.
     */
    private static ExitSweep.Row calibratedOn(int deeperOnly, int shallowerOnly, boolean paired) {
        int n = 300;
        float[][] h = new float[n][];
        int[][] lab = new int[n][];
        int[] g = new int[n];
        for (int r = 0; r < n; r++) {
            h[r] = new float[] {0.5f, 0.5f, 0.1f};
            boolean deeperWins = r < deeperOnly, shallowerWins = r >= deeperOnly && r < deeperOnly + shallowerOnly;
            lab[r] = new int[] {0, deeperWins ? 1 : 0, shallowerWins ? 1 : 0};
        }
        List<ExitSweep.Row> rows = ExitSweep.sweep(ExitRule.Kind.ENTROPY_REDUCTION,
                ExitSweep.defaultThresholds(ExitRule.Kind.ENTROPY_REDUCTION, 3), h, lab, g);
        return paired ? ExitSweep.calibrate(rows, 0.005, h, lab, g) : ExitSweep.calibrate(rows, 0.005);
    }

    @Test
    void aLeadWithinOneStandardErrorOfThePairedDifferenceIsATie() {
        // block 3 is 2 records (0.67 points) better, from 4 vs 2 disagreements: 2 <= sqrt(6) -> tie
        assertThat(calibratedOn(4, 2, false).meanBlocks()).isEqualTo(3.0);   // accuracy alone: deeper
        assertThat(calibratedOn(4, 2, true).meanBlocks()).isEqualTo(2.0);    // paired: noise, cheaper wins
        // 20 vs 0 disagreements: 20 > sqrt(20), a real lead keeps the depth
        assertThat(calibratedOn(20, 0, true).meanBlocks()).isEqualTo(3.0);
        assertThat(ExitSweep.withinOneStandardError(new boolean[] {true, true, false}, new boolean[] {false, false, true}))
                .isTrue();   // b=2, c=1: 1 <= sqrt(3)
        assertThat(ExitSweep.withinOneStandardError(new boolean[] {true, true, true}, new boolean[] {false, false, false}))
                .isFalse();  // b=3, c=0: 3 > sqrt(3)
    }
}
