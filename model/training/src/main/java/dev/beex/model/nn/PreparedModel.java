package dev.beex.model.nn;

import dev.beex.model.BlockLayer;
import dev.beex.model.ModelParams;

/**
 * The latent {@link ModelParams} plus every linear layer's derived forward weights
 * ({@link LinearWeights}). Shared read-only by the per-thread {@link Network}s of one step;
 * {@link #refresh()} after each parameter update.
 */
public final class PreparedModel {
    public final ModelParams params;
    public final Binarizer binarizer;
    /** {@code [block][layer]}, layers indexed by {@link BlockLayer#ordinal()}. */
    private final LinearWeights[][] linears;

    public PreparedModel(ModelParams params, Binarizer binarizer) {
        this.params = params;
        this.binarizer = binarizer;
        this.linears = new LinearWeights[params.blocks.length][];
        for (int b = 0; b < params.blocks.length; b++) {
            linears[b] = new LinearWeights[BlockLayer.COUNT];
            for (BlockLayer layer : BlockLayer.values()) {
                linears[b][layer.ordinal()] = new LinearWeights(params.blocks[b].linear(layer));
            }
        }
        refresh();
    }

    /** The derived weights of {@code layer} of block {@code block}. */
    LinearWeights weights(int block, BlockLayer layer) {
        return linears[block][layer.ordinal()];
    }

    public void refresh() {
        for (LinearWeights[] block : linears) {
            for (LinearWeights w : block) {
                w.refresh(binarizer);
            }
        }
    }
}
