package dev.beex.model.nn;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.text.LexicalFeatures;

/**
 * The training-path forward in evaluation mode (sign binarization, no dropout): the reference
 * the bit-packed engine is held to, and what δ calibration replays. Not thread-safe: one
 * instance per thread. The parameters must not change while it is in use.
 */
public final class ReferenceForward {
    private final Network network;
    private final int exits;
    private final int labels;
    private final LexicalFeatures features;

    public ReferenceForward(ModelParams params) {
        this.network = new Network(new PreparedModel(params, Binarizer.SIGN));
        this.exits = params.config.exits();
        this.labels = params.config.numLabels();
        this.features = params.config.lexical() ? new LexicalFeatures(params.config.lexBuckets()) : null;
    }

    public ModelConfig config() {
        return network.config();
    }

    /** Exit probabilities of the paper network after every block, {@code [exits][numLabels]} (fresh arrays). */
    public float[][] exitProbabilities(int[] ids, int n) {
        return exitProbabilities(ids, n, (String) null);
    }

    /**
     * Probabilities of every exit, {@code [exits][numLabels]} (fresh arrays); {@code text} gives
     * the lexical features (required for a lexical model, ignored otherwise).
     */
    public float[][] exitProbabilities(int[] ids, int n, String text) {
        float[][] out = new float[exits][labels];
        exitProbabilities(ids, n, text, out);
        return out;
    }

    /** As {@link #exitProbabilities(int[], int)} into caller-owned {@code out[exits][numLabels]}. */
    public void exitProbabilities(int[] ids, int n, float[][] out) {
        exitProbabilities(ids, n, (String) null, out);
    }

    /** As {@link #exitProbabilities(int[], int, String)} into caller-owned {@code out[exits][numLabels]}. */
    public void exitProbabilities(int[] ids, int n, String text, float[][] out) {
        if (features != null) {
            if (text == null) {
                throw new IllegalArgumentException("a lexical model needs the record's text");
            }
            int m = features.extract(text);
            network.forward(ids, n, features.features(), m, -1, null, 0f, null);
        } else {
            network.forward(ids, n, -1, null, 0f, null);
        }
        for (int e = 0; e < exits; e++) {
            System.arraycopy(network.probabilities(e), 0, out[e], 0, labels);
        }
    }
}
