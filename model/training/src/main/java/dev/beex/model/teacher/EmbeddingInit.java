package dev.beex.model.teacher;

import dev.beex.model.ModelParams;
import dev.beex.model.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Model2vec-style initialization of the token embedding table: each learned term's row becomes
 * the teacher's embedding of that term alone, reduced to the model width d by PCA over the
 * vocabulary's teacher vectors, scaled so that the table's mean |E| equals {@link #TARGET_MEAN_ABS}.
 * In binary precision the row is then used as {@code α_r·sign(E_r)}: the signs of the principal
 * coordinates keep the teacher's neighbourhoods (similar words share most signs). Rows the cache
 * has no vector for ([UNK], [NUM], character buckets, unseen terms) keep their random start.
 */
public final class EmbeddingInit {
    /**
     * Mean |E| of the initialized rows: six times that of the random start (uniform ±0.1), so the
     * latent values sit farther from zero and Adam's steps flip the teacher's signs later. Chosen on
     * the sentences dev split (3 seeds, with distillation): 0.05 gave 0.819, 0.3 gave 0.836.
     */
    public static final float TARGET_MEAN_ABS = 0.3f;

    private EmbeddingInit() {
    }

    /** What {@link #apply} did. */
    public record Report(int rowsSet, int vocabulary, double explainedVariance) {
    }

    public static Report apply(ModelParams params, Tokenizer tokenizer, Map<String, float[]> termVectors) {
        int d = params.config.dim();
        List<String> terms = tokenizer.learnedTerms();
        int first = Tokenizer.FIRST_BUCKET + tokenizer.hashBuckets();
        List<float[]> found = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            float[] v = termVectors.get(terms.get(i));
            if (v != null) {
                found.add(v);
                ids.add(first + i);
            }
        }
        if (found.size() <= d) {
            return new Report(0, tokenizer.vocabSize(), 0);   // too few vectors for a d-dimensional basis
        }
        float[][] rows = found.toArray(new float[0][]);
        Pca pca = Pca.fit(rows, d);
        float[][] projected = new float[rows.length][d];
        double sumAbs = 0;
        for (int i = 0; i < rows.length; i++) {
            pca.project(rows[i], projected[i]);
            for (float v : projected[i]) {
                sumAbs += Math.abs(v);
            }
        }
        float scale = (float) (TARGET_MEAN_ABS / (sumAbs / ((double) rows.length * d)));
        float[] e = params.tokenEmbedding;
        for (int i = 0; i < rows.length; i++) {
            int off = ids.get(i) * d;
            for (int k = 0; k < d; k++) {
                e[off + k] = Math.max(-1f, Math.min(1f, projected[i][k] * scale));
            }
        }
        double kept = 0;
        for (int i = 0; i < d; i++) {
            kept += pca.eigenvalue(i);
        }
        return new Report(rows.length, tokenizer.vocabSize(), kept / totalVariance(rows));
    }

    private static double totalVariance(float[][] rows) {
        int dim = rows[0].length;
        double total = 0;
        for (int j = 0; j < dim; j++) {
            double mean = 0;
            for (float[] r : rows) {
                mean += r[j];
            }
            mean /= rows.length;
            for (float[] r : rows) {
                total += (r[j] - mean) * (r[j] - mean);
            }
        }
        return total / (rows.length - 1);
    }
}
