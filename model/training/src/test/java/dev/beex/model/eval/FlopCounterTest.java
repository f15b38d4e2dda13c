package dev.beex.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.ModelConfig;
import dev.beex.model.Precision;
import org.junit.jupiter.api.Test;

/** The counts written out by hand from FlopCounter's documented conventions. */
class FlopCounterTest {
    private static final ModelConfig TINY = new ModelConfig(64, 2, 2, 128, 8, 100, 2, Precision.BINARY);

    @Test
    void binaryLinearIsDotsOver64PlusFloatScaling() {
        FlopCounter f = new FlopCounter(TINY);
        // 64x64: 64·64/64 dots + 3·64 scale/bias + (64+1) β = 64 + 192 + 65
        assertThat(f.linear(64, 64, false)).isEqualTo(321);
        // G2 128->64 binarized around 0.5: 128 + 192 + 129 + 128 (the shift)
        assertThat(f.linear(128, 64, true)).isEqualTo(577);
        assertThat(f.floatBaseline().linear(64, 64, false)).isEqualTo(2 * 64 * 64 + 64);
    }

    @Test
    void lexicalPathAndExitZeroAreCountedFromTheFeatureCount() {
        FlopCounter paper = new FlopCounter(TINY);
        FlopCounter f = new FlopCounter(new ModelConfig(64, 2, 2, 128, 8, 100, 2, Precision.BINARY, 1024, 32));
        // 10 features: sum 10·32, α lookups 10, 1/m scaling 32 + 1; exit 0: 2·32·2 + 2, softmax 8, entropy 7
        assertThat(f.lexical(10)).isEqualTo(320 + 10 + 33 + 130 + 8 + 7);
        assertThat(paper.lexical(10)).isZero();
        assertThat(f.atExit(4, 10, 0)).isEqualTo(f.lexical(10));   // exit 0 runs no block
        // block exits read [pool ; lex]: 2·(64 + 32)·2 instead of 2·64·2
        assertThat(f.exitHead(4)).isEqualTo(paper.exitHead(4) + 2 * 32 * 2);
        assertThat(f.atExit(4, 10, 2)).isEqualTo(f.lexical(10) + f.embedding(4) + 2 * (f.block(4) + f.exitHead(4)));
        assertThat(paper.atExit(4, 10, 1)).isEqualTo(paper.record(4, 2));
        assertThatThrownBy(() -> f.atExit(4, 10, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blockExitAndRecordOnATinyConfig() {
        FlopCounter f = new FlopCounter(TINY);
        // per token: Q,K,V,O 4·321 + residual/LN1 9·64 + G1 577 + sigmoid 4·128 + G2 577
        //            + F1 577 + tanh 4·128 + F2 449 + gate/residual/LN2 10·64 = 5704
        // attention n=4: 2·16·64 + 2·16 + 4·2·16 + 2·16·64 = 4256
        assertThat(f.attention(4)).isEqualTo(4256);
        assertThat(f.block(4)).isEqualTo(4 * 5704 + 4256);
        // exit: pool 4·64 + 64, linear 2·64·2 + 2, softmax 4·2, entropy 3·2 + 1
        assertThat(f.exitHead(4)).isEqualTo(593);
        assertThat(f.embedding(4)).isEqualTo(2 * 4 * 64);
        assertThat(f.record(4, 1)).isEqualTo(512 + 27072 + 593);
        assertThat(f.fullDepth(4)).isEqualTo(512 + 2 * (27072 + 593));
        assertThatThrownBy(() -> f.record(4, 3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFloatBaselineCostsFarMoreAndEarlyExitsSaveWork() {
        ModelConfig def = new ModelConfig(128, 4, 6, 256, 128, 8192, 2, Precision.BINARY);
        FlopCounter bin = new FlopCounter(def);
        FlopCounter flt = bin.floatBaseline();
        assertThat(flt.config().precision()).isEqualTo(Precision.FLOAT);
        assertThat(flt.fullDepth(64)).isGreaterThan(3 * bin.fullDepth(64));
        assertThat(bin.record(64, 2)).isLessThan(bin.fullDepth(64) / 2);
    }
}
