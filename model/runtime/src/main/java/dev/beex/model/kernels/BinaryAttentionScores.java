package dev.beex.model.kernels;

import dev.beex.model.BitPacking;

/**
 * Binarized attention scores (model/README.md, "Binarized attention scores"): per head h,
 * {@code s_ij = τ · Σ_c sign(q_ic)·sign(k_jc)} over the head's dh columns, τ = 1/sqrt(dh).
 * The ±1 dot is {@code dh − 2·popcount(q_bits XOR k_bits)} ({@link BitPacking}), so a score is one
 * of dh + 1 values and the softmax needs no exp per element: {@code exp(s_ij − max_j s_ij)} is
 * {@code table[(maxDot − dot_ij)/2]} (dots of one head have the parity of dh, so the gap is even).
 * Training (sign) and the engine both call {@link #softmaxRow}, so both round alike.
 */
public final class BinaryAttentionScores {
    private BinaryAttentionScores() {
    }

    /** {@code table[t] = exp(−2·t·τ)} for t = 0..dh: every value {@code exp(s − max s)} can take. */
    public static float[] expTable(int headDim) {
        float scale = Kernels.attentionScale(headDim);
        float[] table = new float[headDim + 1];
        for (int t = 0; t <= headDim; t++) {
            table[t] = Kernels.exp(-2f * t * scale);
        }
        return table;
    }

    /**
     * Packs the signs of every token's head slices: head h of token j goes to
     * {@code bits[(h·n + j)·words(dh) ..]}.
     */
    public static void packHeads(float[] x, int n, int d, int heads, long[] bits) {
        int dh = d / heads, words = BitPacking.words(dh);
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < n; j++) {
                BitPacking.pack(x, j * d + h * dh, dh, 0f, bits, (h * n + j) * words);
            }
        }
    }

    /**
     * The ±1 dots of query i of head h with every key: {@code dots[j] = Σ_c sign(q_ic)·sign(k_jc)},
     * from the packed heads of {@link #packHeads}.
     */
    public static void dots(long[] qBits, long[] kBits, int h, int i, int n, int dh, int[] dots) {
        int words = BitPacking.words(dh);
        int qo = (h * n + i) * words, ko = h * n * words;
        if (words == 1) {
            long qw = qBits[qo];
            for (int j = 0; j < n; j++) {
                dots[j] = dh - 2 * Long.bitCount(qw ^ kBits[ko + j]);
            }
        } else {
            for (int j = 0; j < n; j++) {
                dots[j] = BitPacking.dot(qBits, qo, kBits, ko + j * words, dh);
            }
        }
    }

    /**
     * {@code probs[off + j] = softmax_j(τ·dots[j])} from the table: the exps are looked up, then
     * summed in j order and scaled by 1/sum (the order of {@link Kernels#softmax}).
     */
    public static void softmaxRow(int[] dots, int n, float[] table, float[] probs, int off) {
        int max = dots[0];
        for (int j = 1; j < n; j++) {
            if (dots[j] > max) {
                max = dots[j];
            }
        }
        float sum = 0f;
        for (int j = 0; j < n; j++) {
            float e = table[(max - dots[j]) >>> 1];
            probs[off + j] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int j = 0; j < n; j++) {
            probs[off + j] *= inv;
        }
    }
}
