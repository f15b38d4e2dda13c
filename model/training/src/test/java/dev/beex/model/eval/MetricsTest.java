package dev.beex.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {
    // gold:      0 0 0 1 1 2
    // predicted: 0 0 1 1 2 2
    // label 0: tp 2, predicted 2, gold 3 -> P 1,   R 2/3, F1 0.8
    // label 1: tp 1, predicted 2, gold 2 -> P 1/2, R 1/2, F1 0.5
    // label 2: tp 1, predicted 2, gold 1 -> P 1/2, R 1,   F1 2/3
    private static final int[] GOLD = {0, 0, 0, 1, 1, 2};
    private static final int[] PRED = {0, 0, 1, 1, 2, 2};

    @Test
    void macroF1OnAHandExample() {
        assertThat(Metrics.accuracy(GOLD, PRED)).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(Metrics.macroF1(GOLD, PRED, 3)).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-12));
        // a fourth label that is neither gold nor predicted does not dilute the mean (scikit-learn)
        assertThat(Metrics.macroF1(GOLD, PRED, 4)).isCloseTo((0.8 + 0.5 + 2.0 / 3) / 3, within(1e-12));
        Metrics.LabelScore[] s = Metrics.perLabel(GOLD, PRED, new String[] {"a", "b", "c"});
        assertThat(s[0]).isEqualTo(new Metrics.LabelScore("a", 1.0, 2.0 / 3, 0.8, 3));
        assertThat(s[2].precision()).isEqualTo(0.5);
        assertThat(s[2].recall()).isEqualTo(1.0);
    }

    @Test
    void aLabelNeverPredictedScoresZeroNotNaN() {
        int[] gold = {0, 1, 1, 1};
        int[] pred = {1, 1, 1, 1};
        // label 0: P 0/0 -> 0, R 0 -> F1 0; label 1: P 3/4, R 1 -> F1 6/7
        assertThat(Metrics.macroF1(gold, pred, 2)).isCloseTo((0 + 6.0 / 7) / 2, within(1e-12));
        assertThat(Metrics.accuracy(new int[0], new int[0])).isZero();
    }
}
