package dev.beex.model.engine;

import dev.beex.model.BlockLayer;
import dev.beex.model.BlockParams;
import dev.beex.model.LayerNormParams;
import dev.beex.model.LinearParams;
import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;

/**
 * The immutable compute form of a model: one {@link LinearKernel} per layer (bit-packed for
 * binary models, dense for float ones), the embedding, LayerNorm and exit-head parameters.
 * Built once per model version and shared by all engines (each engine owns only scratch).
 */
public final class EngineModel {
    final ModelConfig config;
    /** Binary token embedding (α_r·sign(E_r)); null when {@link #embedFloat} is used. */
    final BinaryMatrix embedBits;
    /** Float token embedding {@code [vocab][d]}; null for binary models. */
    final float[] embedFloat;
    final float[] position;
    /** {@code [block][layer]}, layers indexed by {@link BlockLayer#ordinal()}. */
    private final LinearKernel[][] linears;
    /**
     * Scale of each embedding row as the training path computes it from the decoded row,
     * {@code mean_k |±α_r|} (see {@link BinaryLinear#effectiveAlpha}); null for float models.
     */
    final float[] embedAlpha;
    final LayerNormParams[] norm1, norm2;
    final LinearParams[] exitHeads;
    /** True when every block layer is bit-packed. */
    final boolean binary;
    /** The lexical path's weights; null for the paper network. */
    final LexicalExit.Weights lexical;

    private EngineModel(PackedParams p, boolean forceFloat) {
        this(p, forceFloat, BitKernel.selected());
    }

    private EngineModel(PackedParams p, boolean forceFloat, BitKernel kernel) {
        ModelParams m = p.decoded();
        this.config = m.config;
        this.binary = config.binary() && !forceFloat;
        int blocks = config.blocks();
        this.embedBits = binary ? p.tokenEmbedding() : null;
        this.embedFloat = binary ? null : m.tokenEmbedding.clone();
        this.position = m.positionEmbedding.clone();
        this.linears = new LinearKernel[blocks][];
        this.embedAlpha = binary ? BinaryLinear.effectiveAlpha(embedBits.alpha, embedBits.cols) : null;
        this.norm1 = new LayerNormParams[blocks];
        this.norm2 = new LayerNormParams[blocks];
        this.exitHeads = new LinearParams[blocks];
        this.lexical = config.lexical() ? new LexicalExit.Weights(p, binary) : null;
        int d = config.dim();
        for (int b = 0; b < blocks; b++) {
            BlockParams bp = m.blocks[b];
            linears[b] = new LinearKernel[BlockLayer.COUNT];
            for (BlockLayer layer : BlockLayer.values()) {
                LinearParams lp = bp.linear(layer);
                linears[b][layer.ordinal()] = binary
                        ? new BinaryLinear(p.linear(b, layer), lp.bias, lp.actShift, kernel)
                        : new FloatLinear(lp.weight, lp.bias, lp.in, lp.out);
            }
            norm1[b] = copy(bp.norm1, d);
            norm2[b] = copy(bp.norm2, d);
            LinearParams head = m.exitHeads[b];
            exitHeads[b] = new LinearParams(head.in, head.out, false, 0f);
            System.arraycopy(head.weight, 0, exitHeads[b].weight, 0, head.weight.length);
            System.arraycopy(head.bias, 0, exitHeads[b].bias, 0, head.bias.length);
        }
    }

    /** The compiled {@code layer} of block {@code block}. */
    LinearKernel linear(int block, BlockLayer layer) {
        return linears[block][layer.ordinal()];
    }

    private static LayerNormParams copy(LayerNormParams p, int d) {
        LayerNormParams c = new LayerNormParams(d);
        System.arraycopy(p.gamma, 0, c.gamma, 0, d);
        System.arraycopy(p.beta, 0, c.beta, 0, d);
        return c;
    }

    /** Bit-packed kernels for binary models, dense ones for float models. */
    public static EngineModel compile(PackedParams p) {
        return new EngineModel(p, false);
    }

    /** As {@link #compile(PackedParams)} with a given XOR/popcount kernel (benchmarks compare both). */
    public static EngineModel compile(PackedParams p, BitKernel kernel) {
        return new EngineModel(p, false, kernel);
    }

    /**
     * The same network with its decoded ±α weights in dense float kernels and float
     * activations: the float baseline a binary model is measured against.
     */
    public static EngineModel floatBaseline(PackedParams p) {
        return new EngineModel(p, true);
    }

    public ModelConfig config() {
        return config;
    }

    /** True when the block layers are bit-packed. */
    public boolean binary() {
        return binary;
    }
}
