package dev.beex.model.engine;

import dev.beex.model.BitPacking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BitPackingTest {

    private static int naiveDot(float[] a, float[] b) {
        int s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] >= 0 ? 1 : -1) * (b[k] >= 0 ? 1 : -1);
        }
        return s;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 63, 64, 65, 96, 127, 128, 129, 256})
    void dotEqualsNaiveSignSumIncludingPadding(int length) {
        Random rnd = new Random(length);
        int words = BitPacking.words(length);
        assertThat(words).isEqualTo((length + 63) / 64);
        for (int trial = 0; trial < 50; trial++) {
            float[] a = new float[length];
            float[] b = new float[length];
            for (int k = 0; k < length; k++) {
                a[k] = (float) rnd.nextGaussian();
                b[k] = (float) rnd.nextGaussian();
            }
            if (trial == 0) {                       // all +1 vs all -1: the extremes
                java.util.Arrays.fill(a, 1f);
                java.util.Arrays.fill(b, -1f);
            }
            long[] pa = new long[words + 1];
            long[] pb = new long[words + 2];
            BitPacking.pack(a, 0, length, 0f, pa, 1);          // offsets: rows inside larger arrays
            BitPacking.pack(b, 0, length, 0f, pb, 2);
            assertThat(BitPacking.dot(pa, 1, pb, 2, length)).isEqualTo(naiveDot(a, b));
            if (trial == 0) {
                assertThat(BitPacking.dot(pa, 1, pb, 2, length)).isEqualTo(-length);
            }
            int rest = length & 63;
            if (rest != 0) {                          // padding bits are 0 in both operands
                assertThat(pa[words] >>> rest).isZero();
                assertThat(pb[words + 1] >>> rest).isZero();
            }
        }
    }

    @Test
    void bitOneMeansMinusOneZeroIsPositiveAndOrderIsLsbFirst() {
        float[] v = new float[70];
        java.util.Arrays.fill(v, 0.5f);
        v[0] = -1f;     // word 0, bit 0
        v[5] = 0f;      // zero binarizes to +1
        v[6] = -0f;     // so does negative zero
        v[63] = -2f;    // word 0, bit 63
        v[64] = -3f;    // word 1, bit 0
        long[] bits = new long[2];
        BitPacking.pack(v, 0, v.length, 0f, bits, 0);
        assertThat(bits[0]).isEqualTo(1L | (1L << 63));
        assertThat(bits[1]).isEqualTo(1L);
        assertThat(BitPacking.signAt(bits, 0, 0)).isEqualTo(-1);
        assertThat(BitPacking.signAt(bits, 0, 5)).isEqualTo(1);
        assertThat(BitPacking.signAt(bits, 0, 6)).isEqualTo(1);
        assertThat(BitPacking.signAt(bits, 0, 64)).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 68, 100, 128, 256})
    void activationPackingAgreesWithWeightPackingAndComputesBeta(int length) {
        Random rnd = new Random(length + 7);
        int n = 3;
        float shift = length == 65 ? 0.5f : 0f;
        float[] x = new float[n * length];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 7) {
                case 0 -> shift;          // x − c == +0: positive
                case 1 -> -0f;            // −0 (minus c = 0 stays −0): positive
                default -> (float) rnd.nextGaussian() + shift;
            };
        }
        PackedActivations p = new PackedActivations(n, length);
        p.pack(x, n, length, shift);
        int words = BitPacking.words(length);
        assertThat(p.words).isEqualTo(words);
        for (int t = 0; t < n; t++) {
            long[] want = new long[words];
            BitPacking.pack(x, t * length, length, shift, want, 0);
            assertThat(java.util.Arrays.copyOfRange(p.bits, t * words, (t + 1) * words)).isEqualTo(want);
            assertThat(p.beta[t]).isEqualTo(dev.beex.model.kernels.Kernels.actScale(x, t * length, length, shift));
        }
    }

    @Test
    void packsAroundAShift() {
        float[] v = {0.2f, 0.5f, 0.7f, 0.49f};
        long[] bits = new long[1];
        BitPacking.pack(v, 0, v.length, 0.5f, bits, 0);
        assertThat(bits[0]).isEqualTo(0b1001L);   // 0.2 and 0.49 are below the shift
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 31, 32, 33, 63, 64, 65, 68, 100, 128, 160, 256, 300})
    void binaryLinearMatchesNaiveFormula(int in) {
        for (BitKernel kernel : BitKernel.values()) {
            binaryLinearMatchesNaiveFormula(in, kernel);
        }
    }

    /** Both kernels, and they agree bit for bit. */
    private void binaryLinearMatchesNaiveFormula(int in, BitKernel kernel) {
        Random rnd = new Random(in * 31L);
        int out = 7, n = 9;
        float shift = in == 65 ? 0.5f : 0f;
        float[] w = new float[out * in];
        float[] bias = new float[out];
        float[] x = new float[n * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < out; i++) {
            bias[i] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian() + shift;
        }
        BinaryMatrix m = BinaryMatrix.binarize(w, out, in);
        BinaryLinear layer = new BinaryLinear(m, bias, shift, kernel);
        assertThat(layer.kernel()).isEqualTo(kernel);
        PackedActivations p = new PackedActivations(n, in, out);
        p.pack(x, n, in, shift);
        float[] y = new float[n * out];
        layer.forward(x, p, null, n, y);
        float[] yRows = new float[n * out];
        new BinaryLinear(m, bias, shift, BitKernel.ROWS).forward(x, p, null, n, yRows);
        assertThat(y).containsExactly(yRows);
        for (int t = 0; t < n; t++) {
            double beta = 0;
            for (int k = 0; k < in; k++) {
                beta += Math.abs(x[t * in + k] - shift);
            }
            beta /= in;
            for (int o = 0; o < out; o++) {
                double alpha = 0;
                for (int k = 0; k < in; k++) {
                    alpha += Math.abs(w[o * in + k]);
                }
                alpha /= in;
                // (α sign W)·(c + β sign(x − c)) + b, in double
                double want = bias[o];
                for (int k = 0; k < in; k++) {
                    double sw = w[o * in + k] >= 0 ? 1 : -1;
                    double sx = x[t * in + k] - shift >= 0 ? 1 : -1;
                    want += alpha * sw * (shift + beta * sx);
                }
                assertThat((double) y[t * out + o]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-4 * (1 + Math.abs(want))));
            }
        }
    }

    @Test
    void scaledSignAndWord32ReadThePackedConventions() {
        float[] v = new float[100];
        Random rnd = new Random(5);
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) rnd.nextGaussian();
        }
        long[] bits = new long[1 + BitPacking.words(v.length)];   // one leading word: rows may start at an offset
        BitPacking.pack(v, 0, v.length, 0f, bits, 1);
        for (int k = 0; k < v.length; k++) {
            assertThat(BitPacking.scaledSign(bits, 1, k, 0.25f)).as("k=%d", k).isEqualTo(v[k] >= 0 ? 0.25f : -0.25f);
        }
        for (int q = 0; q < (v.length + 31) / 32; q++) {
            int word = BitPacking.word32(bits, 1, q);
            for (int b = 0; b < 32 && 32 * q + b < v.length; b++) {
                assertThat((word >>> b) & 1).as("q=%d b=%d", q, b).isEqualTo(v[32 * q + b] >= 0 ? 0 : 1);
            }
        }
    }

    /** The byte-table row decoder adds exactly what the element-by-element decoder adds, tails included. */
    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 63, 64, 65, 130})
    void addScaledSignsEqualsElementByElementDecoding(int length) {
        Random rnd = new Random(length);
        float[] v = new float[length];
        long[] bits = new long[2 + BitPacking.words(length)];
        float[] acc = new float[length + 3], expected = new float[length + 3];
        for (int row = 0; row < 20; row++) {
            for (int k = 0; k < length; k++) {
                v[k] = (float) rnd.nextGaussian();
            }
            BitPacking.pack(v, 0, length, 0f, bits, 2);
            float scale = (float) rnd.nextDouble();
            BitPacking.addScaledSigns(bits, 2, length, scale, acc, 3);
            for (int k = 0; k < length; k++) {
                expected[3 + k] += BitPacking.scaledSign(bits, 2, k, scale);
            }
        }
        assertThat(acc).containsExactly(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 63, 64, 65, 130})
    void signSumAndPaddingFollowTheConventions(int length) {
        Random rnd = new Random(length);
        float[] v = new float[length];
        int sum = 0;
        for (int k = 0; k < length; k++) {
            v[k] = (float) rnd.nextGaussian();
            sum += v[k] >= 0 ? 1 : -1;
        }
        long[] bits = new long[BitPacking.words(length)];
        BitPacking.pack(v, 0, length, 0f, bits, 0);
        assertThat(BitPacking.signSum(bits, 0, length)).isEqualTo(sum);
        assertThat(BitPacking.paddingIsZero(bits, 0, length)).isTrue();
        if ((length & 63) != 0) {
            bits[bits.length - 1] |= 1L << 63;   // a set padding bit
            assertThat(BitPacking.paddingIsZero(bits, 0, length)).isFalse();
        }
    }
}
