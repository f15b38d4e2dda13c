package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.schemas.ShadowComparison;
import org.junit.jupiter.api.Test;

class RolloutGateTest {

    /** {@code records} compared, {@code agreements} of them, {@code labeled} with {@code shadowCorrect} right. */
    private static ShadowComparison seen(long records, long agreements, long labeled, long shadowCorrect, long shadowBlocks) {
        ShadowTally t = new ShadowTally();
        t.records = records;
        t.agreements = agreements;
        t.labeled = labeled;
        t.shadowCorrect = shadowCorrect;
        t.shadowBlocks = shadowBlocks;
        return t.toComparison("control-0-1", "m", 1, 2, null, null);
    }

    @Test
    void everyTermMustHold() {
        RolloutGate gate = RolloutGate.parse(" agreement >= 0.97 , records>=5000");
        assertThat(gate.toString()).isEqualTo("agreement >= 0.97 , records>=5000");
        assertThat(gate.test(seen(5000, 4850, 0, 0, 0))).isTrue();
        assertThat(gate.test(seen(4999, 4999, 0, 0, 0))).as("too few records").isFalse();
        assertThat(gate.test(seen(5000, 4849, 0, 0, 0))).as("agreement 0.9698").isFalse();
    }

    @Test
    void operatorsAndTermsMeanWhatTheySay() {
        ShadowComparison c = seen(100, 80, 10, 9, 250);
        assertThat(RolloutGate.parse("agreement<0.9").test(c)).isTrue();
        assertThat(RolloutGate.parse("agreement>0.8").test(c)).isFalse();
        assertThat(RolloutGate.parse("agreement<=0.8").test(c)).isTrue();
        assertThat(RolloutGate.parse("accuracy>=0.9").test(c)).isTrue();
        assertThat(RolloutGate.parse("meanBlocks<2.5").test(c)).isFalse();
        assertThat(RolloutGate.parse("meanBlocks<=2.5").test(c)).isTrue();
        assertThat(RolloutGate.parse("records>99,records<101").test(c)).isTrue();
    }

    @Test
    void aTermWithoutDataNeverHolds() {
        assertThat(RolloutGate.parse("accuracy>=0").test(seen(100, 100, 0, 0, 100))).as("no labeled record").isFalse();
        assertThat(RolloutGate.parse("accuracy<2").test(seen(100, 100, 0, 0, 100))).isFalse();
        assertThat(RolloutGate.parse("agreement<2").test(seen(0, 0, 0, 0, 0))).as("nothing compared").isFalse();
    }

    @Test
    void noGateIsNull() {
        assertThat(RolloutGate.parse(null)).isNull();
        assertThat(RolloutGate.parse("  ")).isNull();
    }

    @Test
    void aBadExpressionIsOneLineThatSaysWhatIsWrong() {
        assertThatThrownBy(() -> RolloutGate.parse("agreement>>0.9")).hasMessageContaining("'agreement>>0.9' is not <term><op><number>");
        assertThatThrownBy(() -> RolloutGate.parse("loss<0.1")).hasMessageContaining("unknown term 'loss'");
        assertThatThrownBy(() -> RolloutGate.parse("records>=1,")).hasMessageContaining("'' is not");
        assertThatThrownBy(() -> RolloutGate.parse("records>=1.2.3")).hasMessageContaining("'1.2.3' is not a number");
        assertThatThrownBy(() -> RolloutGate.parse("records>=1e999")).hasMessageContaining("not a finite number");
        for (String bad : new String[] {"agreement>>0.9", "loss<0.1", "records>=1,", "x", "records=5"}) {
            assertThatThrownBy(() -> RolloutGate.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").startsWith("gate '" + bad + "'"));
        }
    }
}
