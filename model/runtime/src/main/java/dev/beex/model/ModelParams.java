package dev.beex.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * All parameters of a BEExformer as plain float arrays. The same class holds latent weights
 * during training, their gradients (a second instance of the same shape), and the weights
 * decoded from an artifact. The exact forward math is written down in model/README.md.
 *
 * <ul>
 *   <li>token embedding {@code [vocab][d]}: binarized per row ({@code α_r·sign(E_r)}) in
 *       binary precision;</li>
 *   <li>position embedding {@code [maxTokens][d]}: float;</li>
 *   <li>{@code blocks} × {@link BlockParams};</li>
 *   <li>one float exit head after every block: {@code Linear(d, C)}, or {@code Linear(d + D, C)}
 *       on {@code [pool ; lex]} with the lexical path;</li>
 *   <li>lexical path only ({@link ModelConfig#lexical()}): the hashed feature table
 *       {@code [B][D]}, binarized per row like the token embedding, and exit 0's float head
 *       {@code Linear(D, C)} on the lexical vector.</li>
 * </ul>
 */
public final class ModelParams {
    public final ModelConfig config;
    public final float[] tokenEmbedding;
    public final float[] positionEmbedding;
    public final BlockParams[] blocks;
    public final LinearParams[] exitHeads;
    /** Lexical table {@code [B][D]} (empty without the lexical path). */
    public final float[] lexTable;
    /** Exit 0's head {@code Linear(D, C)} on the lexical vector (null without the lexical path). */
    public final LinearParams lexHead;

    /** All-zero parameters (LayerNorm gains 1) of the given shape. */
    public ModelParams(ModelConfig config) {
        this.config = config;
        int d = config.dim();
        this.tokenEmbedding = new float[config.vocabSize() * d];
        this.positionEmbedding = new float[config.maxTokens() * d];
        this.blocks = new BlockParams[config.blocks()];
        this.exitHeads = new LinearParams[config.blocks()];
        for (int i = 0; i < config.blocks(); i++) {
            blocks[i] = new BlockParams(config);
            exitHeads[i] = new LinearParams(config.blockExitInput(), config.numLabels(), false, 0f);
        }
        this.lexTable = new float[config.lexBuckets() * config.lexDim()];
        this.lexHead = config.lexical() ? new LinearParams(config.lexDim(), config.numLabels(), false, 0f) : null;
    }

    /** Index of the lexical table in {@link #tensors()} (-1 without the lexical path). */
    public int lexTableTensorIndex() {
        return config.lexical() ? tensors().size() - 3 : -1;
    }

    /** Every parameter array in a fixed, documented order (names are stable across versions). */
    public List<Tensor> tensors() {
        List<Tensor> t = new ArrayList<>();
        boolean bin = config.binary();
        t.add(new Tensor("embed.token", tokenEmbedding, bin));
        t.add(new Tensor("embed.position", positionEmbedding, false));
        for (int i = 0; i < blocks.length; i++) {
            BlockParams b = blocks[i];
            for (BlockLayer layer : BlockLayer.values()) {
                LinearParams l = b.linear(layer);
                String name = "block" + i + "." + layer.tensorName();
                t.add(new Tensor(name + ".weight", l.weight, l.binarized));
                t.add(new Tensor(name + ".bias", l.bias, false));
            }
            t.add(new Tensor("block" + i + ".ln1.gamma", b.norm1.gamma, false));
            t.add(new Tensor("block" + i + ".ln1.beta", b.norm1.beta, false));
            t.add(new Tensor("block" + i + ".ln2.gamma", b.norm2.gamma, false));
            t.add(new Tensor("block" + i + ".ln2.beta", b.norm2.beta, false));
            t.add(new Tensor("exit" + i + ".weight", exitHeads[i].weight, false));
            t.add(new Tensor("exit" + i + ".bias", exitHeads[i].bias, false));
        }
        if (config.lexical()) {   // last, so the paper network's order is unchanged
            t.add(new Tensor("lex.table", lexTable, bin));
            t.add(new Tensor("lex.head.weight", lexHead.weight, false));
            t.add(new Tensor("lex.head.bias", lexHead.bias, false));
        }
        return Collections.unmodifiableList(t);
    }

    /** Number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors()) {
            n += t.data().length;
        }
        return n;
    }

    /** Bytes of this network exported as float32 (the size baseline of the paper's claim). */
    public long float32Bytes() {
        return 4L * parameterCount();
    }

    /** Copies every array of {@code other} (same config) into this one. */
    public void copyFrom(ModelParams other) {
        List<Tensor> a = tensors(), b = other.tensors();
        if (!config.equals(other.config)) {
            throw new IllegalArgumentException("config mismatch: " + config + " vs " + other.config);
        }
        for (int i = 0; i < a.size(); i++) {
            System.arraycopy(b.get(i).data(), 0, a.get(i).data(), 0, a.get(i).data().length);
        }
    }
}
