package dev.beex.model.text;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Text to token ids, learned from a training split. Immutable and thread-safe; the vocabulary
 * travels inside the model artifact ({@link #write}/{@link #read}).
 *
 * <h2>Ids</h2>
 * <ul>
 *   <li>{@value #UNK} = {@code [UNK]}: only for a text with no words at all (an empty text is one [UNK]);</li>
 *   <li>{@value #NUM} = {@code [NUM]}: a number (digits with {@code . , :}) that is not in the vocabulary;</li>
 *   <li>{@code 2 .. 2+B-1}: B hashed character buckets, for characters the vocabulary has no piece for
 *       (B = maxVocab/32, clamped to 16..256);</li>
 *   <li>then the learned terms: single characters (as word starts and as {@code ##} continuations),
 *       whole words, and subword pieces.</li>
 * </ul>
 *
 * <h2>Encoding a word</h2>
 * Words come from {@link WordSplitter} (Lucene StandardTokenizer → lower case → ASCII folding,
 * plus the marks {@code ! ? $ % € £}). Each word becomes ids by the first step that applies:
 * <ol>
 *   <li>the word is in the vocabulary: its id;</li>
 *   <li>a number: [NUM];</li>
 *   <li>its <em>canonical form</em> is in the vocabulary: leetspeak digits mapped back to letters when
 *       the word has a letter (0→o 1→i 3→e 4→a 5→s 7→t), separators {@code . ' _ -} dropped, then
 *       runs of 3+ equal characters squeezed to 2, then (for such words) to 1 ("fr33" → free, "v.i.a.g.r.a" →
 *       viagra, "freeeee" → free);</li>
 *   <li>otherwise WordPiece-style greedy longest-match segmentation of the canonical form into
 *       learned pieces (a word-initial piece, then {@code ##} continuation pieces), at most
 *       {@value #MAX_PIECES_PER_WORD} pieces per word; a character no piece covers becomes its
 *       hashed bucket, never [UNK].</li>
 * </ol>
 * The sequence is cut at {@code maxTokens}.
 *
 * <h2>Learning</h2>
 * Word counts over the training texts. Budget = maxVocab − 2 − B: first every character seen at
 * least minCount times (both forms, at most a quarter of the budget), then up to
 * {@value #WORD_SHARE_PERCENT}% of the rest for the most frequent whole words (count ≥ minCount),
 * then subword pieces (2..{@value #MAX_PIECE_CHARS} characters) taken from the canonical forms of
 * the words left out, ranked by count × length (a one-pass approximation of WordPiece training),
 * then, if room is left, more words. Ties break alphabetically, so a build is deterministic.
 */
public final class Tokenizer {
    public static final int UNK = 0;
    public static final int NUM = 1;
    public static final int FIRST_BUCKET = 2;
    public static final int MAX_PIECE_CHARS = 12;
    public static final int MAX_PIECES_PER_WORD = 8;
    static final int WORD_SHARE_PERCENT = 75;
    static final int MAX_LEARNED_WORD_CHARS = 2 * MAX_PIECE_CHARS;

    private static final int MAGIC = 0x42585456; // "BXTV"
    private static final int VERSION = 1;
    private static final byte KIND_WORD = 0;
    private static final byte KIND_CONTINUATION = 1;

    private final int maxTokens;
    private final int maxVocab;
    private final int minCount;
    private final int hashBuckets;
    private final String[] learned;      // terms in id order from firstLearned(); continuations start with "##"
    private final TermTable words;       // whole words and word-initial pieces
    private final TermTable continuations; // pieces inside a word, stored without "##"
    private final int longestPiece;
    private final ThreadLocal<Encoder> encoders = ThreadLocal.withInitial(this::newEncoder);

    private Tokenizer(int maxTokens, int maxVocab, int minCount, int hashBuckets, List<String> terms) {
        this.maxTokens = maxTokens;
        this.maxVocab = maxVocab;
        this.minCount = minCount;
        this.hashBuckets = hashBuckets;
        this.learned = terms.toArray(new String[0]);
        this.words = new TermTable(learned.length);
        this.continuations = new TermTable(learned.length / 2 + 1);
        int longest = 1;
        int first = FIRST_BUCKET + hashBuckets;
        for (int i = 0; i < learned.length; i++) {
            String t = learned[i];
            boolean cont = t.startsWith("##") && t.length() > 2;
            String key = cont ? t.substring(2) : t;
            if (key.isEmpty() || !(cont ? continuations : words).put(key, first + i)) {
                throw new IllegalArgumentException("duplicate or empty term '" + t + "'");
            }
            if (key.length() <= MAX_PIECE_CHARS) {
                longest = Math.max(longest, key.length());
            }
        }
        this.longestPiece = longest;
    }

    /** Number of hashed character buckets for a vocabulary budget. */
    static int bucketsFor(int maxVocab) {
        return Math.max(16, Math.min(256, maxVocab / 32));
    }

    // ------------------------------------------------------------------ learning

    /** Learns the vocabulary from the training texts. */
    public static Tokenizer build(List<String> trainingTexts, TokenizerOptions options) {
        // Counting runs on char slices (no String per word or per candidate piece).
        Counter wordCounts = new Counter();
        WordSplitter splitter = new WordSplitter();
        for (String text : trainingTexts) {
            splitter.start(text);
            while (splitter.next()) {
                wordCounts.add(splitter.buffer(), 0, splitter.length(), 1);
            }
        }
        int minCount = options.minCount();
        int buckets = bucketsFor(options.maxVocab());
        int budget = options.maxVocab() - FIRST_BUCKET - buckets;
        List<String> terms = new ArrayList<>();
        Set<String> taken = new HashSet<>();

        // 1. characters, so every common character has a piece in both positions
        Counter chars = new Counter();
        char[] cp = new char[2];
        for (int id = 0; id < wordCounts.size(); id++) {
            String w = wordCounts.term(id);
            for (int i = 0; i < w.length(); ) {
                int c = w.codePointAt(i);
                chars.add(cp, 0, Character.toChars(c, cp, 0), wordCounts.count(id));
                i += Character.charCount(c);
            }
        }
        for (String c : chars.ranked(minCount)) {
            if (terms.size() + 2 > budget / 4) {
                break;
            }
            addTerm(terms, taken, c);
            addTerm(terms, taken, "##" + c);
        }

        // 2. the most frequent whole words
        List<String> rankedWords = wordCounts.ranked(minCount);
        int wordBudget = (budget - terms.size()) * WORD_SHARE_PERCENT / 100;
        int w = 0;
        for (; w < rankedWords.size() && wordBudget > 0; w++) {
            if (addTerm(terms, taken, rankedWords.get(w))) {
                wordBudget--;
            }
        }

        // 3. subword pieces from the canonical forms of the words left out
        Counter initial = new Counter(), inner = new Counter();
        char[] canon = new char[4 * MAX_LEARNED_WORD_CHARS];
        for (int id = 0; id < wordCounts.size(); id++) {
            String word = wordCounts.term(id);
            if (word.length() > MAX_LEARNED_WORD_CHARS || taken.contains(word)) {
                continue; // longer "words" are mostly base64, hashes and URLs: no pieces worth learning
            }
            char[] src = word.toCharArray();
            int len = Canonical.squeeze(canon, Canonical.canonicalize(src, src.length, canon), 2);
            long count = wordCounts.count(id);
            for (int i = 0; i < len; i++) {
                for (int l = 2; l <= MAX_PIECE_CHARS && i + l <= len; l++) {
                    (i == 0 ? initial : inner).add(canon, i, l, count);
                }
            }
        }
        List<Ranked> pieces = new ArrayList<>();
        initial.collect("", minCount, true, pieces);
        inner.collect("##", minCount, true, pieces);
        for (String p : Counter.sorted(pieces)) {
            if (terms.size() >= budget) {
                break;
            }
            addTerm(terms, taken, p);
        }

        // 4. leftover room: more words
        for (; w < rankedWords.size() && terms.size() < budget; w++) {
            addTerm(terms, taken, rankedWords.get(w));
        }
        return new Tokenizer(options.maxTokens(), options.maxVocab(), minCount, buckets, terms);
    }

    private static boolean addTerm(List<String> terms, Set<String> taken, String t) {
        if (taken.add(t)) {
            terms.add(t);
            return true;
        }
        return false;
    }

    /** Counts of char-slice terms while learning. */
    private static final class Counter {
        private final TermTable table = new TermTable(1024);
        private long[] counts = new long[1024];

        void add(char[] buf, int off, int len, long n) {
            int id = table.intern(buf, off, len);
            if (id >= counts.length) {
                counts = Arrays.copyOf(counts, counts.length * 2);
            }
            counts[id] += n;
        }

        int size() {
            return table.size();
        }

        long count(int id) {
            return counts[id];
        }

        String term(int id) {
            return table.term(id);
        }

        /** Terms with count >= min, most frequent first, then alphabetically. */
        List<String> ranked(long min) {
            List<Ranked> rows = new ArrayList<>();
            collect("", min, false, rows);
            return sorted(rows);
        }

        /** Adds this counter's terms with count >= min, scored by count (or count × length for pieces). */
        void collect(String prefix, long min, boolean byLength, List<Ranked> rows) {
            for (int id = 0; id < size(); id++) {
                long n = counts[id];
                if (n >= min) {
                    String t = term(id);
                    rows.add(new Ranked(prefix + t, byLength ? n * t.length() : n));
                }
            }
        }

        static List<String> sorted(List<Ranked> rows) {
            rows.sort(Comparator.comparingLong((Ranked r) -> -r.score()).thenComparing(Ranked::term));
            List<String> out = new ArrayList<>(rows.size());
            for (Ranked r : rows) {
                out.add(r.term());
            }
            return out;
        }
    }

    private record Ranked(String term, long score) {
    }

    // ------------------------------------------------------------------ queries

    public int vocabSize() {
        return FIRST_BUCKET + hashBuckets + learned.length;
    }

    public int maxTokens() {
        return maxTokens;
    }

    public int hashBuckets() {
        return hashBuckets;
    }

    public TokenizerOptions options() {
        return new TokenizerOptions(maxTokens, maxVocab, minCount);
    }

    /** The text of an id: "[UNK]", "[NUM]", "[#k]" for bucket k, a word, or a "##" continuation piece. */
    public String term(int id) {
        if (id == UNK) {
            return "[UNK]";
        }
        if (id == NUM) {
            return "[NUM]";
        }
        if (id < FIRST_BUCKET + hashBuckets) {
            return "[#" + (id - FIRST_BUCKET) + "]";
        }
        return learned[id - FIRST_BUCKET - hashBuckets];
    }

    /** The terms a text encodes to (for inspection and tests; allocates). */
    public List<String> tokens(String text) {
        int[] ids = new int[maxTokens];
        int n = encode(text, ids);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(term(ids[i]));
        }
        return out;
    }

    /**
     * Fills {@code ids[0..n)} and returns n in [1, min(maxTokens, ids.length)]; a text with no
     * words is one [UNK]. Thread-safe (one reusable {@link Encoder} per thread).
     */
    public int encode(String text, int[] ids) {
        return encoders.get().encode(text, ids);
    }

    /** A private encoder for one thread (an engine can hold it instead of using the thread-local one). */
    public Encoder newEncoder() {
        return new Encoder();
    }

    /** How a set of texts was encoded: which step each word took. */
    public record Coverage(long words, long exact, long numbers, long canonical, long segmented,
                           long pieces, long bucketPieces, long tokens, long texts, long truncated) {
        public double exactFraction() {
            return words == 0 ? 0 : (double) exact / words;
        }

        public double meanTokens() {
            return texts == 0 ? 0 : (double) tokens / texts;
        }
    }

    public Coverage coverage(List<String> texts) {
        Encoder e = newEncoder();
        int[] ids = new int[maxTokens];
        for (String t : texts) {
            e.encode(t, ids);
        }
        return e.coverage();
    }

    /** Reusable per-thread encoding state: the Lucene chain and scratch buffers. Not thread-safe. */
    public final class Encoder {
        private final WordSplitter splitter = new WordSplitter();
        private char[] canon = new char[256];
        private char[] squeezed = new char[256];
        private long cWords, cExact, cNumbers, cCanonical, cSegmented, cPieces, cBuckets, cTokens, cTexts, cTruncated;

        private Encoder() {
        }

        public int encode(String text, int[] ids) {
            int limit = Math.min(maxTokens, ids.length);
            if (limit < 1) {
                throw new IllegalArgumentException("ids must have room for at least one token");
            }
            int n = 0;
            splitter.start(text);
            while (splitter.next()) {
                if (n >= limit) {
                    cTruncated++;
                    break;
                }
                n = encodeWord(splitter.buffer(), splitter.length(), ids, n, limit);
            }
            splitter.finish();
            if (n == 0) {
                ids[n++] = UNK;
            }
            cTexts++;
            cTokens += n;
            return n;
        }

        private int encodeWord(char[] buf, int len, int[] ids, int n, int limit) {
            cWords++;
            int id = words.get(buf, 0, len);
            if (id >= 0) {
                cExact++;
                ids[n++] = id;
                return n;
            }
            if (Canonical.isNumber(buf, len)) {
                cNumbers++;
                ids[n++] = NUM;
                return n;
            }
            if (canon.length < len) {
                canon = new char[len * 2];
                squeezed = new char[len * 2];
            }
            int clen = Canonical.canonicalize(buf, len, canon);
            if (clen == 0) {
                clen = Math.min(len, canon.length);
                System.arraycopy(buf, 0, canon, 0, clen);
            }
            id = words.get(canon, 0, clen);
            System.arraycopy(canon, 0, squeezed, 0, clen);
            int s2 = Canonical.squeeze(squeezed, clen, 2);
            if (id < 0 && s2 < clen) {
                id = words.get(squeezed, 0, s2);
            }
            if (id < 0 && s2 < clen) { // an elongated word ("yesss", "sooo"): try single letters too
                char[] tmp = canon;
                System.arraycopy(squeezed, 0, tmp, 0, s2);
                int s1 = Canonical.squeeze(tmp, s2, 1);
                if (s1 < s2) {
                    id = words.get(tmp, 0, s1);
                }
            }
            if (id >= 0) {
                cCanonical++;
                ids[n++] = id;
                return n;
            }
            cSegmented++;
            return segment(squeezed, s2, ids, n, limit);
        }

        /** Greedy longest match: a word-initial piece, then continuation pieces; uncovered characters hash to buckets. */
        private int segment(char[] w, int len, int[] ids, int n, int limit) {
            int pos = 0;
            for (int pieces = 0; pos < len && pieces < MAX_PIECES_PER_WORD && n < limit; pieces++) {
                TermTable table = pos == 0 ? words : continuations;
                int found = -1, step = 0;
                for (int l = Math.min(longestPiece, len - pos); l >= 1; l--) {
                    found = table.get(w, pos, l);
                    if (found >= 0) {
                        step = l;
                        break;
                    }
                }
                if (found < 0) {
                    int cp = Character.codePointAt(w, pos, len);
                    step = Character.charCount(cp);
                    found = FIRST_BUCKET + bucketOf(cp);
                    cBuckets++;
                }
                cPieces++;
                ids[n++] = found;
                pos += step;
            }
            return n;
        }

        Coverage coverage() {
            return new Coverage(cWords, cExact, cNumbers, cCanonical, cSegmented, cPieces, cBuckets, cTokens, cTexts, cTruncated);
        }
    }

    /** Fibonacci hashing of the code point: stable across versions (part of the format). */
    int bucketOf(int codePoint) {
        return (int) (((codePoint * 0x9E3779B1L) & 0xFFFFFFFFL) % hashBuckets);
    }

    // ------------------------------------------------------------------ serialization

    /** Format v1: magic "BXTV", version, maxTokens, maxVocab, minCount, buckets, term count, (kind, UTF) per term. */
    public void write(DataOutput out) throws IOException {
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeInt(maxTokens);
        out.writeInt(maxVocab);
        out.writeInt(minCount);
        out.writeInt(hashBuckets);
        out.writeInt(learned.length);
        for (String t : learned) {
            boolean cont = t.startsWith("##") && t.length() > 2;
            out.writeByte(cont ? KIND_CONTINUATION : KIND_WORD);
            out.writeUTF(cont ? t.substring(2) : t);
        }
    }

    /** Reads {@link #write}'s format; anything wrong is an IOException that says what. */
    public static Tokenizer read(DataInput in) throws IOException {
        try {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IOException("not a beex tokenizer (bad magic 0x" + Integer.toHexString(magic) + ")");
            }
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new IOException("unsupported tokenizer format version " + version + " (this build reads " + VERSION + ")");
            }
            int maxTokens = in.readInt(), maxVocab = in.readInt(), minCount = in.readInt(), buckets = in.readInt();
            int count = in.readInt();
            if (maxTokens < 1 || maxTokens > 1 << 16) {
                throw new IOException("tokenizer maxTokens " + maxTokens + " out of range");
            }
            if (buckets < 1 || buckets > 1 << 20) {
                throw new IOException("tokenizer bucket count " + buckets + " out of range");
            }
            if (count < 0 || count > 1 << 24) {
                throw new IOException("tokenizer term count " + count + " out of range");
            }
            TokenizerOptions options;
            try {
                options = new TokenizerOptions(maxTokens, maxVocab, minCount);
            } catch (IllegalArgumentException e) {
                throw new IOException("invalid tokenizer options: " + e.getMessage(), e);
            }
            List<String> terms = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                int kind = in.readUnsignedByte();
                if (kind != KIND_WORD && kind != KIND_CONTINUATION) {
                    throw new IOException("tokenizer term " + i + " has unknown kind " + kind);
                }
                String t = in.readUTF();
                if (t.isEmpty()) {
                    throw new IOException("tokenizer term " + i + " is empty");
                }
                terms.add(kind == KIND_CONTINUATION ? "##" + t : t);
            }
            try {
                return new Tokenizer(options.maxTokens(), options.maxVocab(), options.minCount(), buckets, terms);
            } catch (IllegalArgumentException e) {
                throw new IOException("invalid tokenizer vocabulary: " + e.getMessage(), e);
            }
        } catch (EOFException e) {
            throw new IOException("tokenizer data is truncated", e);
        } catch (UTFDataFormatException e) {
            throw new IOException("tokenizer term is not valid modified UTF-8", e);
        }
    }

    /** The learned terms in id order (ids start at {@code 2 + hashBuckets()}). */
    public List<String> learnedTerms() {
        return Collections.unmodifiableList(Arrays.asList(learned));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Tokenizer)) {
            return false;
        }
        Tokenizer t = (Tokenizer) o;
        return maxTokens == t.maxTokens && maxVocab == t.maxVocab && minCount == t.minCount
                && hashBuckets == t.hashBuckets && Arrays.equals(learned, t.learned);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * maxTokens + hashBuckets) + Arrays.hashCode(learned);
    }

    @Override
    public String toString() {
        return "Tokenizer[vocab=" + vocabSize() + ", maxTokens=" + maxTokens + ", buckets=" + hashBuckets + "]";
    }
}
