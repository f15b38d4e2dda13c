package dev.beex.model.engine;

import dev.beex.model.nn.Kernels;

/**
 * Bit-packed linear layer {@code y_o = (α_o·β)·s_o + b'_o} with the exact integer dot
 * {@code s_o = K − 2·popcount(x XOR w_o)} and the activation shift folded into the bias:
 * {@code b'_o = b_o + c·α_o·Σ_k sign(W[o][k])} (model/README.md).
 *
 * <p>The kernel walks four output rows per load of an activation word, so each token's bits
 * are read once per four rows; the rows of {@link BinaryMatrix#bits} are contiguous, and
 * the common widths (2 and 4 words: K = 128 and 256) have straight-line inner bodies.
 */
public final class BinaryLinear implements LinearKernel {
    private final int in;
    private final int out;
    private final int words;
    private final long[] w;
    private final float[] alpha;
    private final float[] foldedBias;
    private final float shift;

    public BinaryLinear(BinaryMatrix weights, float[] bias, float shift) {
        if (bias.length != weights.rows) {
            throw new IllegalArgumentException("bias length " + bias.length + " != rows " + weights.rows);
        }
        this.in = weights.cols;
        this.out = weights.rows;
        this.words = weights.words;
        this.w = weights.bits;
        this.alpha = effectiveAlpha(weights.alpha, in);
        this.shift = shift;
        this.foldedBias = new float[out];
        for (int o = 0; o < out; o++) {
            foldedBias[o] = Kernels.foldedBias(bias[o], shift, alpha[o], weights.signSum(o));
        }
    }

    /**
     * The scale the training path computes for a row decoded to {@code ±α}:
     * {@code mean_k |±α| = (Σ_k α)/K} summed in float in index order ({@link Kernels#meanAbs}).
     * It can differ from α in the last bit; using it makes the engine round exactly like
     * {@code ReferenceForward} on the artifact's {@code params()}.
     */
    static float[] effectiveAlpha(float[] alpha, int length) {
        float[] eff = new float[alpha.length];
        for (int r = 0; r < alpha.length; r++) {
            float sum = 0f;
            float a = Math.abs(alpha[r]);
            for (int k = 0; k < length; k++) {
                sum += a;
            }
            eff[r] = sum / length;
        }
        return eff;
    }

    @Override
    public int in() {
        return in;
    }

    @Override
    public int out() {
        return out;
    }

    @Override
    public boolean binary() {
        return true;
    }

    @Override
    public float shift() {
        return shift;
    }

    @Override
    public void forward(float[] x, PackedActivations packed, int n, float[] y) {
        if (packed.length != in) {
            throw new IllegalStateException("input packed with length " + packed.length + ", layer expects " + in);
        }
        long[] xb = packed.bits;
        float[] beta = packed.beta;
        for (int t = 0; t < n; t++) {
            int xo = t * words;
            int yo = t * out;
            float b = beta[t];
            if (words == 2) {
                rows2(xb[xo], xb[xo + 1], b, y, yo);
            } else if (words == 4) {
                rows4(xb[xo], xb[xo + 1], xb[xo + 2], xb[xo + 3], b, y, yo);
            } else {
                rowsAny(xb, xo, b, y, yo);
            }
        }
    }

    private void rows2(long x0, long x1, float beta, float[] y, int yo) {
        final long[] w = this.w;
        int o = 0;
        for (; o + 4 <= out; o += 4) {
            int p = o * 2;
            int d0 = Long.bitCount(x0 ^ w[p]) + Long.bitCount(x1 ^ w[p + 1]);
            int d1 = Long.bitCount(x0 ^ w[p + 2]) + Long.bitCount(x1 ^ w[p + 3]);
            int d2 = Long.bitCount(x0 ^ w[p + 4]) + Long.bitCount(x1 ^ w[p + 5]);
            int d3 = Long.bitCount(x0 ^ w[p + 6]) + Long.bitCount(x1 ^ w[p + 7]);
            store4(o, d0, d1, d2, d3, beta, y, yo);
        }
        for (; o < out; o++) {
            int p = o * 2;
            int d = Long.bitCount(x0 ^ w[p]) + Long.bitCount(x1 ^ w[p + 1]);
            y[yo + o] = (alpha[o] * beta) * (in - 2 * d) + foldedBias[o];
        }
    }

