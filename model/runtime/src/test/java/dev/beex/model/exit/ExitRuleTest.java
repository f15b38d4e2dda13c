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

    private static final float[] SURE = {1f, 1f, 1f, 1f, 1f, 1f};

    private static int exit(ExitRule rule, float[] h, int[] labels) {
        return rule.exitIndex(h, labels, SURE, h.length);
    }

    @Test
    void entropyReductionStopsWhenEntropyStopsFalling() {
        ExitRule rule = ExitRule.entropyReduction(0.1f);
        float[] h = {0.9f, 0.5f, 0.48f, 0.1f};
        int[] labels = {0, 0, 0, 0};
        assertThat(rule.shouldExit(0, h, labels, SURE)).as("never at the first exit").isFalse();
        assertThat(rule.shouldExit(1, h, labels, SURE)).as("r = 0.44 >= 0.1").isFalse();
        assertThat(rule.shouldExit(2, h, labels, SURE)).as("r = 0.04 < 0.1").isTrue();
        assertThat(exit(rule, h, labels)).isEqualTo(2);
    }

    @Test
    void entropyReductionExitsWhenEntropyRises() {
        ExitRule rule = ExitRule.entropyReduction(0f);
        float[] h = {0.5f, 0.6f, 0.1f};
        assertThat(exit(rule, h, new int[3])).isEqualTo(1);
    }

    @Test
    void entropyReductionHandlesCertainPreviousExit() {
        ExitRule rule = ExitRule.entropyReduction(0.05f);
        float[] h = {0f, 0f, 0f};
        // (0 - 0) / max(0, eps) = 0 < 0.05: entropy cannot fall further, so leave.
        assertThat(exit(rule, h, new int[3])).isEqualTo(1);
    }

    @Test
    void aRecordTheRuleNeverFiresForRunsEveryExitAndIsHard() {
        ExitRule rule = ExitRule.entropyReduction(-1f);
        float[] h = {0.9f, 0.8f, 0.7f, 0.6f};
        assertThat(rule.firstFiring(h, new int[4], SURE, 4)).as("fires nowhere: hard").isEqualTo(4);
        assertThat(exit(rule, h, new int[4])).isEqualTo(3);
        assertThat(ExitRule.FULL_DEPTH.firstFiring(new float[] {0f, 0f, 0f}, new int[3], SURE, 3)).isEqualTo(3);
        assertThat(exit(ExitRule.FULL_DEPTH, new float[] {0f, 0f, 0f}, new int[3])).isEqualTo(2);
        // firing at the last exit: it runs everything too, but is not hard
        float[] flatAtTheEnd = {0.9f, 0.5f, 0.2f, 0.2f};
        assertThat(ExitRule.entropyReduction(0.1f).firstFiring(flatAtTheEnd, new int[4], SURE, 4)).isEqualTo(3);
    }

    @Test
    void absoluteEntropyExitsBelowThreshold() {
        ExitRule rule = ExitRule.absoluteEntropy(0.3f);
        float[] h = {0.5f, 0.31f, 0.29f, 0.1f};
        assertThat(exit(rule, h, new int[4])).isEqualTo(2);
        assertThat(rule.shouldExit(0, new float[] {0.2f}, new int[1], SURE)).as("may exit at the first exit").isTrue();
    }

    @Test
    void patienceNeedsConsecutiveAgreement() {
        ExitRule rule = ExitRule.patience(2);
        float[] h = new float[6];
        assertThat(exit(rule, h, new int[] {1, 0, 0, 1, 1, 1})).isEqualTo(5);
        assertThat(rule.firstFiring(h, new int[] {1, 0, 0, 1, 1, 1}, SURE, 6)).as("agrees at the last exit").isEqualTo(5);
        assertThat(rule.firstFiring(h, new int[] {1, 0, 0, 1, 1, 0}, SURE, 6)).as("flips at the end: hard").isEqualTo(6);
        assertThat(exit(rule, h, new int[] {1, 0, 0, 0, 1, 1})).isEqualTo(3);
        assertThat(exit(rule, h, new int[] {1, 1, 1, 0, 0, 0})).isEqualTo(2);
    }

    @Test
    void aConfidenceFloorHoldsBackEveryKindUntilTheTopProbabilityReachesIt() {
        float[] h = {0.5f, 0.5f, 0.5f, 0.5f};
        int[] same = {1, 1, 1, 1};
        float[] conf = {0.6f, 0.7f, 0.9f, 0.95f};
        // without a floor each of these fires at its first chance
        assertThat(ExitRule.entropyReduction(0.1f).firstFiring(h, same, conf, 4)).isEqualTo(1);
        assertThat(ExitRule.absoluteEntropy(0.6f).firstFiring(h, same, conf, 4)).isEqualTo(0);
        assertThat(ExitRule.patience(1).firstFiring(h, same, conf, 4)).isEqualTo(1);
        // with floor 0.9 none fires before exit 2 (p = 0.9 >= 0.9 fires: the floor is inclusive)
        for (ExitRule base : new ExitRule[] {ExitRule.entropyReduction(0.1f), ExitRule.absoluteEntropy(0.6f), ExitRule.patience(1)}) {
            ExitRule floored = base.withFloor(0.9f);
            assertThat(floored.hasFloor()).isTrue();
            assertThat(floored.shouldExit(1, h, same, conf)).as(floored.toString()).isFalse();
            assertThat(floored.firstFiring(h, same, conf, 4)).as(floored.toString()).isEqualTo(2);
            // a floor above every exit's confidence: the record stays unsure to the end (hard)
            assertThat(base.withFloor(0.96f).firstFiring(h, same, conf, 4)).as(base.toString()).isEqualTo(4);
            assertThat(base.withFloor(0.96f).exitIndex(h, same, conf, 4)).isEqualTo(3);
        }
        assertThat(ExitRule.entropyReduction(0.1f).withFloor(0f)).isEqualTo(ExitRule.entropyReduction(0.1f));
        assertThatThrownBy(() -> ExitRule.entropyReduction(0.1f).withFloor(1.5f)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> new ExitRule(ExitRule.Kind.NONE, 0f, 0.5f)).hasMessageContaining("no confidence floor");
    }

    @Test
    void parsesAndPrintsEverySpec() {
        assertThat(ExitRule.parse("reduction:0.05")).isEqualTo(ExitRule.entropyReduction(0.05f));
        assertThat(ExitRule.parse(" Entropy:0.3 ")).isEqualTo(ExitRule.absoluteEntropy(0.3f));
        assertThat(ExitRule.parse("patience:2")).isEqualTo(ExitRule.patience(2));
        assertThat(ExitRule.parse("none")).isEqualTo(ExitRule.FULL_DEPTH);
        assertThat(ExitRule.parse("reduction:0.3, floor:0.9")).isEqualTo(ExitRule.entropyReduction(0.3f).withFloor(0.9f));
        for (ExitRule r : new ExitRule[] {ExitRule.entropyReduction(0.15f), ExitRule.absoluteEntropy(0.2f),
            ExitRule.patience(3), ExitRule.FULL_DEPTH, ExitRule.patience(2).withFloor(0.93718237f),
            ExitRule.absoluteEntropy(1.01f).withFloor(0.999f)}) {
            assertThat(ExitRule.parse(r.toString())).isEqualTo(r);
        }
        assertThat(ExitRule.entropyReduction(0.3f).withFloor(0.9f).toString()).isEqualTo("reduction:0.3,floor:0.9");
    }

    @Test
    void rejectsBadSpecsWithAReason() {
        assertThatThrownBy(() -> ExitRule.parse("reduction")).hasMessageContaining("expected");
        assertThatThrownBy(() -> ExitRule.parse("reduction:abc")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ExitRule.parse("magic:1")).hasMessageContaining("unknown kind");
        assertThatThrownBy(() -> ExitRule.parse("patience:1.5")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> ExitRule.parse("reduction:0.1,floor:2")).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> ExitRule.parse("reduction:0.1,ceiling:0.5")).hasMessageContaining("floor");
        assertThatThrownBy(() -> ExitRule.parse("none,floor:0.5")).hasMessageContaining("no floor");
    }

    private static byte[] bytes(ExitRule rule) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        rule.write(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static ExitRule read(byte[] b) throws IOException {
        return ExitRule.read(new DataInputStream(new ByteArrayInputStream(b)));
    }

    @Test
    void binaryRoundTrip() throws IOException {
        ExitRule rule = ExitRule.entropyReduction(0.125f);
        assertThat(read(bytes(rule))).isEqualTo(rule);
        byte[] bad = bytes(rule);
        bad[0] = 42;
        assertThatThrownBy(() -> read(bad)).isInstanceOf(IOException.class).hasMessageContaining("unknown exit rule");
    }

    @Test
    void aFloorIsStoredSoThatRulesWithoutOneKeepTheirBytesAndOldReadersRejectIt() throws IOException {
        // without a floor: kind code and threshold, 5 bytes, exactly as before floors existed
        assertThat(bytes(ExitRule.entropyReduction(0.125f))).containsExactly(0, 0x3e, 0, 0, 0);
        ExitRule floored = ExitRule.patience(2).withFloor(0.75f);
        byte[] b = bytes(floored);
        assertThat(b).hasSize(9);
        assertThat(b[0] & 0xff).as("kind code with the floor flag: a reader without floors says 'unknown code'")
                .isEqualTo(0x80 | ExitRule.Kind.PATIENCE.ordinal());
        assertThat(read(b)).isEqualTo(floored);
        b[5] = 0; b[6] = 0; b[7] = 0; b[8] = 0;   // a flagged floor of 0 is not a valid file
        assertThatThrownBy(() -> read(b)).isInstanceOf(IOException.class).hasMessageContaining("floor");
    }

    @Test
    void entropyIsNormalizedByLabelCount() {
        assertThat(Entropy.normalized(new float[] {0.5f, 0.5f}, 2)).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(Entropy.normalized(new float[] {1f, 0f, 0f}, 3)).isEqualTo(0f);
        assertThat(Entropy.normalized(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, 3)).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(Entropy.argmax(new float[] {0.2f, 0.5f, 0.3f}, 3)).isEqualTo(1);
    }
}
