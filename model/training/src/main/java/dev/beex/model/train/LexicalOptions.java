package dev.beex.model.train;

/**
 * The lexical path of a training run (model/README.md, "Lexical path").
 *
 * @param buckets  rows B of the hashed feature table; 0 = no lexical path (the paper's network, {@code --arch paper})
 * @param dim      width D of the lexical vector (0 with buckets 0)
 * @param lrScale  the table's Adam learning rate is {@code lr · lrScale} (its rows are updated sparsely and rarely)
 */
public record LexicalOptions(int buckets, int dim, float lrScale) {
    /** 2^15 rows × 64 bits = 256 KiB of sign bits + 64 KiB of float16 α: the artifact stays under 1 MB. */
    public static final int DEFAULT_BUCKETS = 1 << 15;
    public static final int DEFAULT_DIM = 64;
    public static final float DEFAULT_LR_SCALE = 10f;

    public static final LexicalOptions NONE = new LexicalOptions(0, 0, 1f);

    public LexicalOptions {
        if (buckets < 0 || dim < 0 || (buckets == 0) != (dim == 0)) {
            throw new IllegalArgumentException("lexical buckets and dim must both be > 0 (or both 0 for --arch paper)");
        }
        if (!(lrScale > 0) || !Float.isFinite(lrScale)) {
            throw new IllegalArgumentException("lexical lr scale must be > 0");
        }
    }

    public static LexicalOptions defaults() {
        return new LexicalOptions(DEFAULT_BUCKETS, DEFAULT_DIM, DEFAULT_LR_SCALE);
    }

    public boolean enabled() {
        return buckets > 0;
    }
}
