package dev.beex.model.engine;

import dev.beex.model.BlockLayer;
import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A model as it is served: every binarized tensor (the token embedding, each block's linear
 * layers in {@link BlockLayer} order, then a lexical model's table: {@link ModelParams#tensors()} order) as a {@link BinaryMatrix},
 * and a {@link ModelParams} whose float tensors are the model's and whose binarized tensors
 * are decoded to {@code ±α} (what the training-path forward sees). Float-precision models
 * have no binary matrices. This is what the artifact stores and what engines are built from.
 */
public final class PackedParams {
    private final ModelParams decoded;
    private final List<BinaryMatrix> binary;

    private PackedParams(ModelParams decoded, List<BinaryMatrix> binary) {
        this.decoded = decoded;
        this.binary = Collections.unmodifiableList(binary);
    }

    /** Binarizes the latent weights of {@code params} (α per row, sign bits). */
    public static PackedParams pack(ModelParams params) {
        ModelConfig c = params.config;
        ModelParams decoded = new ModelParams(c);
        decoded.copyFrom(params);
        List<BinaryMatrix> binary = new ArrayList<>();
        if (c.binary()) {
            int i = 0;
            for (Tensor t : params.tensors()) {
                if (t.binarized()) {
                    int[] shape = binaryShape(c, i++);
                    binary.add(BinaryMatrix.binarize(t.data(), shape[0], shape[1]));
                }
            }
        }
        return withBinary(decoded, binary);
    }

    /**
     * Assembles a model from its float tensors ({@code floats}; its binarized tensors are
     * overwritten) and the binary matrices, e.g. as read from an artifact.
     */
    public static PackedParams withBinary(ModelParams floats, List<BinaryMatrix> binary) {
        ModelConfig c = floats.config;
        int i = 0;
        for (Tensor t : floats.tensors()) {
            if (t.binarized()) {
                if (i >= binary.size()) {
                    throw new IllegalArgumentException("missing binary matrix for " + t.name());
                }
                BinaryMatrix m = binary.get(i);
                int[] shape = binaryShape(c, i);
                if (m.rows != shape[0] || m.cols != shape[1]) {
                    throw new IllegalArgumentException(t.name() + ": binary matrix " + m.rows + "x" + m.cols
                            + ", expected " + shape[0] + "x" + shape[1]);
                }
                m.decodeInto(t.data());
                i++;
            }
        }
        if (i != binary.size()) {
            throw new IllegalArgumentException(binary.size() + " binary matrices for " + i + " binarized tensors");
        }
        return new PackedParams(floats, new ArrayList<>(binary));
    }

    /** Index of the token embedding among the binary matrices; the blocks' layers follow it. */
    private static final int TOKEN_EMBEDDING = 0;

    /** Index of layer {@code layer} of block {@code block} among the binary matrices. */
    static int blockLayerIndex(int block, BlockLayer layer) {
        return TOKEN_EMBEDDING + 1 + block * BlockLayer.COUNT + layer.ordinal();
    }

    /** Index of the lexical table among the binary matrices: after every block's layers. */
    private static int lexTableIndex(ModelConfig c) {
        return blockLayerIndex(c.blocks(), BlockLayer.Q);
    }

    /** Number of binarized tensors: embedding, {@link BlockLayer#COUNT} per block, the lexical table (binary models). */
    public static int binaryCount(ModelConfig c) {
        return c.binary() ? lexTableIndex(c) + (c.lexical() ? 1 : 0) : 0;
    }

    /** {rows, cols} of the {@code index}-th binarized tensor: the embedding, block linears, then the lexical table. */
    public static int[] binaryShape(ModelConfig c, int index) {
        if (index == TOKEN_EMBEDDING) {
            return new int[] {c.vocabSize(), c.dim()};
        }
        if (c.lexical() && index == lexTableIndex(c)) {
            return new int[] {c.lexBuckets(), c.lexDim()};
        }
        BlockLayer layer = BlockLayer.at((index - blockLayerIndex(0, BlockLayer.Q)) % BlockLayer.COUNT);
        return new int[] {layer.out(c), layer.in(c)};   // weights are [out][in]
    }

    public ModelConfig config() {
        return decoded.config;
    }

    /** The decoded parameters (binarized tensors as ±α). Do not modify. */
    public ModelParams decoded() {
        return decoded;
    }

    /** Binary matrices in tensor order (empty for float precision). */
    public List<BinaryMatrix> binary() {
        return binary;
    }

    public BinaryMatrix tokenEmbedding() {
        return binary.get(TOKEN_EMBEDDING);
    }

    /** The bit-packed lexical table (binary lexical models). */
    public BinaryMatrix lexTable() {
        return binary.get(lexTableIndex(config()));
    }

    /** Linear {@code layer} of block {@code block}. */
    public BinaryMatrix linear(int block, BlockLayer layer) {
        return binary.get(blockLayerIndex(block, layer));
    }
}
