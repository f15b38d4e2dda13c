package dev.beex.model.engine;

import dev.beex.model.BitPacking;
import dev.beex.model.kernels.Kernels;
import dev.beex.model.kernels.MatMul;

/**
 * Bit-packed linear layer {@code y_o = (α_o·β)·s_o + b'_o} with the exact integer dot
 * {@code s_o = K − 2·popcount(x XOR w_o)} and the activation shift folded into the bias:
 * {@code b'_o = b_o + c·α_o·Σ_k sign(W[o][k])} (model/README.md).
 *
 * <p>The rows of {@link BinaryMatrix#bits} are contiguous. The common widths have straight-line
 * bodies that keep several tokens' activation words in registers so each weight row is
 * loaded once per group: four tokens for K = 128 (2 words), two for K = 256 (4 words);
 * leftover tokens and other widths walk four output rows per activation load ({@link BitKernel#ROWS}).
 * Where the JIT has a vector popcount ({@link BitKernel#COLUMNS}) the weights are also kept
 * column-major in 32-bit words and each token runs loops over the output rows that C2 vectorizes:
 * counts, then one int-to-float pass (scalar on Java 17), then the vectorized {@code (α·β)·s + b'}.
 * Both kernels give identical outputs.
 */
public final class BinaryLinear implements LinearKernel {
    private final int in;
    private final int out;
    private final int words;
    private final long[] w;
    private final float[] alpha;
    private final float[] foldedBias;
    private final float shift;
    /** {@code [⌈in/32⌉][out]}: 32-bit word q of every row (COLUMNS kernel); null for ROWS. */
    private final int[][] columns;

    public BinaryLinear(BinaryMatrix weights, float[] bias, float shift) {
        this(weights, bias, shift, BitKernel.selected());
    }

    public BinaryLinear(BinaryMatrix weights, float[] bias, float shift, BitKernel kernel) {
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
        this.columns = kernel == BitKernel.COLUMNS ? columns(weights) : null;
    }

    /** Column-major 32-bit words: {@code columns[q][o]} = bits {@code 32q .. 32q+31} of row o. */
    private static int[][] columns(BinaryMatrix m) {
        int q32 = (m.cols + 31) >>> 5;
        int[][] c = new int[q32][m.rows];
        for (int q = 0; q < q32; q++) {
            for (int o = 0; o < m.rows; o++) {
                c[q][o] = BitPacking.word32(m.bits, o * m.words, q);
            }
        }
        return c;
    }

