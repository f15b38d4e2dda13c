package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;
import dev.beex.model.kernels.MatMul;

import dev.beex.model.BitPacking;
import dev.beex.model.LinearParams;

/**
 * One linear layer's weights as the forward and backward passes read them, derived from the
 * latent {@link LinearParams} once per optimizer step and shared read-only by all threads.
 * Binarized: {@code wb = B(W)} as rows {@code [out][in]} and transposed rows {@code [in][out]},
 * α_o = mean|W_o|, {@code foldedBias_o = b_o + c·(α_o·Σ_k wb_ok)}. Float: W and Wᵀ as rows.
 * (Row arrays, not one flat array: see {@link MatMul}.)
 */
public final class LinearWeights {
    public final LinearParams params;
    final float[][] rows;        // [out][in]
    final float[][] transposed;  // [in][out] (not kept up to date for binarized layers under SIGN)
    final float[] alpha;
    final float[] rowSum;
    final float[] foldedBias;
    /** B(W) packed by {@link BitPacking}, {@code words} longs per output row; read only under {@link Binarizer#SIGN}. */
    final long[] signBits;
    final int words;

    public LinearWeights(LinearParams params) {
        this.params = params;
        this.rows = new float[params.out][params.in];
        this.transposed = new float[params.in][params.out];
        this.alpha = params.binarized ? new float[params.out] : null;
        this.rowSum = params.binarized ? new float[params.out] : null;
        this.foldedBias = params.binarized ? new float[params.out] : null;
        this.words = BitPacking.words(params.in);
        this.signBits = params.binarized ? new long[params.out * words] : null;
    }

    /** Recomputes the derived arrays from the current latent weights. */
    public void refresh(Binarizer binarizer) {
        LinearParams p = params;
        int in = p.in, out = p.out;
        float[] w = p.weight;
        for (int o = 0; o < out; o++) {
            int row = o * in;
            float[] r = rows[o];
            if (p.binarized) {
                alpha[o] = Kernels.meanAbs(w, row, in);
                float sum = 0f;
                for (int k = 0; k < in; k++) {
                    float b = binarizer.apply(w[row + k]);
                    r[k] = b;
                    sum += b;
                }
                rowSum[o] = sum;
                BitPacking.pack(r, 0, in, 0f, signBits, o * words);
                foldedBias[o] = Kernels.foldedBias(p.bias[o], p.actShift, alpha[o], sum);
            } else {
                System.arraycopy(w, row, r, 0, in);
            }
        }
        if (p.binarized && binarizer == Binarizer.SIGN) {
            return;   // the sign forward uses signBits; only float and relaxed forwards read Wᵀ
        }
        for (int k = 0; k < in; k++) {
            float[] t = transposed[k];
            for (int o = 0; o < out; o++) {
                t[o] = rows[o][k];
            }
        }
    }
}
