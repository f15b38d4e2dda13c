package dev.beex.model.nn;

import dev.beex.model.LinearParams;
import dev.beex.model.kernels.ExitKernel;

/**
 * An exit classifier. Its input u is {@code [pool ; lex]}: {@code pool = (1/n) Σ_j x_j} over the
 * block output's n tokens (width {@code poolDim}; 0 for the lexical exit 0), then the lexical
 * vector (width {@code in − poolDim}; 0 for the paper network). {@code logits = W·u + b},
 * {@code p = softmax(logits)}; loss {@code −log p_y}. Backward with weight w:
 * {@code dlogits = w (p − onehot_y)}, {@code dW += dlogits ⊗ u}, {@code db += dlogits},
 * {@code du = Wᵀ dlogits}: {@code dx_j += du[0..poolDim)/n} for every token j,
 * {@code dlex += du[poolDim..in)}.
 *
 * <p>With a teacher distribution {@code q} (the teacher's probabilities at temperature T), the
 * loss is {@code (1−λ)·CE + λ·T²·KL(q ‖ softmax(logits/T))} and
 * {@code dlogits = w [(1−λ)(p − onehot_y) + λ·T·(softmax(logits/T) − q)]} (the T² keeps the
 * soft term's gradient on the scale of the hard one, as in Hinton et al.'s distillation); the
 * rest of the backward is unchanged.
 */
public final class ExitHead {
    private final LinearParams p;
    private final int in;
    private final int poolDim;
    private final int classes;
    final float[] input;
    final float[] probs;
    private final float[] dLogits;
    private final float[] dInput;
    private final float[] logits;
    private final float[] probsT;
    private int n;
    private float[] teacher;   // null: plain cross-entropy
    private float lambda;
    private float temperature;

    /** A head on the pooled block output only (the paper network). */
    public ExitHead(LinearParams params) {
        this(params, params.in);
    }

    public ExitHead(LinearParams params, int poolDim) {
        this.p = params;
        this.in = params.in;
        this.poolDim = poolDim;
        this.classes = params.out;
        this.input = new float[in];
        this.probs = new float[classes];
        this.dLogits = new float[classes];
        this.dInput = new float[in];
        this.logits = new float[classes];
        this.probsT = new float[classes];
    }

    /**
     * Fills {@link #probs} from block output {@code x} (n tokens; unused when poolDim is 0) and
     * the lexical vector {@code lex} (unused when the head has no lexical input); returns
     * −log p_label (0 when label &lt; 0).
     */
    public float forward(float[] x, int n, float[] lex, int label) {
        return forward(x, n, lex, label, null, 0f, 1f);
    }

    /**
     * As {@link #forward(float[], int, float[], int)}, but returns
     * {@code (1−λ)·CE + λ·T²·KL(q ‖ softmax(logits/T))} with {@code q = teacher}, or the plain CE
     * when {@code teacher} is null (0 when label &lt; 0). {@link #backward} differentiates the same loss.
     */
    public float forward(float[] x, int n, float[] lex, int label, float[] teacher, float lambda,
                         float temperature) {
        this.n = n;
        this.teacher = label < 0 ? null : teacher;
        this.lambda = lambda;
        this.temperature = temperature;
        if (poolDim > 0) {
            ExitKernel.pool(x, n, poolDim, input);
        }
        if (in > poolDim) {
            System.arraycopy(lex, 0, input, poolDim, in - poolDim);
        }
        ExitKernel.probabilities(p, input, probs);
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
            for (int k = 0; k < in; k++) {
                z += p.weight[c * in + k] * input[k];
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

    /**
     * ADDS dL/dx (block output) into dx and dL/dlex into dLex for loss {@code weight·L}
     * (L as in the last {@link #forward}: CE, or with the distillation term).
     */
    public void backward(int label, float weight, float[] dx, float[] dLex, LinearParams grad) {
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
        for (int c = 0; c < classes; c++) {
            float g = dLogits[c];
            int r = c * in;
            grad.bias[c] += g;
            for (int k = 0; k < in; k++) {
                grad.weight[r + k] += g * input[k];
            }
        }
        for (int k = 0; k < in; k++) {
            float s = 0f;
            for (int c = 0; c < classes; c++) {
                s += p.weight[c * in + k] * dLogits[c];
            }
            dInput[k] = s;
        }
        float invN = 1f / n;
        for (int k = 0; k < poolDim; k++) {
            dInput[k] *= invN;
        }
        for (int j = 0; j < n && poolDim > 0; j++) {
            int r = j * poolDim;
            for (int k = 0; k < poolDim; k++) {
                dx[r + k] += dInput[k];
            }
        }
        for (int k = poolDim; k < in; k++) {
            dLex[k - poolDim] += dInput[k];
        }
    }
}
