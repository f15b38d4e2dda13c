package dev.beex.model.kernels;

import dev.beex.model.BitPacking;

/**
 * Multi-head scaled dot-product attention forward over the n real tokens (no mask, no padding):
 * per head h, {@code p_i = softmax_j((q_i·k_j)·scale)}, scale = 1/sqrt(dh), {@code a_i = Σ_j p_ij v_j}.
 * q, k, v and a are flat {@code [n][d]} with head h in columns {@code h·dh .. (h+1)·dh}.
 * Shared by the training forward ({@code nn.Attention}, which adds the backward) and the engine.
 */
public final class AttentionKernel {
    private AttentionKernel() {
    }

    /** Caller-owned scratch of {@link #attend}, sized for {@code maxTokens}. */
    public static final class Buffers {
        private final float[][] kT;      // [d][n] keys transposed: score rows become axpys
        private final float[][] vH;      // [heads·n][dh] values split per head
        private final float[] probs;     // [heads][n][n]
        private final MatMul matMul;
        // Binary scores (BinaryAttentionScores): packed head slices of q and k, one row of dots, the exp table.
        private final long[] qBits;
        private final long[] kBits;
        private final int[] dots;
        private final float[] expTable;

        public Buffers(int dim, int heads, int maxTokens) {
            int dh = dim / heads;
            this.kT = new float[dim][maxTokens];
            this.vH = new float[heads * maxTokens][dh];
            this.probs = new float[heads * maxTokens * maxTokens];
            this.matMul = new MatMul(Math.max(dim, maxTokens));
            this.qBits = new long[heads * maxTokens * BitPacking.words(dh)];
            this.kBits = new long[heads * maxTokens * BitPacking.words(dh)];
            this.dots = new int[maxTokens];
            this.expTable = BinaryAttentionScores.expTable(dh);
        }

        /** Softmax of head h, row i (query i) starts at {@code (h·n + i)·n}. */
        public float[] probabilities() {
            return probs;
        }

        /** The products' row scratch, wide enough for {@code max(dim, maxTokens)} columns. */
        public MatMul matMul() {
            return matMul;
        }
    }

    /** The attention forward with caller-owned buffers; training and the engine both call this, so both round alike. */
    public static void attend(float[] q, float[] k, float[] v, int n, int d, int heads, Buffers buf, float[] a) {
        int dh = d / heads;
        float scale = Kernels.attentionScale(dh);
        float[] probs = buf.probs;
        transpose(k, n, d, buf.kT);
        splitHeads(v, n, d, heads, buf.vH);
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n, col = h * dh;
            // scores = q_h · k_hᵀ
            buf.matMul.multiply(q, col, d, buf.kT, col, probs, ph, n, n, dh, n);
            for (int i = 0; i < n; i++) {
                int row = ph + i * n;
                for (int j = 0; j < n; j++) {
                    probs[row + j] *= scale;
                }
                Kernels.softmax(probs, row, n);
            }
            // a_h = p · v_h
            buf.matMul.multiply(probs, ph, n, buf.vH, h * n, a, col, d, n, n, dh);
        }
    }

    /**
     * The attention forward with binarized scores ({@link BinaryAttentionScores}): per head,
     * {@code p_i = softmax_j(τ·sign(q_i)·sign(k_j))}, {@code a_i = Σ_j p_ij v_j} (v stays float).
     * Training (sign forward) and the engine both call this.
     */
    public static void attendBinary(float[] q, float[] k, float[] v, int n, int d, int heads, Buffers buf, float[] a) {
        int dh = d / heads;
        float[] probs = buf.probs;
        BinaryAttentionScores.packHeads(q, n, d, heads, buf.qBits);
        BinaryAttentionScores.packHeads(k, n, d, heads, buf.kBits);
        splitHeads(v, n, d, heads, buf.vH);
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n;
            for (int i = 0; i < n; i++) {
                BinaryAttentionScores.dots(buf.qBits, buf.kBits, h, i, n, dh, buf.dots);
                BinaryAttentionScores.softmaxRow(buf.dots, n, buf.expTable, probs, ph + i * n);
            }
            // a_h = p · v_h
            buf.matMul.multiply(probs, ph, n, buf.vH, h * n, a, h * dh, d, n, n, dh);
        }
    }

    public static void transpose(float[] x, int n, int d, float[][] xT) {
        for (int c = 0; c < d; c++) {
            float[] row = xT[c];
            for (int j = 0; j < n; j++) {
                row[j] = x[j * d + c];
            }
        }
    }

    /** Row {@code h·n + j} of {@code out} = token j's slice of head h. */
    public static void splitHeads(float[] x, int n, int d, int heads, float[][] out) {
        int dh = d / heads;
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(x, j * d + h * dh, out[h * n + j], 0, dh);
            }
        }
    }
}
