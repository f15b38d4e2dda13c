package dev.beex.model.exit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ExitRuleTest {

    @Test
    void entropyReductionStopsWhenEntropyStopsFalling() {
        ExitRule rule = ExitRule.entropyReduction(0.1f);
        float[] h = {0.9f, 0.5f, 0.48f, 0.1f};
        int[] labels = {0, 0, 0, 0};
        assertThat(rule.shouldExit(0, h, labels)).as("never at the first block").isFalse();
        assertThat(rule.shouldExit(1, h, labels)).as("r = 0.44 >= 0.1").isFalse();
        assertThat(rule.shouldExit(2, h, labels)).as("r = 0.04 < 0.1").isTrue();
        assertThat(rule.exitBlock(h, labels, 4)).isEqualTo(2);
    }

    @Test
    void entropyReductionExitsWhenEntropyRises() {
        ExitRule rule = ExitRule.entropyReduction(0f);
        float[] h = {0.5f, 0.6f, 0.1f};
        assertThat(rule.exitBlock(h, new int[3], 3)).isEqualTo(1);
    }

    @Test
    void entropyReductionHandlesCertainPreviousExit() {
        ExitRule rule = ExitRule.entropyReduction(0.05f);
        float[] h = {0f, 0f, 0f};
        // (0 - 0) / max(0, eps) = 0 < 0.05: entropy cannot fall further, so leave.
        assertThat(rule.exitBlock(h, new int[3], 3)).isEqualTo(1);
    }

    @Test
    void recordThatNeverStopsRunsAllBlocks() {
        ExitRule rule = ExitRule.entropyReduction(-1f);
        float[] h = {0.9f, 0.8f, 0.7f, 0.6f};
        assertThat(rule.exitBlock(h, new int[4], 4)).isEqualTo(3);
        assertThat(ExitRule.FULL_DEPTH.exitBlock(new float[] {0f, 0f, 0f}, new int[3], 3)).isEqualTo(2);
    }

    @Test
    void absoluteEntropyExitsBelowThreshold() {
        ExitRule rule = ExitRule.absoluteEntropy(0.3f);
        float[] h = {0.5f, 0.31f, 0.29f, 0.1f};
        assertThat(rule.exitBlock(h, new int[4], 4)).isEqualTo(2);
        assertThat(rule.shouldExit(0, new float[] {0.2f}, new int[1])).as("may exit at block 1").isTrue();
    }

    @Test
    void patienceNeedsConsecutiveAgreement() {
        ExitRule rule = ExitRule.patience(2);
        float[] h = new float[6];
        assertThat(rule.exitBlock(h, new int[] {1, 0, 0, 1, 1, 1}, 6)).isEqualTo(5);
        assertThat(rule.exitBlock(h, new int[] {1, 0, 0, 0, 1, 1}, 6)).isEqualTo(3);
        assertThat(rule.exitBlock(h, new int[] {1, 1, 1, 0, 0, 0}, 6)).isEqualTo(2);
    }

    @Test
    void parsesAndPrintsEverySpec() {
        assertThat(ExitRule.parse("reduction:0.05")).isEqualTo(ExitRule.entropyReduction(0.05f));
        assertThat(ExitRule.parse(" Entropy:0.3 ")).isEqualTo(ExitRule.absoluteEntropy(0.3f));
        assertThat(ExitRule.parse("patience:2")).isEqualTo(ExitRule.patience(2));
        assertThat(ExitRule.parse("none")).isEqualTo(ExitRule.FULL_DEPTH);
        for (ExitRule r : new ExitRule[] {ExitRule.entropyReduction(0.15f), ExitRule.absoluteEntropy(0.2f),
            ExitRule.patience(3), ExitRule.FULL_DEPTH}) {
            assertThat(ExitRule.parse(r.toString())).isEqualTo(r);
        }
    }

    @Test
    void rejectsBadSpecsWithAReason() {
        assertThatThrownBy(() -> ExitRule.parse("reduction")).hasMessageContaining("expected");
        assertThatThrownBy(() -> ExitRule.parse("reduction:abc")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ExitRule.parse("magic:1")).hasMessageContaining("unknown kind");
        assertThatThrownBy(() -> ExitRule.parse("patience:1.5")).hasMessageContaining("whole number");
    }

    @Test
    void binaryRoundTrip() throws IOException {
        ExitRule rule = ExitRule.entropyReduction(0.125f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        rule.write(new DataOutputStream(bytes));
        assertThat(ExitRule.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())))).isEqualTo(rule);
        byte[] bad = bytes.toByteArray();
        bad[0] = 42;
        assertThatThrownBy(() -> ExitRule.read(new DataInputStream(new ByteArrayInputStream(bad))))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown exit rule");
    }

    @Test
    void entropyIsNormalizedByLabelCount() {
        assertThat(Entropy.normalized(new float[] {0.5f, 0.5f}, 2)).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(Entropy.normalized(new float[] {1f, 0f, 0f}, 3)).isEqualTo(0f);
        assertThat(Entropy.normalized(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, 3)).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(Entropy.argmax(new float[] {0.2f, 0.5f, 0.3f}, 3)).isEqualTo(1);
    }
}
