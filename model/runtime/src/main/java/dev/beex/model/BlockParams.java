package dev.beex.model;

/**
 * One post-LN BEExformer block:
 * {@code x1 = LN1(x + O(attn(Q x, K x, V x)))}, then the SLFN
 * {@code x2 = LN2(x1 + G2(σ(G1 x1)) ⊙ F2(tanh(F1 x1)))}.
 */
public final class BlockParams {
    /** Activation shift of G2's input: sigmoid outputs are all positive (see {@link LinearParams}). */
    public static final float GATE_ACT_SHIFT = 0.5f;

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

    public BlockParams(ModelConfig c) {
        boolean bin = c.binary();
        int d = c.dim(), h = c.slfnHidden();
        query = new LinearParams(d, d, bin, 0f);
        key = new LinearParams(d, d, bin, 0f);
        value = new LinearParams(d, d, bin, 0f);
        output = new LinearParams(d, d, bin, 0f);
        norm1 = new LayerNormParams(d);
        gate1 = new LinearParams(d, h, bin, 0f);
        gate2 = new LinearParams(h, d, bin, bin ? GATE_ACT_SHIFT : 0f);
        filter1 = new LinearParams(d, h, bin, 0f);
        filter2 = new LinearParams(h, d, bin, 0f);
        norm2 = new LayerNormParams(d);
    }

    /** The binarizable linear layers in a fixed order (used by serialization and the engine). */
    public LinearParams[] linears() {
        return new LinearParams[] {query, key, value, output, gate1, gate2, filter1, filter2};
    }
}
