package dev.beex.model.train;

/**
 * The lexical path of a training run (model/README.md, "Lexical path").
 *
 * @param buckets  rows B of the hashed feature table; 0 = no lexical path (the paper's network, {@code --arch paper})
 * @param dim      width D of the lexical vector (0 with buckets 0)
 * @param lrScale  the table's Adam learning rate is {@code lr · lrScale} (its rows are updated sparsely and rarely)
 * @param pretrainEpochs passes of lexical pre-training: the table and exit 0 trained alone first (the pass
 *                 with the best exit-0 dev accuracy is kept), then frozen while the blocks train, every
 *                 block exit starting as a copy of exit 0; 0 = the table trains jointly with the network
 */
public record LexicalOptions(int buckets, int dim, float lrScale, int pretrainEpochs) {
    /** 2^15 rows × 64 bits = 256 KiB of sign bits + 64 KiB of float16 α: the artifact stays under 1 MB. */
    public static final int DEFAULT_BUCKETS = 1 << 15;
    public static final int DEFAULT_DIM = 64;
    public static final float DEFAULT_LR_SCALE = 10f;
    /**
     * Exit 0 alone reached its best dev accuracy after 3-7 passes (sentences, spam); trained only
     * jointly it got 5 or 2 passes at a small share of the loss (docs/training.md).
     */
    public static final int DEFAULT_PRETRAIN_EPOCHS = 8;

    public static final LexicalOptions NONE = new LexicalOptions(0, 0, 1f, 0);

    public LexicalOptions {
        if (buckets < 0 || dim < 0 || (buckets == 0) != (dim == 0)) {
            throw new IllegalArgumentException("lexical buckets and dim must both be > 0 (or both 0 for --arch paper)");
        }
        if (!(lrScale > 0) || !Float.isFinite(lrScale)) {
            throw new IllegalArgumentException("lexical lr scale must be > 0");
        }
        if (pretrainEpochs < 0 || (pretrainEpochs > 0 && buckets == 0)) {
            throw new IllegalArgumentException("lexical pre-training epochs must be >= 0 (and 0 without a lexical path)");
        }
    }

    public static LexicalOptions defaults() {
        return new LexicalOptions(DEFAULT_BUCKETS, DEFAULT_DIM, DEFAULT_LR_SCALE, DEFAULT_PRETRAIN_EPOCHS);
    }

    public boolean enabled() {
        return buckets > 0;
    }

    /** The same options with {@code epochs} passes of lexical pre-training (0 = joint training only). */
    public LexicalOptions withPretrainEpochs(int epochs) {
        return new LexicalOptions(buckets, dim, lrScale, epochs);
    }

    /** Whether the table and exit 0 are pre-trained, then frozen while the blocks train. */
    public boolean pretrained() {
        return pretrainEpochs > 0;
    }
}
