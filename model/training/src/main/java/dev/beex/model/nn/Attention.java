package dev.beex.model.nn;

import dev.beex.model.kernels.AttentionKernel;
import dev.beex.model.kernels.Kernels;
import dev.beex.model.kernels.MatMul;

/**
 * Training side of multi-head attention ({@link AttentionKernel} holds the shared forward) over the n real tokens (no mask, no padding):
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
    private final AttentionKernel.Buffers buffers;
    private final float[][] vT;    // [d][n]
    private final float[][] qH;    // [heads·n][dh]
    private final float[][] kH;    // [heads·n][dh]
    private final float[][] daH;   // [heads·n][dh]
    private final float[] dp;      // [n][n]
    private float[] q;
    private float[] k;
    private float[] v;
    private int n;

    public Attention(int dim, int heads, int maxTokens) {
        this.d = dim;
        this.heads = heads;
        this.dh = dim / heads;
        this.scale = Kernels.attentionScale(dh);
        this.buffers = new AttentionKernel.Buffers(dim, heads, maxTokens);
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
        AttentionKernel.attend(q, k, v, n, d, heads, buffers, a);
    }

    /** Given dL/da, ADDS dL/dq, dL/dk, dL/dv into dq, dk, dv. */
    public void backward(float[] da, float[] dq, float[] dk, float[] dv) {
        float[] probs = buffers.probabilities();
        MatMul matMul = buffers.matMul();
        AttentionKernel.transpose(v, n, d, vT);
        AttentionKernel.splitHeads(q, n, d, heads, qH);
        AttentionKernel.splitHeads(k, n, d, heads, kH);
        AttentionKernel.splitHeads(da, n, d, heads, daH);
        for (int h = 0; h < heads; h++) {
            int ph = h * n * n, col = h * dh, hr = h * n;
            // dp = da_h · v_hᵀ
            matMul.multiply(da, col, d, vT, col, dp, 0, n, n, dh, n);
            // dv_h += pᵀ · da_h
            matMul.multiplyTransposedAdd(probs, ph, n, daH, hr, dv, col, d, n, n, dh);
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
            matMul.multiplyAdd(dp, 0, n, kH, hr, dq, col, d, n, n, dh);
            matMul.multiplyTransposedAdd(dp, 0, n, qH, hr, dk, col, d, n, n, dh);
        }
    }
}
