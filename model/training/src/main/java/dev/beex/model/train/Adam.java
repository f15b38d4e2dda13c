package dev.beex.model.train;

import dev.beex.model.Tensor;
import java.util.List;

/**
 * Adam (with optional decoupled weight decay) over a {@code ModelParams}' tensors. After each
 * update, latent binarized weights are clipped to [-1, 1]: beyond ±1 ApproxSign's F' is 0, so
 * a weight there would never come back. Element ranges let several threads share one update.
 */
final class Adam {
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final List<Tensor> params;
    private final float[][] m;
    private final float[][] v;
    private final boolean[] decay;

    Adam(List<Tensor> params) {
        this.params = params;
        this.m = new float[params.size()][];
        this.v = new float[params.size()][];
        this.decay = new boolean[params.size()];
        for (int i = 0; i < params.size(); i++) {
            Tensor t = params.get(i);
            m[i] = new float[t.data().length];
            v[i] = new float[t.data().length];
            // decay float matrices only: not biases, LayerNorm or embeddings, and not latent binary weights
            decay[i] = !t.binarized() && t.name().endsWith(".weight");
        }
    }

    /**
     * Updates elements {@code [from, to)} of tensor {@code index} with gradient {@code g}
     * (already scaled by the clip factor). {@code step} is 1-based.
     */
    void update(int index, float[] g, int from, int to, int step, float lr, float weightDecay, float gradScale) {
        float c1 = (float) (1.0 / (1.0 - Math.pow(BETA1, step)));
        float c2 = (float) (1.0 / (1.0 - Math.pow(BETA2, step)));
        update(index, g, from, to, c1, c2, lr, weightDecay, gradScale);
    }

    /**
     * Lazy Adam over rows {@code rows[from..to)} (each {@code width} elements) of tensor
     * {@code index}: only rows that received gradient this step are updated, their moments
     * included; untouched rows keep parameters and moments (as TensorFlow's LazyAdam).
     */
    void updateRows(int index, float[] g, int[] rows, int from, int to, int width, int step, float lr,
                    float weightDecay, float gradScale) {
        float c1 = (float) (1.0 / (1.0 - Math.pow(BETA1, step)));
        float c2 = (float) (1.0 / (1.0 - Math.pow(BETA2, step)));
        for (int i = from; i < to; i++) {
            int o = rows[i] * width;
            update(index, g, o, o + width, c1, c2, lr, weightDecay, gradScale);
        }
    }

    private void update(int index, float[] g, int from, int to, float c1, float c2, float lr, float weightDecay,
                        float gradScale) {
        Tensor t = params.get(index);
        float[] p = t.data(), mi = m[index], vi = v[index];
        float wd = decay[index] ? lr * weightDecay : 0f;
        boolean clip = t.binarized();
        for (int k = from; k < to; k++) {
            float gk = g[k] * gradScale;
            float mk = BETA1 * mi[k] + (1f - BETA1) * gk;
            float vk = BETA2 * vi[k] + (1f - BETA2) * gk * gk;
            mi[k] = mk;
            vi[k] = vk;
            float pk = p[k] - wd * p[k] - lr * (mk * c1) / ((float) Math.sqrt(vk * c2) + EPSILON);
            if (clip) {
                pk = Math.max(-1f, Math.min(1f, pk));
            }
            p[k] = pk;
        }
    }
}
