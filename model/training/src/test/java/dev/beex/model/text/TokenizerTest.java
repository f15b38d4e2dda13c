package dev.beex.model.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.testing.Allocations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenizerTest {
    private static Tokenizer sentences;
    private static Tokenizer toy;

    @BeforeAll
    static void build() {
        sentences = Tokenizer.build(texts(TestDatasets.sentences("train")), TokenizerOptions.defaults());
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            corpus.add("Get it FREE today, totally free! Free offer for you.");
            corpus.add("The weather is nice and the food is good.");
            corpus.add("freedom of speech matters; freely given");
        }
        corpus.add("buy viagra pills");   // seen once: below minCount, not a word of the vocabulary
        toy = Tokenizer.build(corpus, new TokenizerOptions(16, 256, 2));
    }

    @AfterAll
    static void release() {
        sentences = null;
        toy = null;
    }

    private static List<String> texts(List<LabeledText> data) {
        List<String> out = new ArrayList<>();
        for (LabeledText r : data) {
            out.add(r.text());
        }
        return out;
    }

    private static int[] ids(Tokenizer t, String text) {
        int[] ids = new int[t.maxTokens()];
        return Arrays.copyOf(ids, t.encode(text, ids));
    }

    @Test
    void wordsAreLowerCasedFoldedAndSignalPunctuationIsKept() {
        assertThat(sentences.tokens("The SOUND quality is GREAT!!!!!")).containsExactly(
                "the", "sound", "quality", "is", "great", "!", "!", "!");
        assertThat(ids(sentences, "Café")).isEqualTo(ids(sentences, "cafe"));
        assertThat(sentences.tokens("Is it $10?")).containsExactly("is", "it", "$", "10", "?");
    }

    @Test
    void emptyTextIsOneUnkAndLongTextIsCutAtMaxTokens() {
        assertThat(ids(sentences, "")).containsExactly(Tokenizer.UNK);
        assertThat(ids(sentences, " \t ... ")).containsExactly(Tokenizer.UNK);
        String longText = "good ".repeat(500);
        int[] ids = new int[500];
        assertThat(sentences.encode(longText, ids)).isEqualTo(TokenizerOptions.DEFAULT_MAX_TOKENS);
        Tokenizer short4 = Tokenizer.build(List.of("a b c d e f", "a b c d e f"), new TokenizerOptions(4, 128, 1));
        assertThat(short4.tokens("a b c d e f")).containsExactly("a", "b", "c", "d");
        assertThat(short4.maxTokens()).isEqualTo(4);
    }

    @Test
    void obfuscatedVariantsOfAKnownWordMapToItsId() {
        int[] free = ids(toy, "free");
        assertThat(free).hasSize(1);
        assertThat(free[0]).isGreaterThanOrEqualTo(Tokenizer.FIRST_BUCKET + toy.hashBuckets());
        assertThat(ids(toy, "fr33")).isEqualTo(free);            // leetspeak
        assertThat(ids(toy, "FREEEEEE")).isEqualTo(free);        // elongation
        assertThat(ids(toy, "f.r.e.e")).isEqualTo(free);         // separators
        assertThat(ids(toy, "fr\u0435\u0435")).isEqualTo(free);  // Cyrillic look-alike е
    }

    @Test
    void outOfVocabularyWordsBecomePiecesSharedWithKnownWordsNeverUnk() {
        // "viagra" is below minCount as a word; it and its obfuscation split into the same pieces
        List<String> plain = toy.tokens("viagra");
        assertThat(plain).hasSizeGreaterThan(1).doesNotContain("[UNK]", "viagra");
        assertThat(toy.tokens("v1agra")).isEqualTo(plain);
        assertThat(toy.tokens("V1AGRA")).isEqualTo(plain);
        // an unseen word built on a known one shares that word's id
        int free = ids(toy, "free")[0];
        assertThat(ids(toy, "freebies")).contains(free).doesNotContain(Tokenizer.UNK);
        // characters never seen in training fall into hashed buckets, never [UNK]
        int[] cjk = ids(toy, "\u6f22\u5b57");
        assertThat(cjk).isNotEmpty();
        assertThat(Arrays.stream(cjk).boxed().toList()).allSatisfy(id -> assertThat(id)
                .isBetween(Tokenizer.FIRST_BUCKET, Tokenizer.FIRST_BUCKET + toy.hashBuckets() - 1));
        // numbers outside the vocabulary are [NUM]
        assertThat(ids(toy, "31337")).containsExactly(Tokenizer.NUM);
    }

    @Test
    void vocabularyRespectsTheBudgetAndIsDeterministic() {
        assertThat(sentences.vocabSize()).isLessThanOrEqualTo(TokenizerOptions.DEFAULT_MAX_VOCAB);
        assertThat(toy.vocabSize()).isLessThanOrEqualTo(256);
        List<String> train = texts(TestDatasets.sentences("train"));
        Tokenizer again = Tokenizer.build(train, TokenizerOptions.defaults());
        assertThat(again).isEqualTo(sentences);
        List<String> shuffledCopy = new ArrayList<>(train);
        Collections.reverse(shuffledCopy);
        assertThat(Tokenizer.build(shuffledCopy, TokenizerOptions.defaults())).isEqualTo(sentences);
        Tokenizer small = Tokenizer.build(train, TokenizerOptions.defaults().withMaxVocab(1000));
        assertThat(small.vocabSize()).isEqualTo(1000);
        for (int id = 0; id < small.vocabSize(); id++) {
            assertThat(small.term(id)).isNotEmpty();
        }
    }

    @Test
    void writeReadRoundTripEncodesIdentically() throws IOException {
        byte[] bytes = bytes(sentences);
        Tokenizer back = Tokenizer.read(new DataInputStream(new ByteArrayInputStream(bytes)));
        assertThat(back).isEqualTo(sentences);
        assertThat(back.vocabSize()).isEqualTo(sentences.vocabSize());
        assertThat(back.maxTokens()).isEqualTo(sentences.maxTokens());
        for (LabeledText r : TestDatasets.sentences("dev")) {
            assertThat(ids(back, r.text())).isEqualTo(ids(sentences, r.text()));
        }
        assertThat(bytes(back)).isEqualTo(bytes);
    }

    @Test
    void truncatedOrCorruptInputFailsWithAReason() throws IOException {
        byte[] bytes = bytes(toy);
        for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 97)) {
            byte[] prefix = Arrays.copyOf(bytes, cut);
            assertThatThrownBy(() -> Tokenizer.read(new DataInputStream(new ByteArrayInputStream(prefix))))
                    .isInstanceOf(IOException.class).hasMessage("tokenizer data is truncated");
        }
        byte[] badMagic = bytes.clone();
        badMagic[0] ^= 0x55;
        assertThatThrownBy(() -> Tokenizer.read(new DataInputStream(new ByteArrayInputStream(badMagic))))
                .isInstanceOf(IOException.class).hasMessageStartingWith("not a beex tokenizer");
        byte[] badVersion = bytes.clone();
        badVersion[5] = 9;
        assertThatThrownBy(() -> Tokenizer.read(new DataInputStream(new ByteArrayInputStream(badVersion))))
                .hasMessageStartingWith("unsupported tokenizer format version");
        byte[] badKind = bytes.clone();
        badKind[4 + 2 + 5 * 4] = 7; // kind byte of the first term
        assertThatThrownBy(() -> Tokenizer.read(new DataInputStream(new ByteArrayInputStream(badKind))))
                .hasMessage("tokenizer term 0 has unknown kind 7");
    }

    @Test
    void encodingFromManyThreadsGivesTheSameIds() throws Exception {
        List<String> dev = texts(TestDatasets.sentences("dev"));
        List<int[]> expected = new ArrayList<>();
        for (String t : dev) {
            expected.add(ids(sentences, t));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int th = 0; th < 4; th++) {
                results.add(pool.submit(() -> {
                    for (int rep = 0; rep < 5; rep++) {
                        for (int i = 0; i < dev.size(); i++) {
                            if (!Arrays.equals(ids(sentences, dev.get(i)), expected.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void encodeAllocatesNothingPerTokenInSteadyState() {
        Tokenizer.Encoder enc = sentences.newEncoder();
        int[] ids = new int[128];
        String shortText = "the food was good and the service fr33 v1agra";
        String longText = (shortText + " ").repeat(12);   // 12x the words, up to the 128-token cut
        for (int i = 0; i < 20_000; i++) {   // warm up: JIT and buffer growth
            enc.encode(shortText, ids);
            enc.encode(longText, ids);
        }
        long perLongCall = Allocations.bytesAllocatedBy(() -> {
            for (int i = 0; i < 1000; i++) {
                enc.encode(longText, ids);
            }
        }) / 1000;
        assertThat(enc.encode(longText, ids)).isEqualTo(128);
        // ~128 tokens per call: even one small object per token would be >= 16 bytes x 128
        assertThat(perLongCall).isLessThan(256);
    }

    private static byte[] bytes(Tokenizer t) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        t.write(new DataOutputStream(bos));
        return bos.toByteArray();
    }
}
