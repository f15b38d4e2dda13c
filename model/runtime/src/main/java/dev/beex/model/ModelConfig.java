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
 * @param lexBuckets   rows B of the hashed lexical table (0 = no lexical path: the paper's network)
 * @param lexDim       width D of the lexical vector (0 when {@code lexBuckets} is 0)
 * @param binaryAttention attention scores from the signs of q and k (XOR/popcount per head and
 *                     token pair, model/README.md "Binarized attention scores") instead of float q·k
 */
public record ModelConfig(int dim, int heads, int blocks, int slfnHidden, int maxTokens,
                          int vocabSize, int numLabels, Precision precision, int lexBuckets, int lexDim,
                          boolean binaryAttention) {

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
        require(lexBuckets >= 0 && lexDim >= 0 && (lexBuckets == 0) == (lexDim == 0),
                "lexical buckets and dim must both be > 0 (lexical path) or both 0 (paper network)");
        require(!binaryAttention || precision == Precision.BINARY, "binary attention needs binary precision");
    }

    /** Float attention scores (every model before format 4). */
    public ModelConfig(int dim, int heads, int blocks, int slfnHidden, int maxTokens,
                       int vocabSize, int numLabels, Precision precision, int lexBuckets, int lexDim) {
        this(dim, heads, blocks, slfnHidden, maxTokens, vocabSize, numLabels, precision, lexBuckets, lexDim, false);
    }

    /** The paper's network: no lexical path, one exit per block. */
    public ModelConfig(int dim, int heads, int blocks, int slfnHidden, int maxTokens,
                       int vocabSize, int numLabels, Precision precision) {
        this(dim, heads, blocks, slfnHidden, maxTokens, vocabSize, numLabels, precision, 0, 0);
    }

    /** True when the model has the hashed lexical path and its exit 0 before block 1. */
    public boolean lexical() {
        return lexBuckets > 0;
    }

    /**
     * Exits E: {@code blocks + 1} with the lexical path (exit 0 reads the lexical vector alone,
     * exit e >= 1 follows block e), else {@code blocks} (exit e follows block e + 1).
     */
    public int exits() {
        return blocks + (lexical() ? 1 : 0);
    }

    /** Blocks a record has run when it leaves at exit {@code e} (0-based). */
    public int blocksAtExit(int e) {
        return lexical() ? e : e + 1;
    }

    /** Input width of the exit head after a block: the pooled block output, plus the lexical vector. */
    public int blockExitInput() {
        return dim + lexDim;
    }

    public int headDim() {
        return dim / heads;
    }

    public boolean binary() {
        return precision == Precision.BINARY;
    }

    public ModelConfig withVocabSize(int newVocabSize) {
        return new ModelConfig(dim, heads, blocks, slfnHidden, maxTokens, newVocabSize, numLabels, precision, lexBuckets, lexDim,
                binaryAttention);
    }

    /**
     * The artifact format this config needs: 4 with binary attention (a reader of format 3 would
     * compute float scores and must refuse it), else 3, which every reader since the lexical path reads.
     */
    public int formatVersion() {
        return binaryAttention ? 4 : 3;
    }

    /** Format 3: the format 2 fields then lexBuckets, lexDim; format 4 adds the attention kind (u8: 0 float, 1 binary). */
    public void write(DataOutput out) throws IOException {
        out.writeInt(dim);
        out.writeInt(heads);
        out.writeInt(blocks);
        out.writeInt(slfnHidden);
        out.writeInt(maxTokens);
        out.writeInt(vocabSize);
        out.writeInt(numLabels);
        out.writeByte(precision.ordinal());
        out.writeInt(lexBuckets);
        out.writeInt(lexDim);
        if (formatVersion() >= 4) {
            out.writeByte(binaryAttention ? 1 : 0);
        }
    }

    /** Reads what {@link #write} wrote (formats 3 and 4); format 2 has no lexical fields (paper network). */
    public static ModelConfig read(DataInput in, int formatVersion) throws IOException {
        int dim = in.readInt(), heads = in.readInt(), blocks = in.readInt(), hidden = in.readInt();
        int maxTokens = in.readInt(), vocab = in.readInt(), labels = in.readInt();
        int p = in.readUnsignedByte();
        if (p >= Precision.values().length) {
            throw new IOException("unknown precision code " + p);
        }
        int lexBuckets = 0, lexDim = 0;
        if (formatVersion >= 3) {
            lexBuckets = in.readInt();
            lexDim = in.readInt();
        }
        boolean binaryAttention = false;
        if (formatVersion >= 4) {
            int kind = in.readUnsignedByte();
            if (kind > 1) {
                throw new IOException("unknown attention kind " + kind);
            }
            binaryAttention = kind == 1;
        }
        try {
            return new ModelConfig(dim, heads, blocks, hidden, maxTokens, vocab, labels, Precision.values()[p],
                    lexBuckets, lexDim, binaryAttention);
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