    /** The kernel this layer runs. */
    public BitKernel kernel() {
        return columns != null ? BitKernel.COLUMNS : BitKernel.ROWS;
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
    public void forward(float[] x, PackedActivations packed, MatMul matMul, int n, float[] y) {
        if (packed.length != in) {
            throw new IllegalStateException("input packed with length " + packed.length + ", layer expects " + in);
        }
        // A packing is reused by every layer reading the same activation: only valid at the same shift.
        if (packed.shift != shift) {
            throw new IllegalStateException("input packed around shift " + packed.shift
                    + ", layer binarizes its input around " + shift + ": pack it again for this layer");
        }
        long[] xb = packed.bits;
        float[] beta = packed.beta;
        if (columns != null) {
            for (int t = 0; t < n; t++) {
                columnsToken(xb, t * words, beta[t], packed.counts, packed.row, y, t * out);
            }
            return;
        }
        int t = 0;
        if (words == 2) {
            for (; t + 4 <= n; t += 4) {
                tokens4words2(xb, t, beta, y);
            }
        } else if (words == 4) {
            for (; t + 2 <= n; t += 2) {
                tokens2words4(xb, t, beta, y);
            }
        }
        for (; t < n; t++) {
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

    /**
     * One token, COLUMNS kernel. Every loop runs over the output rows o with each array indexed
     * by o alone (what C2 needs to vectorize): popcounts of up to four 32-bit words per pass,
     * {@code s = in − 2·count}, the int-to-float conversion in its own loop (C2 17 does not
     * vectorize it, so it does not hold the others back), then {@code (α·β)·s + b'} and a copy.
     */
    private void columnsToken(long[] xb, int xo, float beta, int[] count, float[] row, float[] y, int yo) {
        final int out = this.out;
        final int[][] c = this.columns;
        int q32 = c.length;
        int q = 0;
        for (; q + 4 <= q32; q += 4) {
            int x0 = BitPacking.word32(xb, xo, q), x1 = BitPacking.word32(xb, xo, q + 1);
            int x2 = BitPacking.word32(xb, xo, q + 2), x3 = BitPacking.word32(xb, xo, q + 3);
            int[] c0 = c[q], c1 = c[q + 1], c2 = c[q + 2], c3 = c[q + 3];
            if (q == 0) {
                for (int o = 0; o < out; o++) {
                    count[o] = Integer.bitCount(x0 ^ c0[o]) + Integer.bitCount(x1 ^ c1[o])
                            + Integer.bitCount(x2 ^ c2[o]) + Integer.bitCount(x3 ^ c3[o]);
                }
            } else {
                for (int o = 0; o < out; o++) {
                    count[o] += Integer.bitCount(x0 ^ c0[o]) + Integer.bitCount(x1 ^ c1[o])
                            + Integer.bitCount(x2 ^ c2[o]) + Integer.bitCount(x3 ^ c3[o]);
                }
            }
        }
        for (; q < q32; q++) {
            int xq = BitPacking.word32(xb, xo, q);
            int[] cq = c[q];
            if (q == 0) {
                for (int o = 0; o < out; o++) {
                    count[o] = Integer.bitCount(xq ^ cq[o]);
                }
            } else {
                for (int o = 0; o < out; o++) {
                    count[o] += Integer.bitCount(xq ^ cq[o]);
                }
            }
        }
        final int in = this.in;
        for (int o = 0; o < out; o++) {
            row[o] = in - 2 * count[o];
        }
        final float[] alpha = this.alpha, bias = this.foldedBias;
        for (int o = 0; o < out; o++) {
            row[o] = (alpha[o] * beta) * row[o] + bias[o];   // Kernels.binaryOutput's order
        }
        System.arraycopy(row, 0, y, yo, out);
    }

    /** K = 128: four tokens share each load of a weight row (8 activation words live in registers). */
    private void tokens4words2(long[] xb, int t, float[] beta, float[] y) {
        final long[] w = this.w;
        int xo = t * 2;
        long a0 = xb[xo], a1 = xb[xo + 1], b0 = xb[xo + 2], b1 = xb[xo + 3];
        long c0 = xb[xo + 4], c1 = xb[xo + 5], e0 = xb[xo + 6], e1 = xb[xo + 7];
        float ba = beta[t], bb = beta[t + 1], bc = beta[t + 2], be = beta[t + 3];
        int ya = t * out, yb = ya + out, yc = yb + out, ye = yc + out;
        for (int o = 0; o < out; o++) {
            long w0 = w[2 * o], w1 = w[2 * o + 1];
            int da = Long.bitCount(a0 ^ w0) + Long.bitCount(a1 ^ w1);
            int db = Long.bitCount(b0 ^ w0) + Long.bitCount(b1 ^ w1);
            int dc = Long.bitCount(c0 ^ w0) + Long.bitCount(c1 ^ w1);
            int de = Long.bitCount(e0 ^ w0) + Long.bitCount(e1 ^ w1);
            float al = alpha[o], bias = foldedBias[o];
            y[ya + o] = (al * ba) * (in - 2 * da) + bias;
            y[yb + o] = (al * bb) * (in - 2 * db) + bias;
            y[yc + o] = (al * bc) * (in - 2 * dc) + bias;
            y[ye + o] = (al * be) * (in - 2 * de) + bias;
        }
    }

    /** K = 256: two tokens share each load of a weight row. */
    private void tokens2words4(long[] xb, int t, float[] beta, float[] y) {
        final long[] w = this.w;
        int xo = t * 4;
        long a0 = xb[xo], a1 = xb[xo + 1], a2 = xb[xo + 2], a3 = xb[xo + 3];
        long b0 = xb[xo + 4], b1 = xb[xo + 5], b2 = xb[xo + 6], b3 = xb[xo + 7];
        float ba = beta[t], bb = beta[t + 1];
        int ya = t * out, yb = ya + out;
        for (int o = 0; o < out; o++) {
            int p = 4 * o;
            long w0 = w[p], w1 = w[p + 1], w2 = w[p + 2], w3 = w[p + 3];
            int da = Long.bitCount(a0 ^ w0) + Long.bitCount(a1 ^ w1) + Long.bitCount(a2 ^ w2) + Long.bitCount(a3 ^ w3);
            int db = Long.bitCount(b0 ^ w0) + Long.bitCount(b1 ^ w1) + Long.bitCount(b2 ^ w2) + Long.bitCount(b3 ^ w3);
            float al = alpha[o], bias = foldedBias[o];
            y[ya + o] = (al * ba) * (in - 2 * da) + bias;
            y[yb + o] = (al * bb) * (in - 2 * db) + bias;
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
