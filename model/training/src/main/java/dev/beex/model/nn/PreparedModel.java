package dev.beex.model.nn;

import dev.beex.model.BlockParams;
import dev.beex.model.LinearParams;
import dev.beex.model.ModelParams;

/**
 * The latent {@link ModelParams} plus every linear layer's derived forward weights
 * ({@link LinearWeights}). Shared read-only by the per-thread {@link Network}s of one step;
 * {@link #refresh()} after each parameter update.
 */
public final class PreparedModel {
    public final ModelParams params;
    public final Binarizer binarizer;
    /** [block][i] in {@link BlockParams#linears()} order: q, k, v, o, g1, g2, f1, f2. */
    final LinearWeights[][] linears;

    public PreparedModel(ModelParams params, Binarizer binarizer) {
        this.params = params;
        this.binarizer = binarizer;
        this.linears = new LinearWeights[params.blocks.length][];
        for (int b = 0; b < params.blocks.length; b++) {
            LinearParams[] l = params.blocks[b].linears();
            linears[b] = new LinearWeights[l.length];
            for (int i = 0; i < l.length; i++) {
                linears[b][i] = new LinearWeights(l[i]);
            }
        }
        refresh();
    }

    public void refresh() {
        for (LinearWeights[] block : linears) {
            for (LinearWeights w : block) {
                w.refresh(binarizer);
            }
        }
    }
}
