package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;

/**
 * The lexical vector of a record: {@code lex = (1/m) Σ_f α_{r_f}·B(E_{r_f})} over its m hashed
 * feature rows r_f (repeats count), with {@code α_r = mean_k |E_rk|} (binary precision) or
 * {@code lex = (1/m) Σ_f E_{r_f}} (float). B = sign when training and serving, ApproxSign in
 * gradient checks ({@link Binarizer}).
 *
 * <p>Backward with {@code g = dL/dlex}, per occurrence of row r:
 * {@code dα_r = (1/m) Σ_k g_k B(E_rk)}, {@code dE_rk += (1/m) g_k α_r F'(E_rk) + dα_r·sign(E_rk)/D}
 * (float: {@code dE_r += g/m}). Only the touched rows receive gradient; they are recorded so the
 * trainer zeroes, reduces and updates those rows alone (sparse, lazy updates).
 */
public final class LexicalPath {
    private final float[] table;
    private final Binarizer binarizer;
    private final int dim;
    private final boolean binary;
    private int[] rows;
    private int m;
    /** Rows this instance has added gradient to since {@link #clearTouched}: mark + list. */
    private final boolean[] touchedMark;
    private final int[] touched;
    private int touchedCount;

    public LexicalPath(float[] table, int buckets, int dim, boolean binary, Binarizer binarizer) {
        this.table = table;
        this.dim = dim;
        this.binary = binary;
        this.binarizer = binarizer;
        this.touchedMark = new boolean[buckets];
        this.touched = new int[buckets];
    }

    /** Writes the lexical vector of feature rows {@code rows[0..m)} into {@code lex[0..D)}. */
    public void forward(int[] rows, int m, float[] lex) {
        this.rows = rows;
        this.m = m;
        java.util.Arrays.fill(lex, 0, dim, 0f);
        for (int f = 0; f < m; f++) {
            int o = rows[f] * dim;
            if (binary) {
                float alpha = Kernels.meanAbs(table, o, dim);
                for (int k = 0; k < dim; k++) {
                    lex[k] += alpha * binarizer.apply(table[o + k]);
                }
            } else {
                for (int k = 0; k < dim; k++) {
                    lex[k] += table[o + k];
                }
            }
        }
        float inv = 1f / m;
        for (int k = 0; k < dim; k++) {
            lex[k] *= inv;
        }
    }

    /** Adds dL/dE of the last forward into {@code gradTable}, given {@code dLex = dL/dlex}. */
    public void backward(float[] dLex, float[] gradTable) {
        float inv = 1f / m;
        for (int f = 0; f < m; f++) {
            int r = rows[f], o = r * dim;
            if (!touchedMark[r]) {
                touchedMark[r] = true;
                touched[touchedCount++] = r;
            }
            if (binary) {
                float alpha = Kernels.meanAbs(table, o, dim);
                float dAlpha = 0f;
                for (int k = 0; k < dim; k++) {
                    dAlpha += dLex[k] * binarizer.apply(table[o + k]);
                }
                dAlpha *= inv / dim;
                for (int k = 0; k < dim; k++) {
                    float w = table[o + k];
                    gradTable[o + k] += dLex[k] * inv * alpha * ApproxSign.grad(w) + dAlpha * Kernels.sign(w);
                }
            } else {
                for (int k = 0; k < dim; k++) {
                    gradTable[o + k] += dLex[k] * inv;
                }
            }
        }
    }

    /** Rows touched by {@link #backward} since the last {@link #clearTouched}: entries {@code [0, touchedCount())}. */
    public int[] touchedRows() {
        return touched;
    }

    public int touchedCount() {
        return touchedCount;
    }

    public void clearTouched() {
        for (int i = 0; i < touchedCount; i++) {
            touchedMark[touched[i]] = false;
        }
        touchedCount = 0;
    }
}
