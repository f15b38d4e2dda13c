package dev.beex.model.kernels;

/**
 * Multi-head scaled dot-product attention forward over the n real tokens (no mask, no padding):
 * per head h, {@code p_i = softmax_j((q_i·k_j)·scale)}, scale = 1/sqrt(dh), {@code a_i = Σ_j p_ij v_j}.
 * q, k, v and a are flat {@code [n][d]} with head h in columns {@code h·dh .. (h+1)·dh}.
 * Shared by the training forward ({@code nn.Attention}, which adds the backward) and the engine.
 *
 * <p>Computed transposed, so that every inner loop runs over the n queries (long enough for
 * HotSpot's vector loops) instead of over dh = 32 head columns: {@code sᵀ_h[j][i] = k_j·q_i}
 * (rows of {@code qᵀ}), the softmax down each column i (max, exp, sum in j order, scale by
 * 1/sum), then {@code aᵀ_h[c][i] = Σ_j v_j[c]·pᵀ_h[j][i]}. Products and the order of every sum
 * are those of the row form ({@link Kernels#matmul}'s groups of four, then {@link Kernels#softmax}
 * per row), so the results are bit-identical to it (AttentionKernelTest).
 */
public final class AttentionKernel {
    private AttentionKernel() {
    }

    /** Caller-owned scratch of {@link #attend}, sized for {@code maxTokens}. */
    public static final class Buffers {
        private final float[][] qT;      // [d][n] queries transposed
        private final float[][] pT;      // [heads·n][n]: head h, key j, query i at pT[h·n + j][i]
        private final float[] aT;        // [dh·n] one head's output transposed
        private final float[] colMax;    // [n]
        private final float[] colSum;    // [n]
        private final float[] probs;     // [heads][n][n] row form, kept for the backward pass
        private final boolean keepProbabilities;
        private final float[] acc;

        /** Scratch that also keeps the softmax in row form for {@link #probabilities()} (training). */
        public Buffers(int dim, int heads, int maxTokens) {
            this(dim, heads, maxTokens, true);
        }

        /** {@code keepProbabilities}: false for inference, which never reads them back. */
        public Buffers(int dim, int heads, int maxTokens, boolean keepProbabilities) {
            this.qT = new float[dim][maxTokens];
            this.pT = new float[heads * maxTokens][maxTokens];
            this.aT = new float[(dim / heads) * maxTokens];
            this.colMax = new float[maxTokens];
            this.colSum = new float[maxTokens];
            this.keepProbabilities = keepProbabilities;
            this.probs = keepProbabilities ? new float[heads * maxTokens * maxTokens] : null;
            this.acc = new float[Math.max(dim, maxTokens)];
        }

        /** Softmax of head h, row i (query i) starts at {@code (h·n + i)·n}. */
        public float[] probabilities() {
            if (probs == null) {
                throw new IllegalStateException("these buffers do not keep the probabilities");
            }
            return probs;
        }

        /** Row scratch of {@link Kernels#matmul}, length {@code max(dim, maxTokens)}. */
        public float[] rowScratch() {
            return acc;
        }
    }

    /** The attention forward with caller-owned buffers; training and the engine both call this, so both round alike. */
    public static void attend(float[] q, float[] k, float[] v, int n, int d, int heads, Buffers buf, float[] a) {
        int dh = d / heads;
        float scale = Kernels.attentionScale(dh);
        transpose(q, n, d, buf.qT);
        float[] max = buf.colMax, sum = buf.colSum, aT = buf.aT;
        for (int h = 0; h < heads; h++) {
            int col = h * dh, hn = h * n;
            // sᵀ[j][0..n) = Σ_c k[j][col + c]·qᵀ[col + c][0..n), then · scale
            for (int j = 0; j < n; j++) {
                float[] s = buf.pT[hn + j];
                dotRow(k, j * d + col, 1, buf.qT, col, dh, s, n);
                for (int i = 0; i < n; i++) {
                    s[i] *= scale;
                }
            }
            softmaxColumns(buf.pT, hn, n, max, sum);
            // aᵀ[c][0..n) = Σ_j v[j][col + c]·pᵀ[j][0..n)
            for (int c = 0; c < dh; c++) {
                dotRow(v, col + c, d, buf.pT, hn, n, buf.acc, n);
                System.arraycopy(buf.acc, 0, aT, c * n, n);
            }
            for (int i = 0; i < n; i++) {
                int ai = i * d + col;
                for (int c = 0; c < dh; c++) {
                    a[ai + c] = aT[c * n + i];
                }
            }
            if (buf.keepProbabilities) {
                float[] probs = buf.probs;
                int ph = h * n * n;
                for (int j = 0; j < n; j++) {
                    float[] p = buf.pT[hn + j];
                    for (int i = 0; i < n; i++) {
                        probs[ph + i * n + j] = p[i];
                    }
                }
            }
        }
    }

    /**
     * {@code out[0..n) = Σ_t x[xOff + t·xStep]·rows[first + t][0..n)} for {@code t < inner}, in
     * {@link Kernels#matmul}'s order: groups of four {@code ((x0·r0 + x1·r1) + x2·r2) + x3·r3}
     * added to the row, then single terms.
     */
    private static void dotRow(float[] x, int xOff, int xStep, float[][] rows, int first, int inner, float[] out, int n) {
        java.util.Arrays.fill(out, 0, n, 0f);
        int t = 0;
        for (; t + 3 < inner; t += 4) {
            int r = first + t, xo = xOff + t * xStep;
            Kernels.axpy4(out, x[xo], rows[r], x[xo + xStep], rows[r + 1], x[xo + 2 * xStep], rows[r + 2],
                    x[xo + 3 * xStep], rows[r + 3], n);
        }
        for (; t < inner; t++) {
            Kernels.axpy(out, x[xOff + t * xStep], rows[first + t], n);
        }
    }

    /**
     * Softmax down every column i of {@code rows[first .. first+n)} (over j), as
     * {@link Kernels#softmax} does per row: the max, {@code exp(s − max)} summed in j order,
     * then each multiplied by {@code 1/sum}. Math.max gives the same max as Kernels.softmax's
     * compare (they differ only in which zero is kept, and x − (±0) is the same x).
     */
    private static void softmaxColumns(float[][] rows, int first, int n, float[] max, float[] sum) {
        System.arraycopy(rows[first], 0, max, 0, n);
        for (int j = 1; j < n; j++) {
            float[] s = rows[first + j];
            for (int i = 0; i < n; i++) {
                max[i] = Math.max(max[i], s[i]);
            }
        }
        java.util.Arrays.fill(sum, 0, n, 0f);
        for (int j = 0; j < n; j++) {
            float[] s = rows[first + j];
            for (int i = 0; i < n; i++) {
                float e = Kernels.exp(s[i] - max[i]);
                s[i] = e;
                sum[i] += e;
            }
        }
        for (int i = 0; i < n; i++) {
            sum[i] = 1f / sum[i];
        }
        for (int j = 0; j < n; j++) {
            float[] s = rows[first + j];
            for (int i = 0; i < n; i++) {
                s[i] *= sum[i];
            }
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
