package dev.beex.model.engine;

import dev.beex.model.BitPacking;
import dev.beex.model.kernels.Kernels;

/**
 * A binarized weight matrix {@code [rows][cols]}: the sign bits of every row packed by the
 * {@link BitPacking} conventions into one contiguous {@code long[]}, and one float scale per row
 * {@code α_r = mean_k |W[r][k]|}. It stands for the float matrix {@code α_r·sign(W[r][k])}.
 * Immutable once built; shared by every engine of a model.
 */
public final class BinaryMatrix {
    public final int rows;
    public final int cols;
    /** Longs per row, {@code BitPacking.words(cols)}. */
    public final int words;
    /** {@code [rows][words]}, padding bits 0. */
    public final long[] bits;
    /** {@code [rows]}. */
    public final float[] alpha;

    public BinaryMatrix(int rows, int cols, float[] alpha, long[] bits) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("binary matrix shape " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.words = BitPacking.words(cols);
        if (alpha.length != rows || bits.length != rows * words) {
            throw new IllegalArgumentException("binary matrix " + rows + "x" + cols + ": " + alpha.length
                    + " scales and " + bits.length + " words, expected " + rows + " and " + rows * words);
        }
        for (int r = 0; r < rows; r++) {
            if (!BitPacking.paddingIsZero(bits, r * words, cols)) {
                throw new IllegalArgumentException("binary matrix row " + r + " has non-zero padding bits");
            }
        }
        this.alpha = alpha;
        this.bits = bits;
    }

    /** Binarizes latent float weights {@code w[rows][cols]}: α per row and the sign bits. */
    public static BinaryMatrix binarize(float[] w, int rows, int cols) {
        if (w.length != rows * cols) {
            throw new IllegalArgumentException("weights of length " + w.length + " are not " + rows + "x" + cols);
        }
        int words = BitPacking.words(cols);
        long[] bits = new long[rows * words];
        float[] alpha = new float[rows];
        for (int r = 0; r < rows; r++) {
            alpha[r] = Kernels.meanAbs(w, r * cols, cols);   // as the training path
            BitPacking.pack(w, r * cols, cols, 0f, bits, r * words);
        }
        return new BinaryMatrix(rows, cols, alpha, bits);
    }

    /** ±1 of element {@code [r][k]}. */
    public int sign(int r, int k) {
        return BitPacking.signAt(bits, r * words, k);
    }

    /** {@code Σ_k sign(W[r][k])}. */
    public int signSum(int r) {
        return BitPacking.signSum(bits, r * words, cols);
    }

    /** Writes the float matrix this stands for, {@code α_r·sign(W[r][k])}, into {@code dst[rows][cols]}. */
    public void decodeInto(float[] dst) {
        for (int r = 0; r < rows; r++) {
            float a = alpha[r];
            for (int k = 0; k < cols; k++) {
                dst[r * cols + k] = BitPacking.scaledSign(bits, r * words, k, a);
            }
        }
    }
}
