package dev.beex.model.engine;

import dev.beex.model.BitPacking;
import dev.beex.model.LinearParams;
import dev.beex.model.ModelParams;
import dev.beex.model.kernels.ExitKernel;
import dev.beex.model.text.LexicalFeatures;

/**
 * The engine side of the lexical path (model/README.md, "Lexical path"): hashed features of the
 * text, the lexical vector {@code lex = (1/m) Σ_f α_{r_f}·sign(E_{r_f})} from the bit-packed
 * table (each sign bit selects +α or −α: no multiplication), and exit 0's float head on it.
 * The feature loop, the summation order and the final scaling are the training path's
 * ({@code nn.LexicalPath}), and α is the training path's {@code mean_k |±α_r|}, so both agree
 * bit for bit. Per engine (scratch owned, NOT thread-safe); the {@link Weights} are shared.
 */
final class LexicalExit {

    /** Immutable compiled weights, shared by every engine of a model. */
    static final class Weights {
        final int buckets;
        final int dim;
        /** Bit-packed table (binary models); null when {@link #table} is used. */
        final BinaryMatrix bits;
        /** Row scales as the training path recomputes them from the decoded rows; null for float tables. */
        final float[] alpha;
        /** Float table {@code [B][D]} (float models and the float baseline); null for bit-packed ones. */
        final float[] table;
        final LinearParams head;

        Weights(PackedParams p, boolean packed) {
            ModelParams m = p.decoded();
            this.buckets = m.config.lexBuckets();
            this.dim = m.config.lexDim();
            this.bits = packed ? p.lexTable() : null;
            this.alpha = packed ? BinaryLinear.effectiveAlpha(bits.alpha, bits.cols) : null;
            this.table = packed ? null : m.lexTable.clone();
            this.head = new LinearParams(m.lexHead.in, m.lexHead.out, false, 0f);
            System.arraycopy(m.lexHead.weight, 0, head.weight, 0, head.weight.length);
            System.arraycopy(m.lexHead.bias, 0, head.bias, 0, head.bias.length);
        }
    }

    private final Weights w;
    private final LexicalFeatures features;
    private final float[] lex;

    LexicalExit(Weights weights) {
        this.w = weights;
        this.features = new LexicalFeatures(weights.buckets);
        this.lex = new float[weights.dim];
    }

    /** Computes the lexical vector of {@code text}; returns the number of features. */
    int prepare(String text) {
        int m = features.extract(text);
        int[] rows = features.features();
        int d = w.dim;
        java.util.Arrays.fill(lex, 0f);
        if (w.bits != null) {
            long[] bits = w.bits.bits;
            int words = w.bits.words;
            for (int f = 0; f < m; f++) {
                int r = rows[f], wo = r * words;
                BitPacking.addScaledSigns(bits, wo, d, w.alpha[r], lex, 0);
            }
        } else {
            float[] t = w.table;
            for (int f = 0; f < m; f++) {
                int o = rows[f] * d;
                for (int k = 0; k < d; k++) {
                    lex[k] += t[o + k];
                }
            }
        }
        float inv = 1f / m;
        for (int k = 0; k < d; k++) {
            lex[k] *= inv;
        }
        return m;
    }

    /** Exit 0: softmax of the head on the last prepared lexical vector into {@code probs}. */
    void exitProbabilities(float[] probs) {
        ExitKernel.probabilities(w.head, lex, probs);
    }

    /** Copies the lexical vector into {@code headInput[offset..offset+D)} (the block exits' second input). */
    void appendTo(float[] headInput, int offset) {
        System.arraycopy(lex, 0, headInput, offset, w.dim);
    }
}
