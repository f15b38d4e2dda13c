package dev.beex.model.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Binarized attention ({@link BinaryAttentionScores}, {@link AttentionKernel#attendBinary}) against
 * the definition computed the slow way: ±1 vectors, float dots, {@code Math.exp}. Head widths 17
 * (one padded word), 32 (one full word) and 80 (two words).
 */
class BinaryAttentionScoresTest {

    @Test
    void popcountDotsAreTheSignDots() {
        Random r = new Random(1);
        for (int dh : new int[] {17, 32, 80}) {
            int heads = 3, d = dh * heads, n = 9;
            float[] q = random(r, n * d), k = random(r, n * d);
            q[0] = 0f;     // zero binarizes to +1 (BitPacking)
            k[1] = -0f;
            long[] qb = new long[heads * n * 2], kb = new long[heads * n * 2];
            BinaryAttentionScores.packHeads(q, n, d, heads, qb);
            BinaryAttentionScores.packHeads(k, n, d, heads, kb);
            int[] dots = new int[n];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    BinaryAttentionScores.dots(qb, kb, h, i, n, dh, dots);
                    for (int j = 0; j < n; j++) {
                        int want = 0;
                        for (int c = 0; c < dh; c++) {
                            want += (int) (Kernels.sign(q[i * d + h * dh + c]) * Kernels.sign(k[j * d + h * dh + c]));
                        }
                        assertThat(dots[j]).as("dh %d head %d pair %d,%d", dh, h, i, j).isEqualTo(want);
                    }
                }
            }
        }
    }

    @Test
    void attendBinaryIsSoftmaxOfScaledSignDotsTimesV() {
        Random r = new Random(2);
        for (int dh : new int[] {17, 32, 80}) {
            int heads = 2, d = dh * heads, n = 13;
            float[] q = random(r, n * d), k = random(r, n * d), v = random(r, n * d);
            float[] a = new float[n * d];
            AttentionKernel.attendBinary(q, k, v, n, d, heads, new AttentionKernel.Buffers(d, heads, n), a);
            double scale = 1.0 / Math.sqrt(dh);
            double worst = 0;
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < n; i++) {
                    double[] s = new double[n];
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (int j = 0; j < n; j++) {
                        for (int c = 0; c < dh; c++) {
                            s[j] += Kernels.sign(q[i * d + h * dh + c]) * Kernels.sign(k[j * d + h * dh + c]);
                        }
                        s[j] *= scale;
                        max = Math.max(max, s[j]);
                    }
                    for (int j = 0; j < n; j++) {
                        s[j] = Math.exp(s[j] - max);
                        sum += s[j];
                    }
                    for (int c = 0; c < dh; c++) {
                        double want = 0;
                        for (int j = 0; j < n; j++) {
                            want += s[j] / sum * v[j * d + h * dh + c];
                        }
                        worst = Math.max(worst, Math.abs(want - a[i * d + h * dh + c]));
                    }
                }
            }
            assertThat(worst).as("dh %d", dh).isLessThan(1e-5);
        }
    }

    @Test
    void expTableHoldsEveryGapOfTheScores() {
        float[] table = BinaryAttentionScores.expTable(32);
        assertThat(table).hasSize(33);
        assertThat(table[0]).isEqualTo(1f);
        for (int t = 1; t <= 32; t++) {
            assertThat((double) table[t]).isCloseTo(Math.exp(-2.0 * t / Math.sqrt(32)), org.assertj.core.data.Offset.offset(1e-7));
        }
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }
}
