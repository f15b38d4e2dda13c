package dev.beex.model.text;

/**
 * Hashed lexical features of a text (fastText-style), the input of the lexical path
 * (model/README.md, "Lexical path"). Shared by training and the engine, deterministic, and
 * allocation-free per record: one instance owns its buffers (NOT thread-safe: one per thread).
 *
 * <p>The text is lower-cased char by char ({@link Character#toLowerCase(char)}, locale-free).
 * Then, in text order:
 * <ul>
 *   <li><b>words</b> = maximal runs of letters or digits ({@link Character#isLetterOrDigit(char)});
 *       each word gives its unigram {@code "w" + word} and, from the second word on, the bigram
 *       {@code "b" + previous + ' ' + word};</li>
 *   <li><b>chunks</b> = maximal runs of non-whitespace chars (punctuation kept, as "$$$" or "v1@gra");
 *       each chunk, padded as {@code <chunk>}, gives its char n-grams {@code "c" + gram} for
 *       n = 3, 4, 5 (all n-grams of length 3, then 4, then 5, left to right). A chunk longer than
 *       {@link #MAX_CHUNK_CHARS} chars contributes its first {@code MAX_CHUNK_CHARS} chars.</li>
 * </ul>
 * All word features come first, then all char n-gram features. At most {@link #MAX_WORDS} words
 * and {@link #MAX_WORDS} chunks of a text are used (the rest is ignored).
 *
 * <p>Hash: 32-bit FNV-1a over the UTF-16 code units of the feature string above (kind letter
 * first; offset basis 0x811C9DC5, prime 0x01000193, Java int arithmetic, so identical on every
 * platform and JVM), bucket = {@code Integer.remainderUnsigned(hash, buckets)}. A text with no
 * feature (empty or whitespace only) gets the single feature bucket of the empty string's hash.
 */
public final class LexicalFeatures {
    /** Words (and chunks) of a text that are used; later ones are ignored. */
    public static final int MAX_WORDS = 1024;
    /** Chars of a chunk that give char n-grams. */
    public static final int MAX_CHUNK_CHARS = 24;
    public static final int MIN_GRAM = 3;
    public static final int MAX_GRAM = 5;

    static final int FNV_OFFSET = 0x811C9DC5;
    static final int FNV_PRIME = 0x01000193;

    /** Most n-grams one chunk can give: Σ_{n=3..5} (MAX_CHUNK_CHARS + 2 − n + 1). */
    private static final int GRAMS_PER_CHUNK = 3 * (MAX_CHUNK_CHARS + 2) - 9;
    /** Capacity of the feature buffer: unigram + bigram per word, n-grams per chunk. */
    public static final int MAX_FEATURES = MAX_WORDS * (2 + GRAMS_PER_CHUNK);

    private final int buckets;
    private final int[] features = new int[MAX_FEATURES];
    private char[] lower = new char[256];
    private final char[] padded = new char[MAX_CHUNK_CHARS + 2];

    public LexicalFeatures(int buckets) {
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be >= 1");
        }
        this.buckets = buckets;
    }

    public int buckets() {
        return buckets;
    }

    /** The bucket ids of the last {@link #extract}; entries {@code [0, count)} are valid (a live buffer). */
    public int[] features() {
        return features;
    }

    /**
     * Extracts the features of {@code text} into {@link #features()} and returns their count
     * (>= 1). Allocates only when a text is longer than every text before it (the lower-case
     * buffer grows once).
     */
    public int extract(String text) {
        int len = text.length();
        if (lower.length < len) {
            lower = new char[Math.max(len, lower.length * 2)];
        }
        char[] s = lower;
        for (int i = 0; i < len; i++) {
            s[i] = Character.toLowerCase(text.charAt(i));
        }
        int m = 0;
        // Words: unigrams and bigrams with the previous word.
        int prevStart = -1, prevEnd = -1, words = 0;
        int i = 0;
        while (i < len && words < MAX_WORDS) {
            if (!Character.isLetterOrDigit(s[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < len && Character.isLetterOrDigit(s[i])) {
                i++;
            }
            features[m++] = bucket(mix(mix(FNV_OFFSET, 'w'), s, start, i));
            if (prevStart >= 0) {
                int h = mix(mix(FNV_OFFSET, 'b'), s, prevStart, prevEnd);
                h = mix(h, ' ');
                features[m++] = bucket(mix(h, s, start, i));
            }
            prevStart = start;
            prevEnd = i;
            words++;
        }
        // Chunks: char n-grams of <chunk>.
        int chunks = 0;
        i = 0;
        while (i < len && chunks < MAX_WORDS) {
            if (Character.isWhitespace(s[i])) {
                i++;
                continue;
            }
            int start = i;
            while (i < len && !Character.isWhitespace(s[i])) {
                i++;
            }
            int cl = Math.min(i - start, MAX_CHUNK_CHARS);
            padded[0] = '<';
            System.arraycopy(s, start, padded, 1, cl);
            padded[cl + 1] = '>';
            int pl = cl + 2;
            for (int n = MIN_GRAM; n <= MAX_GRAM; n++) {
                for (int a = 0; a + n <= pl; a++) {
                    features[m++] = bucket(mix(mix(FNV_OFFSET, 'c'), padded, a, a + n));
                }
            }
            chunks++;
        }
        if (m == 0) {
            features[m++] = bucket(FNV_OFFSET);
        }
        return m;
    }

    /** FNV-1a step over one UTF-16 code unit. */
    static int mix(int h, char c) {
        return (h ^ c) * FNV_PRIME;
    }

    static int mix(int h, char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ s[i]) * FNV_PRIME;
        }
        return h;
    }

    private int bucket(int hash) {
        return Integer.remainderUnsigned(hash, buckets);
    }

    /** The documented hash of a feature string (kind letter included), for tests and tools. */
    public static int hash(CharSequence feature) {
        int h = FNV_OFFSET;
        for (int i = 0; i < feature.length(); i++) {
            h = mix(h, feature.charAt(i));
        }
        return h;
    }
}
