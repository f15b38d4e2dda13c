package dev.beex.model.nn;

import dev.beex.model.LinearParams;

/**
 * One linear layer's weights as the forward pass reads them, derived from the latent
 * {@link LinearParams} once per optimizer step and shared read-only by all threads.
 * Binarized: {@code wb = B(W)} ([out][in] and transposed), α_o = mean|W_o|,
 * {@code foldedBias_o = b_o + c·(α_o·Σ_k wb_ok)}. Float: the transposed W.
 */
public final class LinearWeights {
    public final LinearParams params;
    final float[] wb;
    final float[] wbT;
    final float[] alpha;
    final float[] rowSum;
    final float[] foldedBias;

    public LinearWeights(LinearParams params) {
        this.params = params;
        this.wb = params.binarized ? new float[params.in * params.out] : null;
        this.wbT = new float[params.in * params.out];
        this.alpha = params.binarized ? new float[params.out] : null;
        this.rowSum = params.binarized ? new float[params.out] : null;
        this.foldedBias = params.binarized ? new float[params.out] : null;
    }

    /** Recomputes the derived arrays from the current latent weights. */
    public void refresh(Binarizer binarizer) {
        LinearParams p = params;
        int in = p.in, out = p.out;
        float[] w = p.weight;
        if (!p.binarized) {
            for (int o = 0; o < out; o++) {
                for (int k = 0; k < in; k++) {
                    wbT[k * out + o] = w[o * in + k];
                }
            }
            return;
        }
        for (int o = 0; o < out; o++) {
            int row = o * in;
            alpha[o] = Kernels.meanAbs(w, row, in);
            float sum = 0f;
            for (int k = 0; k < in; k++) {
                float b = binarizer.apply(w[row + k]);
                wb[row + k] = b;
                wbT[k * out + o] = b;
                sum += b;
            }
            rowSum[o] = sum;
            foldedBias[o] = Kernels.foldedBias(p.bias[o], p.actShift, alpha[o], sum);
        }
    }
}
