package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beex.schemas.ShadowComparison;
import org.junit.jupiter.api.Test;

class ShadowTallyTest {

    @Test
    void countsAgreementAccuracyBlocksAndHardRecords() {
        ShadowTally t = new ShadowTally();
        t.add("spam", 2, false, 10, "spam", 3, true, 20, "spam");
        t.add("spam", 3, true, 30, "ham", 1, false, 5, "ham");
        t.add("ham", 1, false, 10, "ham", 1, false, 5, null);
        ShadowComparison c = t.toComparison("control-0-4", "m", 1, 2, "records>=3", null);
        assertThat(c.getRecords()).isEqualTo(3);
        assertThat(c.getAgreements()).isEqualTo(2);
        assertThat(c.getLabeled()).isEqualTo(2);
        assertThat(c.getActiveCorrect()).isEqualTo(1);
        assertThat(c.getShadowCorrect()).isEqualTo(2);
        assertThat(c.getActiveBlocks()).isEqualTo(6);
        assertThat(c.getShadowBlocks()).isEqualTo(5);
        assertThat(c.getActiveHard()).isEqualTo(1);
        assertThat(c.getShadowHard()).isEqualTo(1);
        assertThat(c.getActiveMicros()).isEqualTo(50);
        assertThat(c.getShadowMicros()).isEqualTo(30);
        assertThat(c.getAgreement()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(c.getActiveAccuracy()).isEqualTo(0.5);
        assertThat(c.getShadowAccuracy()).isEqualTo(1.0);
        assertThat(c.getActiveMeanBlocks()).isEqualTo(2.0);
        assertThat(c.getShadowMeanBlocks()).isCloseTo(5 / 3.0, within(1e-12));
        assertThat(c.getActiveHardRate()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(c.getActiveLatencyBuckets()).as("10, 30, 10 µs").hasSize(LatencyHistogram.bucket(30) + 1);
        assertThat(c.getActiveLatencyBuckets().get(LatencyHistogram.bucket(10))).isEqualTo(2);
        assertThat(c.getShadowLatencyBuckets().get(LatencyHistogram.bucket(5))).isEqualTo(2);
        assertThat(c.getActiveP99Micros()).isEqualTo(LatencyHistogram.upperMicros(LatencyHistogram.bucket(30)));
        assertThat(c.getShadowP99Micros()).isEqualTo(LatencyHistogram.upperMicros(LatencyHistogram.bucket(20)));
        assertThat(c.getRolloutId()).isEqualTo("control-0-4");
        assertThat(c.getPromoteWhen()).isEqualTo("records>=3");
    }

    @Test
    void partsAddUpToTheWholeAndClearStartsOver() {
        ShadowTally a = new ShadowTally();
        ShadowTally b = new ShadowTally();
        ShadowTally whole = new ShadowTally();
        for (int i = 0; i < 10; i++) {
            ShadowTally part = i < 4 ? a : b;
            String label = i % 3 == 0 ? "x" : "y";
            part.add("y", 1 + i % 2, i % 5 == 0, i, label, 2, false, 2 * i, i % 2 == 0 ? "y" : null);
            whole.add("y", 1 + i % 2, i % 5 == 0, i, label, 2, false, 2 * i, i % 2 == 0 ? "y" : null);
        }
        ShadowTally sum = new ShadowTally();
        sum.add(a.toComparison("r", "m", 1, 2, null, null));
        sum.add(b.toComparison("r", "m", 1, 2, null, null));
        assertThat(sum.toComparison("r", "m", 1, 2, null, null)).isEqualTo(whole.toComparison("r", "m", 1, 2, null, null));
        sum.clear();
        assertThat(sum.isEmpty()).isTrue();
        ShadowComparison none = sum.toComparison("r", "m", 1, 2, null, null);
        assertThat(none.getAgreement()).as("no denominator: no rate").isNull();
        assertThat(none.getShadowAccuracy()).isNull();
    }
}
