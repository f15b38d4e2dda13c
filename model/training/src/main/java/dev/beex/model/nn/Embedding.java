package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;

import dev.beex.model.ModelParams;

/**
 * Token + learned position embedding: {@code x0_j = α_r·B(E_r) + P_j} with α_r = mean|E_r|
 * (binary precision) or {@code E_r + P_j} (float). Backward, with {@code g = dL/dx0_j}:
 * {@code dP_j += g}; binary: {@code dα = Σ_k g_k B(E_rk)},
 * {@code dE_rk += g_k α_r F'(E_rk) + dα·sign(E_rk)/d}; float: {@code dE_r += g}.
 */
public final class Embedding {
    private final ModelParams params;
    private final Binarizer binarizer;
    private final int d;
    private final boolean binary;

    public Embedding(ModelParams params, Binarizer binarizer) {
        this.params = params;
        this.binarizer = binarizer;
        this.d = params.config.dim();
        this.binary = params.config.binary();
    }

    public void forward(int[] ids, int n, float[] x0) {
        float[] e = params.tokenEmbedding, p = params.positionEmbedding;
        for (int j = 0; j < n; j++) {
            int er = ids[j] * d, xr = j * d;
            if (binary) {
                float alpha = Kernels.meanAbs(e, er, d);
                for (int k = 0; k < d; k++) {
                    x0[xr + k] = alpha * binarizer.apply(e[er + k]) + p[xr + k];
                }
            } else {
                for (int k = 0; k < d; k++) {
                    x0[xr + k] = e[er + k] + p[xr + k];
                }
            }
        }
    }

    public void backward(int[] ids, int n, float[] dx0, ModelParams grad) {
        float[] e = params.tokenEmbedding, ge = grad.tokenEmbedding, gp = grad.positionEmbedding;
        for (int j = 0; j < n; j++) {
            int er = ids[j] * d, xr = j * d;
            for (int k = 0; k < d; k++) {
                gp[xr + k] += dx0[xr + k];
            }
            if (binary) {
                float alpha = Kernels.meanAbs(e, er, d);
                float dAlpha = 0f;
                for (int k = 0; k < d; k++) {
                    dAlpha += dx0[xr + k] * binarizer.apply(e[er + k]);
                }
                dAlpha /= d;
                for (int k = 0; k < d; k++) {
                    float w = e[er + k];
                    ge[er + k] += dx0[xr + k] * alpha * ApproxSign.grad(w) + dAlpha * Kernels.sign(w);
                }
            } else {
                for (int k = 0; k < d; k++) {
                    ge[er + k] += dx0[xr + k];
                }
            }
        }
    }
}
