package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;

import dev.beex.model.BlockParams;

/**
 * Selective-Learn Forget Network sublayer with its residual and LayerNorm:
 * {@code g = G2(σ(G1 x1))}, {@code f = F2(tanh(F1 x1))}, {@code x2 = LN2(x1 + dropout(g ⊙ f))}.
 * Dropout (training only) keeps each element with probability 1 − rate and scales it by 1/(1 − rate).
 */
public final class Slfn {
    private final int d;
    private final int h;
    final Linear gate1;
    final Linear gate2;
    final Linear filter1;
    final Linear filter2;
    final LayerNorm norm2;
    private final float[] g1;    // [T][h] G1 x1, then σ in place
    private final float[] g;     // [T][d]
    private final float[] f1;    // [T][h] F1 x1, then tanh in place
    private final float[] f;     // [T][d]
    private final float[] mask;  // [T][d] 0 or 1/(1 − rate)
    private final float[] z2;    // [T][d]
    private final float[] dz;    // [T][d] scratch
    private final float[] dg;    // [T][d] scratch
    private final float[] dh;    // [T][h] scratch
    private boolean dropped;
    private int tokens;

    public Slfn(LinearWeights gate1, LinearWeights gate2, LinearWeights filter1, LinearWeights filter2,
                BlockParams params, Binarizer binarizer, int dim, int hidden, int maxTokens) {
        this.d = dim;
        this.h = hidden;
        this.gate1 = Linear.create(gate1, binarizer, maxTokens);
        this.gate2 = Linear.create(gate2, binarizer, maxTokens);
        this.filter1 = Linear.create(filter1, binarizer, maxTokens);
        this.filter2 = Linear.create(filter2, binarizer, maxTokens);
        this.norm2 = new LayerNorm(params.norm2, dim, maxTokens);
        this.g1 = new float[maxTokens * hidden];
        this.g = new float[maxTokens * dim];
        this.f1 = new float[maxTokens * hidden];
        this.f = new float[maxTokens * dim];
        this.mask = new float[maxTokens * dim];
        this.z2 = new float[maxTokens * dim];
        this.dz = new float[maxTokens * dim];
        this.dg = new float[maxTokens * dim];
        this.dh = new float[maxTokens * hidden];
    }

    /** {@code rng == null} or {@code rate == 0}: no dropout (evaluation). */
    public void forward(float[] x1, int tokens, float dropoutRate, Rng rng, float[] x2) {
        this.tokens = tokens;
        int th = tokens * h, td = tokens * d;
        gate1.forward(x1, 0, tokens, g1, 0);
        for (int i = 0; i < th; i++) {
            g1[i] = Kernels.sigmoid(g1[i]);
        }
        gate2.forward(g1, 0, tokens, g, 0);
        filter1.forward(x1, 0, tokens, f1, 0);
        for (int i = 0; i < th; i++) {
            f1[i] = Kernels.tanh(f1[i]);
        }
        filter2.forward(f1, 0, tokens, f, 0);
        dropped = rng != null && dropoutRate > 0f;
        if (dropped) {
            float keep = 1f / (1f - dropoutRate);
            for (int i = 0; i < td; i++) {
                mask[i] = rng.nextFloat() < dropoutRate ? 0f : keep;
                z2[i] = x1[i] + mask[i] * (g[i] * f[i]);
            }
        } else {
            for (int i = 0; i < td; i++) {
                z2[i] = x1[i] + g[i] * f[i];
            }
        }
        norm2.forward(z2, 0, tokens, x2, 0);
    }

    /** Given dL/dx2, writes dL/dx1 into {@code dx1} (overwritten). */
    public void backward(float[] dx2, float[] dx1, BlockParams grad) {
        int td = tokens * d, th = tokens * h;
        norm2.backward(dx2, 0, dz, 0, grad.norm2);
        System.arraycopy(dz, 0, dx1, 0, td);
        // dz is dL/d(g ⊙ f) after the mask; reuse dz for df and dg for dg
        for (int i = 0; i < td; i++) {
            float m = dropped ? dz[i] * mask[i] : dz[i];
            dg[i] = m * f[i];
            dz[i] = m * g[i];
        }
        // filter path: f = F2(tanh(F1 x1))
        java.util.Arrays.fill(dh, 0, th, 0f);
        filter2.backward(dz, 0, dh, 0, grad.filter2);
        for (int i = 0; i < th; i++) {
            float t = f1[i];
            dh[i] *= 1f - t * t;
        }
        filter1.backward(dh, 0, dx1, 0, grad.filter1);
        // gate path: g = G2(σ(G1 x1))
        java.util.Arrays.fill(dh, 0, th, 0f);
        gate2.backward(dg, 0, dh, 0, grad.gate2);
        for (int i = 0; i < th; i++) {
            float sg = g1[i];
            dh[i] *= sg * (1f - sg);
        }
        gate1.backward(dh, 0, dx1, 0, grad.gate1);
    }

    void finishGradients(BlockParams grad) {
        gate1.finishGradients(grad.gate1);
        gate2.finishGradients(grad.gate2);
        filter1.finishGradients(grad.filter1);
        filter2.finishGradients(grad.filter2);
    }
}
