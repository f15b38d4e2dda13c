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

    /** p99Micros is the shadow's 99th percentile of engine time, latencyRatio that over the active version's. */
    @Test
    void latencyTermsReadTheShadowsPercentileAndItsRatioToTheActiveOne() {
        ShadowTally t = new ShadowTally();
        for (int i = 0; i < 100; i++) {
            // active: 99 records at 100 µs, one at 5,000; shadow: twice as slow on every record
            long active = i == 99 ? 5_000 : 100;
            t.add("a", 1, false, active, "a", 1, false, 2 * active, null);
        }
        ShadowComparison c = t.toComparison("control-0-1", "m", 1, 2, null, null);
        // p99 = the 99th of 100 values = 100 µs active, 200 µs shadow, each read as its bucket's upper edge
        assertThat(c.getActiveP99Micros()).isEqualTo(LatencyHistogram.upperMicros(LatencyHistogram.bucket(100)));
        assertThat(c.getShadowP99Micros()).isEqualTo(LatencyHistogram.upperMicros(LatencyHistogram.bucket(200)));
        assertThat(RolloutGate.parse("p99Micros<=" + c.getShadowP99Micros()).test(c)).isTrue();
        assertThat(RolloutGate.parse("p99Micros<" + c.getShadowP99Micros()).test(c)).isFalse();
        double ratio = c.getShadowP99Micros() / (double) c.getActiveP99Micros();
        assertThat(ratio).isBetween(1.5, 2.9);   // twice as slow, within the buckets' √2 resolution
        assertThat(RolloutGate.parse("latencyRatio<=3").test(c)).isTrue();
        assertThat(RolloutGate.parse("latencyRatio<=1.2").test(c)).as("a shadow twice as slow fails a 1.2x gate").isFalse();
        assertThat(RolloutGate.parse("p99Micros<1e9").test(seen(0, 0, 0, 0, 0))).as("no latency seen").isFalse();
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
