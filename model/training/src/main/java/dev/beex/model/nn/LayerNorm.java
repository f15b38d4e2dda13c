package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;

import dev.beex.model.LayerNormParams;

/**
 * Row-wise LayerNorm {@code y = γ ⊙ x̂ + β}, {@code x̂ = (z − mean)·rstd}. Backward:
 * {@code dγ += dy ⊙ x̂}, {@code dβ += dy}, {@code dz = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂))}
 * with {@code ĝ = dy ⊙ γ}.
 */
public final class LayerNorm {
    private final LayerNormParams p;
    private final int d;
    private final float[] mean;
    private final float[] rstd;
    private float[] z;
    private int zOff;
    private int tokens;

    public LayerNorm(LayerNormParams params, int dim, int maxTokens) {
        this.p = params;
        this.d = dim;
        this.mean = new float[maxTokens];
        this.rstd = new float[maxTokens];
    }

    public void forward(float[] z, int zOff, int tokens, float[] y, int yOff) {
        this.z = z;
        this.zOff = zOff;
        this.tokens = tokens;
        for (int t = 0; t < tokens; t++) {
            rstd[t] = Kernels.layerNorm(z, zOff + t * d, y, yOff + t * d, d, p, mean, t);
        }
    }

    /** Writes (not adds) dL/dz into {@code dz}; {@code dz} may be the same array region as {@code dy}. */
    public void backward(float[] dy, int dyOff, float[] dz, int dzOff, LayerNormParams grad) {
        float[] gamma = p.gamma, dGamma = grad.gamma, dBeta = grad.beta;
        for (int t = 0; t < tokens; t++) {
            int zr = zOff + t * d, yr = dyOff + t * d, dr = dzOff + t * d;
            float m = mean[t], r = rstd[t];
            float sumG = 0f, sumGx = 0f;
            for (int k = 0; k < d; k++) {
                float xhat = (z[zr + k] - m) * r;
                float g = dy[yr + k];
                dGamma[k] += g * xhat;
                dBeta[k] += g;
                float gh = g * gamma[k];
                sumG += gh;
                sumGx += gh * xhat;
            }
            float meanG = sumG / d, meanGx = sumGx / d;
            for (int k = 0; k < d; k++) {
                float xhat = (z[zr + k] - m) * r;
                dz[dr + k] = r * (dy[yr + k] * gamma[k] - meanG - xhat * meanGx);
            }
        }
    }
}
