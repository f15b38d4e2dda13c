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

    /**
     * Binarizes rows {@code x[t·length .. (t+1)·length)} for {@code t < n} around {@code shift}.
     * One pass per row computes β (summed in index order, as {@code Kernels.actScale}) and the
     * bits, branch-free: the bit is the sign bit of {@code (x − c) + 0f}, where adding +0
     * turns −0 into +0 so that zero binarizes to +1 ({@link BitPacking#bit}).
     */
    void pack(float[] x, int n, int length, float shift) {
        int w = BitPacking.words(length);
        this.words = w;
        this.length = length;
        for (int t = 0; t < n; t++) {
            int k = t * length;
            int end = k + length;
            int dst = t * w;
            float sum = 0f;
            while (k < end) {
                int stop = Math.min(end, k + 64);
                long word = 0L;
                for (int b = 0; k < stop; k++, b++) {
                    float u = x[k] - shift;
                    sum += Math.abs(u);
                    word |= (long) (Float.floatToRawIntBits(u + 0f) >>> 31) << b;
                }
                bits[dst++] = word;
            }
            beta[t] = sum / length;
        }
    }
}
