package dev.beex.model.nn;

import dev.beex.model.kernels.AttentionKernel;
import dev.beex.model.kernels.MatMul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KernelsTest {

    @Test
    void multiplyAddMatchesTheDefinitionAndTransposedAIsFree() {
        Rng rng = new Rng(1);
        int rows = 5, inner = 11, n = 9;
        float[] a = GradCheck.random(rng, 3 + rows * inner, 1f, 0f);
        float[] b = GradCheck.random(rng, inner * n, 1f, 0f);
        float[][] bRows = new float[inner + 2][n];
        MatMul.toRows(b, 0, n, inner, n, bRows, 2);
        float[] c0 = GradCheck.random(rng, rows * n, 1f, 0f);
        float[] viaRows = c0.clone();
        new MatMul(n).multiplyAdd(a, 3, inner, bRows, 2, viaRows, 0, n, rows, inner, n);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                double s = c0[i * n + j];
                for (int k = 0; k < inner; k++) {
                    s += (double) a[3 + i * inner + k] * b[k * n + j];
                }
                assertThat((double) viaRows[i * n + j]).isCloseTo(s, within(1e-5));
            }
        }
        // A stored transposed (inner × rows): the same floats
        float[] at = new float[inner * rows];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                at[k * rows + i] = a[3 + i * inner + k];
            }
        }
        float[] fromT = c0.clone();
        new MatMul(n).multiplyTransposedAdd(at, 0, rows, bRows, 2, fromT, 0, n, rows, inner, n);
        assertThat(fromT).containsExactly(viaRows);
    }

    @Test
    void signProductsSumExactly() {
        Rng rng = new Rng(2);
        int inner = 256;
        float[] a = new float[inner];
        float[][] b = new float[inner][1];
        int expected = 0;
        for (int k = 0; k < inner; k++) {
            a[k] = rng.nextFloat() < 0.5f ? -1f : 1f;
            b[k][0] = rng.nextFloat() < 0.5f ? -1f : 1f;
            expected += (int) (a[k] * b[k][0]);
        }
        float[] c = new float[1];
        new MatMul(1).multiply(a, 0, inner, b, 0, c, 0, 1, 1, inner, 1);
        assertThat(c[0]).isEqualTo((float) expected);
    }

    @Test
    void attentionMatchesTheDefinition() {
        Rng rng = new Rng(3);
        int n = 7, d = 12, heads = 3, dh = d / heads;
        float[] q = GradCheck.random(rng, n * d, 2f, 0f);
        float[] k = GradCheck.random(rng, n * d, 2f, 0f);
        float[] v = GradCheck.random(rng, n * d, 2f, 0f);
        float[] a = new float[n * d];
        AttentionKernel.attend(q, k, v, n, d, heads, new AttentionKernel.Buffers(d, heads, 10), a);
        double scale = 1.0 / Math.sqrt(dh);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                double[] p = new double[n];
                double max = Double.NEGATIVE_INFINITY, z = 0;
                for (int j = 0; j < n; j++) {
                    for (int c = h * dh; c < (h + 1) * dh; c++) {
                        p[j] += (double) q[i * d + c] * k[j * d + c];
                    }
                    p[j] *= scale;
                    max = Math.max(max, p[j]);
                }
                for (int j = 0; j < n; j++) {
                    p[j] = Math.exp(p[j] - max);
                    z += p[j];
                }
                for (int c = h * dh; c < (h + 1) * dh; c++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += p[j] / z * v[j * d + c];
                    }
                    assertThat((double) a[i * d + c]).isCloseTo(s, within(1e-4));
                }
            }
        }
    }
}