    private void rows4(long x0, long x1, long x2, long x3, float beta, float[] y, int yo) {
        final long[] w = this.w;
        int o = 0;
        for (; o + 4 <= out; o += 4) {
            int p = o * 4;
            int d0 = Long.bitCount(x0 ^ w[p]) + Long.bitCount(x1 ^ w[p + 1])
                    + Long.bitCount(x2 ^ w[p + 2]) + Long.bitCount(x3 ^ w[p + 3]);
            int d1 = Long.bitCount(x0 ^ w[p + 4]) + Long.bitCount(x1 ^ w[p + 5])
                    + Long.bitCount(x2 ^ w[p + 6]) + Long.bitCount(x3 ^ w[p + 7]);
            int d2 = Long.bitCount(x0 ^ w[p + 8]) + Long.bitCount(x1 ^ w[p + 9])
                    + Long.bitCount(x2 ^ w[p + 10]) + Long.bitCount(x3 ^ w[p + 11]);
            int d3 = Long.bitCount(x0 ^ w[p + 12]) + Long.bitCount(x1 ^ w[p + 13])
                    + Long.bitCount(x2 ^ w[p + 14]) + Long.bitCount(x3 ^ w[p + 15]);
            store4(o, d0, d1, d2, d3, beta, y, yo);
        }
        for (; o < out; o++) {
            int p = o * 4;
            int d = Long.bitCount(x0 ^ w[p]) + Long.bitCount(x1 ^ w[p + 1])
                    + Long.bitCount(x2 ^ w[p + 2]) + Long.bitCount(x3 ^ w[p + 3]);
            y[yo + o] = (alpha[o] * beta) * (in - 2 * d) + foldedBias[o];
        }
    }

    private void rowsAny(long[] xb, int xo, float beta, float[] y, int yo) {
        final long[] w = this.w;
        final int words = this.words;
        int o = 0;
        for (; o + 4 <= out; o += 4) {
            int p0 = o * words, p1 = p0 + words, p2 = p1 + words, p3 = p2 + words;
            int d0 = 0, d1 = 0, d2 = 0, d3 = 0;
            for (int k = 0; k < words; k++) {
                long xv = xb[xo + k];
                d0 += Long.bitCount(xv ^ w[p0 + k]);
                d1 += Long.bitCount(xv ^ w[p1 + k]);
                d2 += Long.bitCount(xv ^ w[p2 + k]);
                d3 += Long.bitCount(xv ^ w[p3 + k]);
            }
            store4(o, d0, d1, d2, d3, beta, y, yo);
        }
        for (; o < out; o++) {
            int p = o * words;
            int d = 0;
            for (int k = 0; k < words; k++) {
                d += Long.bitCount(xb[xo + k] ^ w[p + k]);
            }
            y[yo + o] = (alpha[o] * beta) * (in - 2 * d) + foldedBias[o];
        }
    }

    /** Order of float operations fixed by model/README.md ({@link Kernels#binaryOutput}): (α·β)·s, then + folded bias. */
    private void store4(int o, int d0, int d1, int d2, int d3, float beta, float[] y, int yo) {
        y[yo + o] = (alpha[o] * beta) * (in - 2 * d0) + foldedBias[o];
        y[yo + o + 1] = (alpha[o + 1] * beta) * (in - 2 * d1) + foldedBias[o + 1];
        y[yo + o + 2] = (alpha[o + 2] * beta) * (in - 2 * d2) + foldedBias[o + 2];
        y[yo + o + 3] = (alpha[o + 3] * beta) * (in - 2 * d3) + foldedBias[o + 3];
    }
}
