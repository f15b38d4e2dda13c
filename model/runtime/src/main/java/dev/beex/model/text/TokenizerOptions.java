package dev.beex.model.text;

/**
 * How a {@link Tokenizer} is learned.
 *
 * @param maxTokens longest encoded sequence (longer texts are cut)
 * @param maxVocab  total vocabulary size including reserved ids
 * @param minCount  a word or piece seen fewer times in training is not kept
 */
public record TokenizerOptions(int maxTokens, int maxVocab, int minCount) {
    public static final int DEFAULT_MAX_TOKENS = 128;
    public static final int DEFAULT_MAX_VOCAB = 8192;
    public static final int DEFAULT_MIN_COUNT = 2;

    public TokenizerOptions {
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1");
        }
        if (maxVocab < 64) {
            throw new IllegalArgumentException("maxVocab must be >= 64");
        }
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1");
        }
    }

    public static TokenizerOptions defaults() {
        return new TokenizerOptions(DEFAULT_MAX_TOKENS, DEFAULT_MAX_VOCAB, DEFAULT_MIN_COUNT);
    }

    public TokenizerOptions withMaxTokens(int n) {
        return new TokenizerOptions(n, maxVocab, minCount);
    }

    public TokenizerOptions withMaxVocab(int n) {
        return new TokenizerOptions(maxTokens, n, minCount);
    }
}
