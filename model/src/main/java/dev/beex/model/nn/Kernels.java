package dev.beex.model.nn;

import dev.beex.model.LayerNormParams;

/**
 * Float kernels shared by the training path and the bit-packed engine, so that both round
 * alike (model/README.md). Every method works on slices of flat row-major {@code float[]}
 * arrays and allocates nothing.
 */
public final class Kernels {
    private Kernels() {
    }

    /** {@code sign(v)} with sign(0) = +1, as everywhere in beex. */
    public static float sign(float v) {
        return v >= 0f ? 1f : -1f;
    }

    /** Bi-Real Net's ApproxSign F: the differentiable stand-in for sign in BAT's backward. */
    public static float approxSign(float u) {
        if (u < -1f) {
            return -1f;
        }
        if (u < 0f) {
            return 2f * u + u * u;
        }
        if (u < 1f) {
            return 2f * u - u * u;
        }
        return 1f;
    }

    /** F'(u) = 2 + 2u on [-1, 0), 2 − 2u on [0, 1), 0 elsewhere. */
    public static float approxSignGrad(float u) {
        if (u < -1f || u >= 1f) {
            return 0f;
        }
        return u < 0f ? 2f + 2f * u : 2f - 2f * u;
    }

    /** Mean absolute value of {@code x[off..off+n)}: the scale α of a weight row or embedding row. */
    public static float meanAbs(float[] x, int off, int n) {
        float s = 0f;
        for (int k = 0; k < n; k++) {
            s += Math.abs(x[off + k]);
        }
        return s / n;
    }

    /** Activation scale β = mean_k |x_k − c| of one token row. */
    public static float actScale(float[] x, int off, int n, float c) {
        float s = 0f;
        for (int k = 0; k < n; k++) {
            s += Math.abs(x[off + k] - c);
        }
        return s / n;
    }

    /**
     * Output of a binarized linear unit from its exact integer dot {@code s}:
     * {@code (α·β)·s + foldedBias}, where {@code foldedBias = bias + c·(α·Σ_k sign(W_k))}
     * (see {@link #foldedBias}).
     */
    public static float binaryOutput(float alpha, float beta, float s, float foldedBias) {
        return (alpha * beta) * s + foldedBias;
    }

    /** The bias of a binarized unit with the activation-shift term folded in. */
    public static float foldedBias(float bias, float actShift, float alpha, float signRowSum) {
        return bias + actShift * (alpha * signRowSum);
    }

    public static float sigmoid(float v) {
        return 1f / (1f + (float) Math.exp(-v));
    }

    /**
     * LayerNorm of one row: {@code y = γ ⊙ (x − mean) / sqrt(var + eps) + β} (biased variance).
     * Returns the reciprocal standard deviation; writes the mean to {@code meanOut[meanIdx]}
     * when {@code meanOut} is not null (the backward pass needs both).
     */
    public static float layerNorm(float[] x, int xOff, float[] y, int yOff, int d, LayerNormParams p,
                                  float[] meanOut, int meanIdx) {
        float mean = 0f;
        for (int k = 0; k < d; k++) {
            mean += x[xOff + k];
        }
        mean /= d;
        float var = 0f;
        for (int k = 0; k < d; k++) {
            float c = x[xOff + k] - mean;
            var += c * c;
        }
        var /= d;
        float rstd = (float) (1.0 / Math.sqrt(var + LayerNormParams.EPS));
        float[] g = p.gamma, b = p.beta;
        for (int k = 0; k < d; k++) {
            y[yOff + k] = (x[xOff + k] - mean) * rstd * g[k] + b[k];
        }
        if (meanOut != null) {
            meanOut[meanIdx] = mean;
        }
        return rstd;
    }

    /** In-place softmax of {@code x[off..off+n)}; subtracts the row max first. */
    public static void softmax(float[] x, int off, int n) {
        float max = x[off];
        for (int k = 1; k < n; k++) {
            max = Math.max(max, x[off + k]);
        }
        float sum = 0f;
        for (int k = 0; k < n; k++) {
            float e = (float) Math.exp(x[off + k] - max);
            x[off + k] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int k = 0; k < n; k++) {
            x[off + k] *= inv;
        }
    }

    /** {@code 1/sqrt(dh)}: attention scores are {@code (q·k) * attentionScale(dh)}. */
    public static float attentionScale(int headDim) {
        return (float) (1.0 / Math.sqrt(headDim));
    }

    /**
     * {@code C[i][0..n) (+)= Σ_k A[i][k]·B[k][0..n)} for {@code i < rows}, {@code k < inner}:
     * the i-k-j order, whose inner loop over contiguous rows of B and C HotSpot vectorizes.
     * A is addressed as {@code a[aOff + i·aRow + k·aCol]} (so a transposed A costs nothing),
     * B as {@code b[bOff + k·bRow + j]}, C as {@code c[cOff + i·cRow + j]}.
     * Rounding order per element: {@code c += ((a0·b0 + a1·b1) + a2·b2) + a3·b3} over k in
     * groups of four, then single terms for the remainder. Sums of ±1 products are exact.
     */
    public static void matmul(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow,
                              float[] c, int cOff, int cRow, int rows, int inner, int n, boolean accumulate) {
        for (int i = 0; i < rows; i++) {
            int ci = cOff + i * cRow;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            int ai = aOff + i * aRow;
            int k = 0;
            // Four rows of B per pass: one load/store of C per four multiply-adds.
            for (; k + 3 < inner; k += 4) {
                float a0 = a[ai + k * aCol], a1 = a[ai + (k + 1) * aCol];
                float a2 = a[ai + (k + 2) * aCol], a3 = a[ai + (k + 3) * aCol];
                int b0 = bOff + k * bRow, b1 = b0 + bRow, b2 = b1 + bRow, b3 = b2 + bRow;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
                }
            }
            for (; k < inner; k++) {
                float a0 = a[ai + k * aCol];
                int b0 = bOff + k * bRow;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += a0 * b[b0 + j];
                }
            }
        }
    }
}
