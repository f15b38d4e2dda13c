package dev.beex.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KernelsTest {

    @Test
    void rowAndFlatMatmulAgreeBitForBitAndWithTheDefinition() {
        Rng rng = new Rng(1);
        int rows = 5, inner = 11, n = 9;
        float[] a = GradCheck.random(rng, 3 + rows * inner, 1f, 0f);
        float[] b = GradCheck.random(rng, inner * n, 1f, 0f);
        float[][] bRows = new float[inner + 2][n];
        Kernels.toRows(b, 0, n, inner, n, bRows, 2);
        float[] c0 = GradCheck.random(rng, rows * n, 1f, 0f);
        float[] flat = c0.clone(), viaRows = c0.clone();
        Kernels.matmul(a, 3, inner, 1, b, 0, n, flat, 0, n, rows, inner, n, true);
        Kernels.matmul(a, 3, inner, 1, bRows, 2, viaRows, 0, n, rows, inner, n, true, new float[n]);
        assertThat(viaRows).containsExactly(flat);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
                double s = c0[i * n + j];
                for (int k = 0; k < inner; k++) {
                    s += (double) a[3 + i * inner + k] * b[k * n + j];
                }
                assertThat((double) flat[i * n + j]).isCloseTo(s, within(1e-5));
            }
        }
        // transposed A (aRow = 1, aCol = rows)
        float[] at = new float[inner * rows];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                at[k * rows + i] = a[3 + i * inner + k];
            }
        }
        float[] fromT = c0.clone();
        Kernels.matmul(at, 0, 1, rows, bRows, 2, fromT, 0, n, rows, inner, n, true, new float[n]);
        assertThat(fromT).containsExactly(flat);
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
        Kernels.matmul(a, 0, inner, 1, b, 0, c, 0, 1, 1, inner, 1, false, new float[1]);
        assertThat(c[0]).isEqualTo((float) expected);
    }

    @Test
    void attentionBufferFormsAgreeBitForBit() {
        Rng rng = new Rng(3);
        int n = 7, d = 12, heads = 3;
        float[] q = GradCheck.random(rng, n * d, 2f, 0f);
        float[] k = GradCheck.random(rng, n * d, 2f, 0f);
        float[] v = GradCheck.random(rng, n * d, 2f, 0f);
        float[] a1 = new float[n * d], a2 = new float[n * d];
        Attention.attend(q, k, v, n, d, heads, new Attention.Buffers(d, heads, 10), a1);
        Attention.attend(q, k, v, n, d, heads, new float[d * n], new float[heads * n * n], a2);
        assertThat(a1).containsExactly(a2);
    }
}
