package dev.beex.model.nn;

import dev.beex.model.LinearParams;
import dev.beex.model.kernels.ExitKernel;

/**
 * Exit classifier after a block: {@code pool = (1/n) Σ_j x_j}, {@code logits = W·pool + b},
 * {@code p = softmax(logits)}; loss {@code −log p_y}. Backward with weight w:
 * {@code dlogits = w (p − onehot_y)}, {@code dW += dlogits ⊗ pool}, {@code db += dlogits},
 * {@code dx_j += (Wᵀ dlogits)/n} for every token j.
 *
 * <p>With a teacher distribution {@code q} (the teacher's probabilities at temperature T), the
 * loss is {@code (1−λ)·CE + λ·T²·KL(q ‖ softmax(logits/T))} and
 * {@code dlogits = w [(1−λ)(p − onehot_y) + λ·T·(softmax(logits/T) − q)]} (the T² keeps the
 * soft term's gradient on the scale of the hard one, as in Hinton et al.'s distillation).
 */
public final class ExitHead {
    private final LinearParams p;
    private final int d;
    private final int classes;
    final float[] pool;
    final float[] probs;
    private final float[] dLogits;
    private final float[] dPool;
    private final float[] logits;
    private final float[] probsT;
    private int n;
    private float[] teacher;   // null: plain cross-entropy
    private float lambda;
    private float temperature;

    public ExitHead(LinearParams params) {
        this.p = params;
        this.d = params.in;
        this.classes = params.out;
        this.pool = new float[d];
        this.probs = new float[classes];
        this.dLogits = new float[classes];
        this.dPool = new float[d];
        this.logits = new float[classes];
        this.probsT = new float[classes];
    }

    /** Fills {@link #probs}; returns −log p_label (0 when label &lt; 0). */
    public float forward(float[] x, int n, int label) {
        return forward(x, n, label, null, 0f, 1f);
    }

    /**
     * Fills {@link #probs}; returns {@code (1−λ)·CE + λ·T²·KL(q ‖ softmax(logits/T))} with
     * {@code q = teacher}, or the plain CE when {@code teacher} is null (0 when label &lt; 0).
     * {@link #backward} differentiates the same loss.
     */
    public float forward(float[] x, int n, int label, float[] teacher, float lambda, float temperature) {
        this.n = n;
        this.teacher = label < 0 ? null : teacher;
        this.lambda = lambda;
        this.temperature = temperature;
        ExitKernel.pool(x, n, d, pool);
        ExitKernel.probabilities(p, pool, probs);
        if (label < 0) {
            return 0f;
        }
        float ce = (float) -Math.log(Math.max(probs[label], 1e-30f));
        if (this.teacher == null) {
            return ce;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float z = p.bias[c];
            for (int k = 0; k < d; k++) {
                z += p.weight[c * d + k] * pool[k];
            }
            logits[c] = z / temperature;
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[c] - max);
        }
        double logSum = max + Math.log(sum), kl = 0;
        for (int c = 0; c < classes; c++) {
            double logPt = logits[c] - logSum;
            probsT[c] = (float) Math.exp(logPt);
            if (teacher[c] > 0) {
                kl += teacher[c] * (Math.log(teacher[c]) - logPt);
            }
        }
        return (float) ((1 - lambda) * ce + lambda * temperature * temperature * kl);
    }

    /** ADDS dL/dx for loss {@code weight·L} (L as in the last {@link #forward}) into dx. */
    public void backward(int label, float weight, float[] dx, LinearParams grad) {
        if (teacher == null) {
            for (int c = 0; c < classes; c++) {
                dLogits[c] = weight * (probs[c] - (c == label ? 1f : 0f));
            }
        } else {
            for (int c = 0; c < classes; c++) {
                dLogits[c] = weight * ((1 - lambda) * (probs[c] - (c == label ? 1f : 0f))
                        + lambda * temperature * (probsT[c] - teacher[c]));
            }
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
