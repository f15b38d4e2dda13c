package dev.beex.model.train;

import dev.beex.model.nn.LexicalPath;
import java.util.Arrays;

/**
 * The sparse, lazy update of the lexical table: per step, the union of the rows the workers'
 * lexical paths touched (sorted, so sums and norms do not depend on scheduling) is the only
 * part of the table that is reduced, clipped, updated by Adam and zeroed again. A step over 32
 * records touches a few thousand of the 2^15 rows instead of all of them.
 */
final class SparseRows {
    /** Index of the lexical table among the parameter tensors. */
    final int tensor;
    private final int width;
    private final boolean[] mark;
    private final int[] rows;
    private int count;

    SparseRows(int tensor, int buckets, int width) {
        this.tensor = tensor;
        this.width = width;
        this.mark = new boolean[buckets];
        this.rows = new int[buckets];
    }

    /** Gathers (and clears) the workers' touched rows into this step's sorted union. */
    void collect(Trainer.Worker[] workers) {
        count = 0;
        for (Trainer.Worker w : workers) {
            LexicalPath p = w.lexicalPath();
            int[] t = p.touchedRows();
            for (int i = 0, n = p.touchedCount(); i < n; i++) {
                int r = t[i];
                if (!mark[r]) {
                    mark[r] = true;
                    rows[count++] = r;
                }
            }
            p.clearTouched();
        }
        Arrays.sort(rows, 0, count);
        for (int i = 0; i < count; i++) {
            mark[rows[i]] = false;
        }
    }

    private int from(int part, int threads) {
        return (int) ((long) count * part / threads);
    }

    /** Sums the workers' gradients of this thread's share of the rows into worker 0's; returns their squared norm. */
    double reduce(Trainer.Worker[] workers, int part, int threads) {
        float[] g0 = workers[0].lexGrad();
        double s = 0;
        for (int i = from(part, threads), to = from(part + 1, threads); i < to; i++) {
            int o = rows[i] * width;
            for (int w = 1; w < workers.length; w++) {
                float[] gw = workers[w].lexGrad();
                for (int k = o; k < o + width; k++) {
                    g0[k] += gw[k];
                }
            }
            for (int k = o; k < o + width; k++) {
                s += (double) g0[k] * g0[k];
            }
        }
        return s;
    }

    /** Lazy Adam on this thread's share of the rows, then zeroes those rows in every worker's gradient. */
    void update(Adam adam, Trainer.Worker[] workers, int part, int threads, int step, float lr, float weightDecay,
                float gradScale) {
        int a = from(part, threads), b = from(part + 1, threads);
        adam.updateRows(tensor, workers[0].lexGrad(), rows, a, b, width, step, lr, weightDecay, gradScale);
        for (Trainer.Worker w : workers) {
            float[] g = w.lexGrad();
            for (int i = a; i < b; i++) {
                Arrays.fill(g, rows[i] * width, rows[i] * width + width, 0f);
            }
        }
    }
}
