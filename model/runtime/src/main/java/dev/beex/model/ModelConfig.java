package dev.beex.model;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Shape of a BEExformer. Immutable; written into the artifact and read back.
 *
 * @param dim          model width d (a multiple of {@code heads})
 * @param heads        attention heads
 * @param blocks       transformer blocks, each followed by an exit head
 * @param slfnHidden   hidden width of the Selective-Learn Forget Network
 * @param maxTokens    longest token sequence (longer texts are cut)
 * @param vocabSize    rows of the token embedding (fixed by the tokenizer)
 * @param numLabels    classes C
 * @param precision    binary (BEExformer) or float (baseline)
 */
public record ModelConfig(int dim, int heads, int blocks, int slfnHidden, int maxTokens,
                          int vocabSize, int numLabels, Precision precision) {

    public static final int DEFAULT_DIM = 128;
    public static final int DEFAULT_HEADS = 4;
    public static final int DEFAULT_BLOCKS = 6;
    public static final int DEFAULT_SLFN_HIDDEN = 256;
    public static final int DEFAULT_MAX_TOKENS = 128;

    public ModelConfig {
        require(dim > 0 && heads > 0 && dim % heads == 0, "dim must be a positive multiple of heads");
        require(blocks >= 1, "blocks must be >= 1");
        require(slfnHidden > 0, "slfnHidden must be > 0");
        require(maxTokens > 0, "maxTokens must be > 0");
        require(vocabSize > 0, "vocabSize must be > 0");
        require(numLabels >= 2, "numLabels must be >= 2");
        require(precision != null, "precision is required");
    }

    public int headDim() {
        return dim / heads;
    }

    public boolean binary() {
        return precision == Precision.BINARY;
    }

    public ModelConfig withVocabSize(int newVocabSize) {
        return new ModelConfig(dim, heads, blocks, slfnHidden, maxTokens, newVocabSize, numLabels, precision);
    }

    public void write(DataOutput out) throws IOException {
        out.writeInt(dim);
        out.writeInt(heads);
        out.writeInt(blocks);
        out.writeInt(slfnHidden);
        out.writeInt(maxTokens);
        out.writeInt(vocabSize);
        out.writeInt(numLabels);
        out.writeByte(precision.ordinal());
    }

    public static ModelConfig read(DataInput in) throws IOException {
        int dim = in.readInt(), heads = in.readInt(), blocks = in.readInt(), hidden = in.readInt();
        int maxTokens = in.readInt(), vocab = in.readInt(), labels = in.readInt();
        int p = in.readUnsignedByte();
        if (p >= Precision.values().length) {
            throw new IOException("unknown precision code " + p);
        }
        try {
            return new ModelConfig(dim, heads, blocks, hidden, maxTokens, vocab, labels, Precision.values()[p]);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid model config: " + e.getMessage(), e);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
