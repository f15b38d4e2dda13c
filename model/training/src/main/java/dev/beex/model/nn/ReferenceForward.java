package dev.beex.model.nn;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;

/**
 * The training-path forward in evaluation mode (sign binarization, no dropout): the reference
 * the bit-packed engine is held to, and what δ calibration replays. Not thread-safe: one
 * instance per thread. The parameters must not change while it is in use.
 */
public final class ReferenceForward {
    private final Network network;
    private final int blocks;
    private final int labels;

    public ReferenceForward(ModelParams params) {
        this.network = new Network(new PreparedModel(params, Binarizer.SIGN));
        this.blocks = params.config.blocks();
        this.labels = params.config.numLabels();
    }

    public ModelConfig config() {
        return network.config();
    }

    /** Exit probabilities after every block, {@code [blocks][numLabels]} (fresh arrays). */
    public float[][] exitProbabilities(int[] ids, int n) {
        float[][] out = new float[blocks][labels];
        exitProbabilities(ids, n, out);
        return out;
    }

    /** As {@link #exitProbabilities(int[], int)} into caller-owned {@code out[blocks][numLabels]}. */
    public void exitProbabilities(int[] ids, int n, float[][] out) {
        network.forward(ids, n, -1, null, 0f, null);
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(network.probabilities(b), 0, out[b], 0, labels);
        }
    }
}
