package dev.beex.model.engine;

import dev.beex.model.BlockParams;
import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A model as it is served: every binarized tensor (the token embedding and the eight linear
 * layers of each block, in {@link ModelParams#tensors()} order) as a {@link BinaryMatrix},
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

    /** Number of binarized tensors: embedding, 8 per block, the lexical table (binary models). */
    public static int binaryCount(ModelConfig c) {
        return c.binary() ? 1 + 8 * c.blocks() + (c.lexical() ? 1 : 0) : 0;
    }

    /** {rows, cols} of the {@code index}-th binarized tensor: the embedding, block linears, then the lexical table. */
    public static int[] binaryShape(ModelConfig c, int index) {
        if (index == 0) {
            return new int[] {c.vocabSize(), c.dim()};
        }
        if (c.lexical() && index == 1 + 8 * c.blocks()) {
            return new int[] {c.lexBuckets(), c.lexDim()};   // the lexical table, after the blocks
        }
        int d = c.dim(), h = c.slfnHidden();
        switch ((index - 1) % 8) {
            case 4: case 6: return new int[] {h, d};   // gate1, filter1: d -> h
            case 5: case 7: return new int[] {d, h};   // gate2, filter2: h -> d
            default: return new int[] {d, d};          // query, key, value, output
        }
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
        return binary.get(0);
    }

    /** The bit-packed lexical table (binary lexical models). */
    public BinaryMatrix lexTable() {
        return binary.get(1 + 8 * config().blocks());
    }

    /** Linear {@code layer} (order of {@link BlockParams#linears()}) of block {@code block}. */
    public BinaryMatrix linear(int block, int layer) {
        return binary.get(1 + block * 8 + layer);
    }
}
