package dev.beex.model.nn;

/**
 * Multi-head scaled dot-product attention over the n real tokens (no mask, no padding):
 * per head h, {@code p_i = softmax_j(q_i·k_j · 1/sqrt(dh))}, {@code a_i = Σ_j p_ij v_j}.
 * q, k, v and a are {@code [n][d]} with head h in columns {@code h·dh .. (h+1)·dh}.
 * Backward: {@code dp_ij = da_i·v_j}, {@code dv_j += Σ_i p_ij da_i},
 * {@code ds_ij = p_ij (dp_ij − Σ_j' p_ij' dp_ij')}, {@code dq_i += scale Σ_j ds_ij k_j},
 * {@code dk_j += scale Σ_i ds_ij q_i}.
 */
public final class Attention {
    private final int d;
    private final int heads;
    private final int dh;
    private final float scale;
    private final float[] kT;     // [d][n] keys, transposed so score rows are contiguous axpys
    private final float[] vT;     // [d][n]
    private final float[] probs;  // [heads][n][n]
    private final float[] dp;     // [n][n] scratch
    private float[] q;
    private float[] k;
    private float[] v;
    private int n;

    public Attention(int dim, int heads, int maxTokens) {
        this.d = dim;
        this.heads = heads;
        this.dh = dim / heads;
        this.scale = Kernels.attentionScale(dh);
        this.kT = new float[dim * maxTokens];
        this.vT = new float[dim * maxTokens];
        this.probs = new float[heads * maxTokens * maxTokens];
        this.dp = new float[maxTokens * maxTokens];
    }

    public void forward(float[] q, float[] k, float[] v, int n, float[] a) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.n = n;
        attend(q, k, v, n, d, heads, kT, probs, a);
    }

    /**
     * The attention forward with caller-owned buffers ({@code kT: d·n}, {@code probs: heads·n·n},
     * {@code a: n·d}); the engine calls this too, so both round alike.
     */
    public static void attend(float[] q, float[] k, float[] v, int n, int d, int heads,
                              float[] kT, float[] probs, float[] a) {
        int dh = d / heads;
        float scale = Kernels.attentionScale(dh);
        transpose(k, n, d, kT);
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n, col = h * dh;
            // scores = q_h · k_hᵀ
            Kernels.matmul(q, col, d, 1, kT, col * n, n, probs, ph, n, n, dh, n, false);
            for (int i = 0; i < n; i++) {
                int row = ph + i * n;
                for (int j = 0; j < n; j++) {
                    probs[row + j] *= scale;
                }
                Kernels.softmax(probs, row, n);
            }
            // a_h = p · v_h
            Kernels.matmul(probs, ph, n, 1, v, col, d, a, col, d, n, n, dh, false);
        }
    }

    private static void transpose(float[] x, int n, int d, float[] xT) {
        for (int j = 0; j < n; j++) {
            for (int c = 0; c < d; c++) {
                xT[c * n + j] = x[j * d + c];
            }
        }
    }

    /** Given dL/da, ADDS dL/dq, dL/dk, dL/dv into dq, dk, dv. */
    public void backward(float[] da, float[] dq, float[] dk, float[] dv) {
        transpose(v, n, d, vT);
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n, col = h * dh;
            // dp = da_h · v_hᵀ
            Kernels.matmul(da, col, d, 1, vT, col * n, n, dp, 0, n, n, dh, n, false);
            // dv_h += pᵀ · da_h
            Kernels.matmul(probs, ph, 1, n, da, col, d, dv, col, d, n, n, dh, true);
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
            Kernels.matmul(dp, 0, n, 1, k, col, d, dq, col, d, n, n, dh, true);
            Kernels.matmul(dp, 0, 1, n, q, col, d, dk, col, d, n, n, dh, true);
        }
    }
}
