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
}
