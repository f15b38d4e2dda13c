package dev.beex.model.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transposed attention kernel is bit-identical to the row form it replaced: scores by
 * {@link Kernels#matmul} against kᵀ, scaled, {@link Kernels#softmax} per row, then p·v by
 * {@link Kernels#matmul}. Same products, same order of every sum, so outputs and the kept
 * probabilities must match exactly, not approximately.
 */
class AttentionKernelTest {

    @ParameterizedTest
    @CsvSource({"1,12,3", "3,12,3", "7,12,3", "33,128,4", "120,128,4", "128,64,4", "17,24,4", "9,20,2"})
    void transposedFormIsBitIdenticalToTheRowForm(int n, int d, int heads) {
        Random rnd = new Random(n * 131L + d);
        float[] q = random(rnd, n * d), k = random(rnd, n * d), v = random(rnd, n * d);
        AttentionKernel.Buffers buf = new AttentionKernel.Buffers(d, heads, 130);
        float[] a = new float[n * d];
        AttentionKernel.attend(q, k, v, n, d, heads, buf, a);

        int dh = d / heads;
        float scale = Kernels.attentionScale(dh);
        float[][] kT = new float[d][n];
        AttentionKernel.transpose(k, n, d, kT);
        float[][] vH = new float[heads * n][dh];
        AttentionKernel.splitHeads(v, n, d, heads, vH);
        float[] probs = new float[heads * n * n];
        float[] want = new float[n * d];
        float[] acc = new float[Math.max(d, n)];
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n, col = h * dh;
            Kernels.matmul(q, col, d, 1, kT, col, probs, ph, n, n, dh, n, false, acc);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    probs[ph + i * n + j] *= scale;
                }
                Kernels.softmax(probs, ph + i * n, n);
            }
            Kernels.matmul(probs, ph, n, 1, vH, h * n, want, col, d, n, n, dh, false, acc);
        }
        assertThat(a).containsExactly(want);
        float[] kept = java.util.Arrays.copyOf(buf.probabilities(), heads * n * n);
        assertThat(kept).containsExactly(probs);

        // inference buffers: same output, no probabilities kept
        float[] a2 = new float[n * d];
        AttentionKernel.attend(q, k, v, n, d, heads, new AttentionKernel.Buffers(d, heads, n, false), a2);
        assertThat(a2).containsExactly(want);
    }

    private static float[] random(Random rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = (float) (rnd.nextGaussian() * 2);
        }
        return x;
    }
}
