package dev.beex.model.kernels;

import java.util.Arrays;

/**
 * Float matrix products in the i-k-j order, shared by the training path and the engine so both
 * round alike. Operands: A flat with a row stride ({@code a[aOff + i·aStride + k]}), B as row
 * arrays from row {@code bFirst} ({@code b[bFirst + k][j]}), C flat with a row stride; the shape
 * is {@code rows × inner} times {@code inner × cols}.
 *
 * <p>Why row arrays and a row accumulator: HotSpot (17) only vectorizes the inner loop when every
 * array in it is indexed by the bare loop index, so each C row is accumulated in this object's
 * scratch. Rounding order per element: {@code acc += ((a0·b0 + a1·b1) + a2·b2) + a3·b3} for k in
 * groups of four, then single terms for the remainder. Sums of ±1 products are exact.
 *
 * <p>Not thread-safe: one per owner of other scratch (an engine, a layer).
 */
public final class MatMul {
    private final float[] acc;

    /** @param maxCols the widest C this instance multiplies into */
    public MatMul(int maxCols) {
        this.acc = new float[maxCols];
    }

    /** {@code C = A·B}. */
    public void multiply(float[] a, int aOff, int aStride, float[][] b, int bFirst,
                         float[] c, int cOff, int cStride, int rows, int inner, int cols) {
        run(a, aOff, aStride, 1, b, bFirst, c, cOff, cStride, rows, inner, cols, false);
    }

    /** {@code C += A·B}. */
    public void multiplyAdd(float[] a, int aOff, int aStride, float[][] b, int bFirst,
                            float[] c, int cOff, int cStride, int rows, int inner, int cols) {
        run(a, aOff, aStride, 1, b, bFirst, c, cOff, cStride, rows, inner, cols, true);
    }

    /**
     * {@code C += Aᵀ·B} where A is stored {@code inner × rows} ({@code a[aOff + k·aStride + i]}):
     * the weight gradient {@code dyᵀ·x} without transposing dy.
     */
    public void multiplyTransposedAdd(float[] a, int aOff, int aStride, float[][] b, int bFirst,
                                      float[] c, int cOff, int cStride, int rows, int inner, int cols) {
        run(a, aOff, 1, aStride, b, bFirst, c, cOff, cStride, rows, inner, cols, true);
    }

    /** Element (i, k) of A is {@code a[aOff + i·aRow + k·aCol]}: a transposed A costs nothing. */
    private void run(float[] a, int aOff, int aRow, int aCol, float[][] b, int bFirst,
                     float[] c, int cOff, int cStride, int rows, int inner, int cols, boolean accumulate) {
        for (int i = 0; i < rows; i++) {
            int ci = cOff + i * cStride;
            if (accumulate) {
                System.arraycopy(c, ci, acc, 0, cols);
            } else {
                Arrays.fill(acc, 0, cols, 0f);
            }
            int ai = aOff + i * aRow;
            int k = 0;
            for (; k + 3 < inner; k += 4) {
                int bk = bFirst + k;
                axpy4(acc, a[ai + k * aCol], b[bk], a[ai + (k + 1) * aCol], b[bk + 1],
                        a[ai + (k + 2) * aCol], b[bk + 2], a[ai + (k + 3) * aCol], b[bk + 3], cols);
            }
            for (; k < inner; k++) {
                axpy(acc, a[ai + k * aCol], b[bFirst + k], cols);
            }
            System.arraycopy(acc, 0, c, ci, cols);
        }
    }

    private static void axpy4(float[] acc, float a0, float[] b0, float a1, float[] b1, float a2, float[] b2,
                              float a3, float[] b3, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
    }

    private static void axpy(float[] acc, float a0, float[] b0, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] += a0 * b0[j];
        }
    }

    /** Copies {@code rows} rows of length n from flat {@code src} (row stride {@code stride}) into B's row arrays. */
    public static void toRows(float[] src, int off, int stride, int rows, int n, float[][] dst, int dstFirst) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, off + r * stride, dst[dstFirst + r], 0, n);
        }
    }
}
