package dev.beex.model.engine;

/**
 * Scratch for the binarized input of a layer: per token {@code t} the bits of
 * {@code sign(x_t − c)} (row {@code t} at word {@code t·words}, {@link BitPacking} conventions)
 * and the scale {@code β_t = mean_k |x_t,k − c|}. Sized once for the longest input; reused by
 * every layer that reads the same input (Q, K and V share one packing of x).
 */
final class PackedActivations {
    final long[] bits;
    final float[] beta;
    int words;
    int length;

    PackedActivations(int maxTokens, int maxLength) {
        this.bits = new long[maxTokens * BitPacking.words(maxLength)];
        this.beta = new float[maxTokens];
    }

    /** Binarizes rows {@code x[t·length .. (t+1)·length)} for {@code t < n} around {@code shift}. */
    void pack(float[] x, int n, int length, float shift) {
        int w = BitPacking.words(length);
        this.words = w;
        this.length = length;
        for (int t = 0; t < n; t++) {
            int off = t * length;
            float sum = 0f;
            for (int k = 0; k < length; k++) {
                sum += Math.abs(x[off + k] - shift);
            }
            beta[t] = sum / length;
            BitPacking.pack(x, off, length, shift, bits, t * w);
        }
    }
}
