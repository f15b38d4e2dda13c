package dev.beex.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/**
 * The lexical path's backward against central finite differences of its relaxed forward
 * (sign replaced by ApproxSign, α = mean|E_r| differentiated too), with a repeated feature row
 * (its gradient sums two occurrences), and the record of touched rows the sparse update uses.
 */
class LexicalPathGradTest {
    private static final Runnable NOTHING = () -> { };

    @Test
    void binarizedTable() {
        check(true);
    }

    @Test
    void floatTable() {
        check(false);
    }

    private void check(boolean binary) {
        int buckets = 7, dim = 6;
        Rng rng = new Rng(71);
        float[] table = GradCheck.random(rng, buckets * dim, 0.9f, 0.02f);
        float[] grad = new float[table.length];
        int[] rows = {3, 0, 3, 5};
        int m = rows.length;
        float[] r = GradCheck.random(rng, dim, 1f, 0f);
        LexicalPath path = new LexicalPath(table, buckets, dim, binary, Binarizer.RELAXED);
        float[] lex = new float[dim];
        path.forward(rows, m, lex);
        path.backward(r, grad);
        DoubleSupplier loss = () -> {
            path.forward(rows, m, lex);
            return GradCheck.dot(r, lex, dim);
        };
        // only the touched rows (0, 3, 5) carry gradient; check those coordinates and that the rest stay 0
        for (int row : new int[] {0, 3, 5}) {
            float[] slice = java.util.Arrays.copyOfRange(table, row * dim, row * dim + dim);
            float[] gslice = java.util.Arrays.copyOfRange(grad, row * dim, row * dim + dim);
            int at = row;
            DoubleSupplier sliceLoss = () -> {
                System.arraycopy(slice, 0, table, at * dim, dim);
                return loss.getAsDouble();
            };
            GradCheck.check("lex.table[" + row + "]", slice, gslice, sliceLoss, NOTHING, dim);
            System.arraycopy(slice, 0, table, row * dim, dim);
        }
        for (int row : new int[] {1, 2, 4, 6}) {
            for (int k = 0; k < dim; k++) {
                assertThat(grad[row * dim + k]).isZero();
            }
        }
        assertThat(path.touchedCount()).isEqualTo(3);
        assertThat(java.util.Arrays.copyOf(path.touchedRows(), 3)).containsExactly(3, 0, 5);
        path.clearTouched();
        assertThat(path.touchedCount()).isZero();
    }
}
