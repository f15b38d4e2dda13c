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
 *
 * <p>Binarized scores (model/README.md, "Binarized attention scores"): q and k enter the scores as
 * {@code b(q) = B(q/σ_q)} per token and head, σ_q = mean_c |q_c| over the head's columns (sign
 * does not see σ; the relaxed B of gradient checks does), and the forward with B = sign is the
 * engine's {@link AttentionKernel#attendBinary}. Backward: the float formulas above with b(q), b(k)
 * in place of q, k give {@code dL/db}; then per token and head, with
 * {@code g_c = dL/db_c · F'(q_c/σ)/σ}: {@code dq_c += g_c − sign(q_c)·(Σ_c' g_c' q_c')/(dh·σ)}
 * (the second term is σ's own dependence on q), likewise for k.
 */
public final class Attention {
    private final int d;
    private final int heads;
    private final int dh;
    private final float scale;
    private final AttentionKernel.Buffers buffers;
    /** Binarizer of the scores' q and k; null for float attention. */
    private final Binarizer binarizer;
    private final float[] bq;      // [n][d] b(q) (binary attention only)
    private final float[] bk;      // [n][d] b(k)
    private final float[] dbq;     // [n][d] dL/db(q)
    private final float[] dbk;     // [n][d] dL/db(k)
    private final float[] sigmaQ;  // [n][heads] σ of q per token and head, kept from the forward
    private final float[] sigmaK;  // [n][heads] σ of k
    private final float[][] vT;    // [d][n]
    private final float[][] qH;    // [heads·n][dh]
    private final float[][] kH;    // [heads·n][dh]
    private final float[][] daH;   // [heads·n][dh]
    private final float[] dp;      // [n][n]
    private float[] q;
    private float[] k;
    private float[] v;
    private int n;

    /** Float attention scores. */
    public Attention(int dim, int heads, int maxTokens) {
        this(dim, heads, maxTokens, null);
    }

    /** {@code scoreBinarizer} non-null: binarized attention scores with that forward binarizer. */
    public Attention(int dim, int heads, int maxTokens, Binarizer scoreBinarizer) {
        this.binarizer = scoreBinarizer;
        int td = scoreBinarizer == null ? 0 : maxTokens * dim;
        this.bq = new float[td];
        this.bk = new float[td];
        this.dbq = new float[td];
        this.dbk = new float[td];
        this.sigmaQ = new float[scoreBinarizer == null ? 0 : maxTokens * heads];
        this.sigmaK = new float[scoreBinarizer == null ? 0 : maxTokens * heads];
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
        if (binarizer == null) {
            AttentionKernel.attend(q, k, v, n, d, heads, buffers, a);
            return;
        }
        binarizeHeads(q, n, bq, sigmaQ);
        binarizeHeads(k, n, bk, sigmaK);
        if (binarizer == Binarizer.SIGN) {
            AttentionKernel.attendBinary(q, k, v, n, d, heads, buffers, a);   // the engine's integer path
        } else {
            AttentionKernel.attend(bq, bk, v, n, d, heads, buffers, a);       // relaxed: differentiable scores
        }
    }

    /** {@code b[j][c] = B(x[j][c] / σ)} with σ the mean |x| of token j's head slice of c. */
    private void binarizeHeads(float[] x, int n, float[] b, float[] sigmas) {
        for (int j = 0; j < n; j++) {
            for (int h = 0; h < heads; h++) {
                int o = j * d + h * dh;
                float sigma = Kernels.meanAbs(x, o, dh);
                sigmas[j * heads + h] = sigma;
                float inv = sigma > 0f ? 1f / sigma : 0f;
                for (int c = 0; c < dh; c++) {
                    b[o + c] = binarizer.apply(x[o + c] * inv);
                }
            }
        }
    }

    /** Adds dL/dx into {@code dx} given dL/db of {@link #binarizeHeads} (see the class comment). */
    private void binarizeBackward(float[] x, float[] sigmas, float[] db, int n, float[] dx) {
        for (int j = 0; j < n; j++) {
            for (int h = 0; h < heads; h++) {
                int o = j * d + h * dh;
                float sigma = sigmas[j * heads + h];
                if (sigma == 0f) {
                    continue;
                }
                float inv = 1f / sigma, gx = 0f;
                for (int c = 0; c < dh; c++) {
                    float g = db[o + c] * ApproxSign.grad(x[o + c] * inv) * inv;
                    db[o + c] = g;                      // db now holds g
                    gx += g * x[o + c];
                }
                float t = gx * inv / dh;
                for (int c = 0; c < dh; c++) {
                    dx[o + c] += db[o + c] - Kernels.sign(x[o + c]) * t;
                }
            }
        }
    }

    /** Given dL/da, ADDS dL/dq, dL/dk, dL/dv into dq, dk, dv. */
    public void backward(float[] da, float[] dq, float[] dk, float[] dv) {
        float[] probs = buffers.probabilities();
        MatMul matMul = buffers.matMul();
        boolean binary = binarizer != null;
        // With binary scores the score products see b(q), b(k) and send dL/db to dbq, dbk.
        float[] qs = binary ? bq : q, ks = binary ? bk : k;
        float[] dqs = dq, dks = dk;
        if (binary) {
            java.util.Arrays.fill(dbq, 0, n * d, 0f);
            java.util.Arrays.fill(dbk, 0, n * d, 0f);
            dqs = dbq;
            dks = dbk;
        }
        AttentionKernel.transpose(v, n, d, vT);
        AttentionKernel.splitHeads(qs, n, d, heads, qH);
        AttentionKernel.splitHeads(ks, n, d, heads, kH);
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
            matMul.multiplyAdd(dp, 0, n, kH, hr, dqs, col, d, n, n, dh);
            matMul.multiplyTransposedAdd(dp, 0, n, qH, hr, dks, col, d, n, n, dh);
        }
        if (binary) {
            binarizeBackward(q, sigmaQ, dbq, n, dq);
            binarizeBackward(k, sigmaK, dbk, n, dk);
        }
    }
}
