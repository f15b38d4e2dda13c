package dev.beex.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.kernels.MatMul;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine binarizes an activation once and lets every layer reading it reuse the bits; that is
 * only right when those layers binarize around the same shift. The packing records its shift and
 * a binary layer refuses one packed around another.
 */
class PackedShiftTest {
    private static final int IN = 70, OUT = 5, TOKENS = 3;

    private static float[] random(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    private static BinaryLinear layer(float shift, BitKernel kernel) {
        Random rnd = new Random(11);
        return new BinaryLinear(BinaryMatrix.binarize(random(rnd, OUT * IN), OUT, IN), random(rnd, OUT), shift, kernel);
    }

    @ParameterizedTest
    @EnumSource(BitKernel.class)
    void aLayerRefusesAnInputPackedAroundAnotherShift(BitKernel kernel) {
        float[] x = random(new Random(3), TOKENS * IN);
        PackedActivations packed = new PackedActivations(TOKENS, IN);
        packed.pack(x, TOKENS, IN, 0f);   // as for Q, K, V
        BinaryLinear gateLike = layer(0.5f, kernel);   // as G2: binarizes around 0.5

        assertThatThrownBy(() -> gateLike.forward(x, packed, new MatMul(OUT), TOKENS, new float[TOKENS * OUT]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shift 0.0")
                .hasMessageContaining("around 0.5");
    }

    @ParameterizedTest
    @EnumSource(BitKernel.class)
    void aLayerReusesAnInputPackedAroundItsShift(BitKernel kernel) {
        float[] x = random(new Random(4), TOKENS * IN);
        PackedActivations packed = new PackedActivations(TOKENS, IN);
        packed.pack(x, TOKENS, IN, 0.5f);
        float[] first = new float[TOKENS * OUT], again = new float[TOKENS * OUT];
        layer(0.5f, kernel).forward(x, packed, new MatMul(OUT), TOKENS, first);
        layer(0.5f, kernel).forward(x, packed, new MatMul(OUT), TOKENS, again);   // the same packing, reused

        assertThat(packed.shift).isEqualTo(0.5f);
        assertThat(again).isEqualTo(first);
    }
}
