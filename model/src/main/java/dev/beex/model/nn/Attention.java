package dev.beex.model.nn;

/**
 * Multi-head scaled dot-product attention over the n real tokens (no mask, no padding):
 * per head h, {@code p_i = softmax_j((q_i·k_j)·scale)}, scale = 1/sqrt(dh), {@code a_i = Σ_j p_ij v_j}.
 * q, k, v and a are flat {@code [n][d]} with head h in columns {@code h·dh .. (h+1)·dh}.
 * Backward: {@code dp_ij = da_i·v_j}, {@code dv_j += Σ_i p_ij da_i},
 * {@code ds_ij = p_ij (dp_ij − Σ_j' p_ij' dp_ij')}, {@code dq_i += scale Σ_j ds_ij k_j},
 * {@code dk_j += scale Σ_i ds_ij q_i}.
 */
public final class Attention {
    private final int d;
    private final int heads;
    private final int dh;
    private final float scale;
    private final Buffers buffers;
    private final float[][] vT;    // [d][n]
    private final float[][] qH;    // [heads·n][dh]
    private final float[][] kH;    // [heads·n][dh]
    private final float[][] daH;   // [heads·n][dh]
    private final float[] dp;      // [n][n]
    private float[] q;
    private float[] k;
    private float[] v;
    private int n;

    /** Caller-owned scratch of {@link #attend}, sized for {@code maxTokens}. */
    public static final class Buffers {
        final float[][] kT;      // [d][n] keys transposed: score rows become axpys
        final float[][] vH;      // [heads·n][dh] values split per head
        final float[] probs;     // [heads][n][n]
        final float[] acc;

        public Buffers(int dim, int heads, int maxTokens) {
            this.kT = new float[dim][maxTokens];
            this.vH = new float[heads * maxTokens][dim / heads];
            this.probs = new float[heads * maxTokens * maxTokens];
            this.acc = new float[Math.max(dim, maxTokens)];
        }

        /** Softmax of head h, row i (query i) starts at {@code (h·n + i)·n}. */
        public float[] probabilities() {
            return probs;
        }
    }

    public Attention(int dim, int heads, int maxTokens) {
        this.d = dim;
        this.heads = heads;
        this.dh = dim / heads;
        this.scale = Kernels.attentionScale(dh);
        this.buffers = new Buffers(dim, heads, maxTokens);
        this.vT = new float[dim][maxTokens];
        this.qH = new float[heads * maxTokens][dh];
        this.kH = new float[heads * maxTokens][dh];
        this.daH = new float[heads * maxTokens][dh];
        this.dp = new float[maxTokens * maxTokens];
    }

    public void forward(float[] q, float[] k, float[] v, int n, float[] a) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.n = n;
        attend(q, k, v, n, d, heads, buffers, a);
    }

    /** The attention forward with caller-owned buffers; the engine calls this too, so both round alike. */
    public static void attend(float[] q, float[] k, float[] v, int n, int d, int heads, Buffers buf, float[] a) {
        int dh = d / heads;
        float scale = Kernels.attentionScale(dh);
        float[] probs = buf.probs;
        transpose(k, n, d, buf.kT);
        splitHeads(v, n, d, heads, buf.vH);
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n, col = h * dh;
            // scores = q_h · k_hᵀ
            Kernels.matmul(q, col, d, 1, buf.kT, col, probs, ph, n, n, dh, n, false, buf.acc);
            for (int i = 0; i < n; i++) {
                int row = ph + i * n;
                for (int j = 0; j < n; j++) {
                    probs[row + j] *= scale;
                }
                Kernels.softmax(probs, row, n);
            }
            // a_h = p · v_h
            Kernels.matmul(probs, ph, n, 1, buf.vH, h * n, a, col, d, n, n, dh, false, buf.acc);
        }
    }

    /**
     * As {@link #attend(float[], float[], float[], int, int, int, Buffers, float[])} with flat
     * buffers ({@code kT: d·n}, {@code probs: heads·n·n}): bit-identical results, slower.
     */
    public static void attend(float[] q, float[] k, float[] v, int n, int d, int heads,
                              float[] kT, float[] probs, float[] a) {
        int dh = d / heads;
        float scale = Kernels.attentionScale(dh);
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < d; c++) {
                kT[c * n + j] = k[j * d + c];
            }
        }
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n, col = h * dh;
            Kernels.matmul(q, col, d, 1, kT, col * n, n, probs, ph, n, n, dh, n, false);
            for (int i = 0; i < n; i++) {
                int row = ph + i * n;
                for (int j = 0; j < n; j++) {
                    probs[row + j] *= scale;
                }
                Kernels.softmax(probs, row, n);
            }
            Kernels.matmul(probs, ph, n, 1, v, col, d, a, col, d, n, n, dh, false);
        }
    }

    private static void transpose(float[] x, int n, int d, float[][] xT) {
        for (int c = 0; c < d; c++) {
            float[] row = xT[c];
            for (int j = 0; j < n; j++) {
                row[j] = x[j * d + c];
            }
        }
    }

    /** Row {@code h·n + j} of {@code out} = token j's slice of head h. */
    private static void splitHeads(float[] x, int n, int d, int heads, float[][] out) {
        int dh = d / heads;
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(x, j * d + h * dh, out[h * n + j], 0, dh);
            }
        }
    }

    /** Given dL/da, ADDS dL/dq, dL/dk, dL/dv into dq, dk, dv. */
    public void backward(float[] da, float[] dq, float[] dk, float[] dv) {
        float[] probs = buffers.probs, acc = buffers.acc;
        transpose(v, n, d, vT);
        splitHeads(q, n, d, heads, qH);
        splitHeads(k, n, d, heads, kH);
        splitHeads(da, n, d, heads, daH);
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n, col = h * dh, hr = h * n;
            // dp = da_h · v_hᵀ
            Kernels.matmul(da, col, d, 1, vT, col, dp, 0, n, n, dh, n, false, acc);
            // dv_h += pᵀ · da_h
            Kernels.matmul(probs, ph, 1, n, daH, hr, dv, col, d, n, n, dh, true, acc);
            // softmax backward, then the scale: dp becomes ds·scale
            for (int i = 0; i < n; i++) {
                int row = i * n, prow = ph + i * n;
                float dot = 0f;
                for (int j = 0; j < n; j++) {
                    dot += probs[prow + j] * dp[row + j];
                }
                for (int j = 0; j < n; j++) {
                    dp[row + j] = probs[prow + j] * (dp[row + j] - dot) * scale;
                }
            }
            // dq_h += ds · k_h ; dk_h += dsᵀ · q_h
            Kernels.matmul(dp, 0, n, 1, kH, hr, dq, col, d, n, n, dh, true, acc);
            Kernels.matmul(dp, 0, 1, n, qH, hr, dk, col, d, n, n, dh, true, acc);
        }
    }
}
