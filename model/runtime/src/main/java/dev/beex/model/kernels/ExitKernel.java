package dev.beex.model.kernels;

import dev.beex.model.LinearParams;

/** The exit classifier's forward, shared by the training path ({@code nn.ExitHead}) and the engine. */
public final class ExitKernel {
    private ExitKernel() {
    }

    /** Mean of the n token rows of {@code x} into {@code pool}. */
    public static void pool(float[] x, int n, int d, float[] pool) {
        java.util.Arrays.fill(pool, 0, d, 0f);
        for (int j = 0; j < n; j++) {
            int r = j * d;
            for (int k = 0; k < d; k++) {
                pool[k] += x[r + k];
            }
        }
        float inv = 1f / n;
        for (int k = 0; k < d; k++) {
            pool[k] *= inv;
        }
    }

    /** {@code out_c = b_c + Σ_k W[c][k]·pool[k]} then softmax. */
    public static void probabilities(LinearParams head, float[] pool, float[] out) {
        int d = head.in;
        for (int c = 0; c < head.out; c++) {
            float s = 0f;
            int r = c * d;
            for (int k = 0; k < d; k++) {
                s += head.weight[r + k] * pool[k];
            }
            out[c] = s + head.bias[c];
        }
        Kernels.softmax(out, 0, head.out);
    }
}
