package dev.beex.model.nn;

import dev.beex.model.LinearParams;
import dev.beex.model.kernels.ExitKernel;

/**
 * Exit classifier after a block: {@code pool = (1/n) Σ_j x_j}, {@code logits = W·pool + b},
 * {@code p = softmax(logits)}; loss {@code −log p_y}. Backward with weight w:
 * {@code dlogits = w (p − onehot_y)}, {@code dW += dlogits ⊗ pool}, {@code db += dlogits},
 * {@code dx_j += (Wᵀ dlogits)/n} for every token j.
 */
public final class ExitHead {
    private final LinearParams p;
    private final int d;
    private final int classes;
    final float[] pool;
    final float[] probs;
    private final float[] dLogits;
    private final float[] dPool;
    private int n;

    public ExitHead(LinearParams params) {
        this.p = params;
        this.d = params.in;
        this.classes = params.out;
        this.pool = new float[d];
        this.probs = new float[classes];
        this.dLogits = new float[classes];
        this.dPool = new float[d];
    }

    /** Fills {@link #probs}; returns −log p_label (0 when label &lt; 0). */
    public float forward(float[] x, int n, int label) {
        this.n = n;
        ExitKernel.pool(x, n, d, pool);
        ExitKernel.probabilities(p, pool, probs);
        return label < 0 ? 0f : (float) -Math.log(Math.max(probs[label], 1e-30f));
    }

    /** ADDS dL/dx for loss {@code weight·CE} into dx. */
    public void backward(int label, float weight, float[] dx, LinearParams grad) {
        for (int c = 0; c < classes; c++) {
            dLogits[c] = weight * (probs[c] - (c == label ? 1f : 0f));
        }
        float invN = 1f / n;
        for (int c = 0; c < classes; c++) {
            float g = dLogits[c];
            int r = c * d;
            grad.bias[c] += g;
            for (int k = 0; k < d; k++) {
                grad.weight[r + k] += g * pool[k];
            }
        }
        for (int k = 0; k < d; k++) {
            float s = 0f;
            for (int c = 0; c < classes; c++) {
                s += p.weight[c * d + k] * dLogits[c];
            }
            dPool[k] = s * invN;
        }
        for (int j = 0; j < n; j++) {
            int r = j * d;
            for (int k = 0; k < d; k++) {
                dx[r + k] += dPool[k];
            }
        }
    }
}
