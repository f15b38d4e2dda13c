package dev.beex.model;

/**
 * One post-LN BEExformer block:
 * {@code x1 = LN1(x + O(attn(Q x, K x, V x)))}, then the SLFN
 * {@code x2 = LN2(x1 + G2(σ(G1 x1)) ⊙ F2(tanh(F1 x1)))}.
 * Its linear layers are laid out by {@link BlockLayer}; the named fields are the same objects.
 */
public final class BlockParams {
    public final LinearParams query;
    public final LinearParams key;
    public final LinearParams value;
    public final LinearParams output;
    public final LayerNormParams norm1;
    public final LinearParams gate1;
    public final LinearParams gate2;
    public final LinearParams filter1;
    public final LinearParams filter2;
    public final LayerNormParams norm2;
    /** Indexed by {@link BlockLayer#ordinal()}. */
    private final LinearParams[] linears;

    public BlockParams(ModelConfig c) {
        linears = new LinearParams[BlockLayer.COUNT];
        for (BlockLayer layer : BlockLayer.values()) {
            linears[layer.ordinal()] = new LinearParams(layer.in(c), layer.out(c), c.binary(), layer.actShift(c));
        }
        query = linear(BlockLayer.Q);
        key = linear(BlockLayer.K);
        value = linear(BlockLayer.V);
        output = linear(BlockLayer.O);
        gate1 = linear(BlockLayer.G1);
        gate2 = linear(BlockLayer.G2);
        filter1 = linear(BlockLayer.F1);
        filter2 = linear(BlockLayer.F2);
        norm1 = new LayerNormParams(c.dim());
        norm2 = new LayerNormParams(c.dim());
    }

    public LinearParams linear(BlockLayer layer) {
        return linears[layer.ordinal()];
    }

    /** The binarizable linear layers in {@link BlockLayer} order (a fresh array). */
    public LinearParams[] linears() {
        return linears.clone();
    }
}
