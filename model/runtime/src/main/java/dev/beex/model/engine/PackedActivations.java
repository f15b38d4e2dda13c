package dev.beex.model.engine;

import dev.beex.model.BitPacking;
import dev.beex.model.kernels.Kernels;

/**
 * Scratch for the binarized input of a layer: per token {@code t} the bits of
 * {@code sign(x_t − c)} (row {@code t} at word {@code t·words}, {@link BitPacking} conventions)
 * and the scale {@code β_t = mean_k |x_t,k − c|}. Sized once for the longest input; reused by
 * every layer that reads the same input (Q, K and V share one packing of x). It records the
 * shift it was packed around, so a layer binarizing around another shift can refuse it.
 */
final class PackedActivations {
    final long[] bits;
    final float[] beta;
    /** Per-row scratch of {@link BitKernel#COLUMNS} layers (outputs up to maxOut wide). */
    final int[] counts;
    final float[] row;
    int words;
    int length;
    /** The shift c of the last {@link #pack}. */
    float shift;

    PackedActivations(int maxTokens, int maxLength) {
        this(maxTokens, maxLength, maxLength);
    }

    /** {@code maxOut}: the widest output of a layer reading this scratch. */
    PackedActivations(int maxTokens, int maxLength, int maxOut) {
        this.bits = new long[maxTokens * BitPacking.words(maxLength)];
        this.beta = new float[maxTokens];
        this.counts = new int[maxOut];
        this.row = new float[maxOut];
    }

    /**
     * Binarizes rows {@code x[t·length .. (t+1)·length)} for {@code t < n} around {@code shift}:
     * the bits ({@link BitPacking#bit}, branch-free), and
     * β = mean|x − c| summed exactly as the training path's {@link Kernels#actScale} (four
     * partial sums over k mod 4, then {@code (s0 + s1) + (s2 + s3)}), so both round alike.
     * When the length is a multiple of 4 both come from one pass, four elements per step.
     */
    void pack(float[] x, int n, int length, float shift) {
        int w = BitPacking.words(length);
        this.words = w;
        this.length = length;
        this.shift = shift;
        for (int t = 0; t < n; t++) {
            int row = t * length;
            if ((length & 3) == 0) {
                beta[t] = packRow4(x, row, length, shift, t * w);
            } else {
                beta[t] = Kernels.actScale(x, row, length, shift);
                BitPacking.pack(x, row, length, shift, bits, t * w);
            }
        }
    }

    /** Bits and β of one row whose length is a multiple of 4 (same sums as Kernels.actScale). */
    private float packRow4(float[] x, int row, int length, float shift, int dst) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        for (int k = 0; k < length; k += 64) {
            int count = Math.min(64, length - k);
            long word = 0L;
            for (int b = 0, i = row + k; b < count; b += 4, i += 4) {
                float u0 = x[i] - shift, u1 = x[i + 1] - shift, u2 = x[i + 2] - shift, u3 = x[i + 3] - shift;
                s0 += Math.abs(u0);
                s1 += Math.abs(u1);
                s2 += Math.abs(u2);
                s3 += Math.abs(u3);
                long nibble = BitPacking.bit(u0) | BitPacking.bit(u1) << 1
                        | BitPacking.bit(u2) << 2 | BitPacking.bit(u3) << 3;
                word |= nibble << b;
            }
            bits[dst++] = word;
        }
        return ((s0 + s1) + (s2 + s3)) / length;
    }

}
