package dev.beex.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.ModelConfig;
import dev.beex.model.Precision;
import dev.beex.model.RandomParams;
import dev.beex.model.exit.Entropy;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.nn.ReferenceForward;
import dev.beex.model.testing.Allocations;
import dev.beex.model.text.Tokenizer;
import dev.beex.model.text.TokenizerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine's lexical path and exit 0 ({@link LexicalExit}) against the training-path forward
 * ({@link ReferenceForward}) on the decoded parameters: bit-identical probabilities at every exit
 * (exit 0 included), the exit the rule gives, with exit 0 really skipping every block, and no
 * allocation per scored text.
 */
class LexicalEngineParityTest {
    /** Lexical width 70: two words per row with a padded last word; odd bucket count. */
    static final ModelConfig BINARY = new ModelConfig(68, 4, 2, 100, 24, 60, 3, Precision.BINARY, 97, 70);
    static final ModelConfig DEFAULT_WIDTHS = new ModelConfig(128, 4, 2, 256, 20, 40, 2, Precision.BINARY, 1 << 15, 64);
    static final ModelConfig FLOAT = new ModelConfig(32, 2, 2, 48, 12, 30, 2, Precision.FLOAT, 50, 16);

    private static final String[] WORDS = {"good", "bad", "movie", "FREE", "v1agra", "the", "plot", "$$$", "won't",
        "great!!", "boring", "click", "here", "naïve", "ПРИВЕТ", "a", "", "lost-in-translation", "10/10"};

    @Test
    void binaryLexicalEngineEqualsReferenceExactly() {
        compare(BINARY, 11);
    }

    @Test
    void binaryLexicalEngineEqualsReferenceAtDefaultWidths() {
        compare(DEFAULT_WIDTHS, 12);
    }

    @Test
    void floatLexicalEngineEqualsReferenceExactly() {
        compare(FLOAT, 13);
    }

    private void compare(ModelConfig c, long seed) {
        PackedParams packed = PackedParams.pack(RandomParams.of(c, seed));
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(packed), null,
                EngineReferenceParityTest.labels(c), ExitRule.FULL_DEPTH);
        ReferenceForward ref = new ReferenceForward(packed.decoded());
        Random r = new Random(seed);
        int mismatches = 0;
        for (int trial = 0; trial < 40; trial++) {
            String text = randomText(r, trial == 0 ? 0 : 1 + r.nextInt(trial < 30 ? 12 : 400));
            int n = 1 + r.nextInt(c.maxTokens());
            int[] ids = EngineReferenceParityTest.randomIds(r, c, n);
            float[][] want = ref.exitProbabilities(ids, n, text);
            float[][] got = engine.allExits(text, ids, n);
            assertThat(got.length).isEqualTo(c.exits());
            for (int e = 0; e < c.exits(); e++) {
                for (int l = 0; l < c.numLabels(); l++) {
                    if (Float.floatToIntBits(want[e][l]) != Float.floatToIntBits(got[e][l])) {
                        mismatches++;
                    }
                }
            }
        }
        assertThat(mismatches).as("probabilities differing in any bit").isZero();
    }

    @Test
    void exitZeroAnswersWithoutRunningABlock() {
        ModelConfig c = BINARY;
        PackedParams packed = PackedParams.pack(RandomParams.of(c, 14));
        ReferenceForward ref = new ReferenceForward(packed.decoded());
        EngineModel model = EngineModel.compile(packed);
        Random r = new Random(14);
        int[] histogram = new int[c.exits()];
        for (ExitRule rule : List.of(ExitRule.absoluteEntropy(0.999f), ExitRule.absoluteEntropy(0.99f), ExitRule.entropyReduction(0.05f),
                ExitRule.absoluteEntropy(0.999f).withFloor(0.55f), ExitRule.patience(1), ExitRule.FULL_DEPTH)) {
            InferenceEngine engine = new InferenceEngine(model, null, EngineReferenceParityTest.labels(c), rule);
            for (int trial = 0; trial < 60; trial++) {
                String text = randomText(r, 1 + r.nextInt(10));
                int n = 1 + r.nextInt(c.maxTokens());
                int[] ids = EngineReferenceParityTest.randomIds(r, c, n);
                float[][] probs = ref.exitProbabilities(ids, n, text);
                float[] h = new float[c.exits()], conf = new float[c.exits()];
                int[] labels = new int[c.exits()];
                for (int e = 0; e < c.exits(); e++) {
                    h[e] = Entropy.normalized(probs[e], c.numLabels());
                    labels[e] = Entropy.argmax(probs[e], c.numLabels());
                    conf[e] = probs[e][labels[e]];
                }
                int firing = rule.firstFiring(h, labels, conf, c.exits());
                int exit = Math.min(firing, c.exits() - 1);
                long before = engine.blocksRun();
                // score through a full-depth pass's buffers first, so a stale lexical vector would show
                engine.allExits(randomText(r, 3), ids, n);
                ScoreResult res = ScoreResult.forModel(c);
                long mid = engine.blocksRun();
                engineScore(engine, text, ids, n, res);
                assertThat(res.exit).as("exit, rule %s", rule).isEqualTo(exit);
                assertThat(res.exitBlock).isEqualTo(exit);
                assertThat(engine.blocksRun() - mid).as("blocks actually run").isEqualTo(exit);
                assertThat(res.labelIndex).isEqualTo(labels[exit]);
                assertThat(res.hard()).as("hard: the rule fired at no exit").isEqualTo(firing == c.exits());
                assertThat(res.probabilities).containsExactly(probs[exit]);
                assertThat(before).isLessThanOrEqualTo(mid);
                histogram[exit]++;
            }
        }
        assertThat(histogram[0]).as("records answered by exit 0").isPositive();
        assertThat(histogram[c.exits() - 1]).as("records at full depth").isPositive();
    }

    /** Scores with the early-exit path: the engine's text API needs a tokenizer, so go through allExits' sibling. */
    private static void engineScore(InferenceEngine engine, String text, int[] ids, int n, ScoreResult res) {
        engine.scoreEncoded(text, ids, n, res);
    }

    @Test
    void tokenIdsAloneAreRefusedByALexicalModel() {
        ModelConfig c = BINARY;
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(PackedParams.pack(RandomParams.of(c, 15))),
                null, EngineReferenceParityTest.labels(c), ExitRule.FULL_DEPTH);
        assertThatThrownBy(() -> engine.allExits(new int[] {1, 2}, 2)).hasMessageContaining("lexical path");
    }

    /**
     * {@code score(text)} asks exit 0 before tokenizing: a record that leaves there reports 0 tokens
     * (it was never tokenized), every other one the tokens it was encoded to, and the answer is
     * exactly that of scoring the pre-encoded text.
     */
    @Test
    void exitZeroAnswersBeforeTheTextIsTokenized() {
        List<String> corpus = randomCorpus(17);
        Tokenizer tokenizer = Tokenizer.build(corpus, new TokenizerOptions(20, 200, 1));
        ModelConfig c = BINARY.withVocabSize(tokenizer.vocabSize());
        EngineModel model = EngineModel.compile(PackedParams.pack(RandomParams.of(c, 17)));
        ScoreResult lazy = ScoreResult.forModel(c), encoded = ScoreResult.forModel(c);
        int[] ids = new int[tokenizer.maxTokens()];
        int atExitZero = 0, later = 0;
        for (ExitRule rule : List.of(ExitRule.absoluteEntropy(0.999f), ExitRule.absoluteEntropy(0.99f), ExitRule.patience(1))) {
            InferenceEngine engine = new InferenceEngine(model, tokenizer, EngineReferenceParityTest.labels(c), rule);
            for (String text : corpus) {
                engine.score(text, lazy);
                int n = tokenizer.encode(text, ids);
                engine.scoreEncoded(text, ids, n, encoded);
                assertThat(lazy.exit).isEqualTo(encoded.exit);
                assertThat(lazy.labelIndex).isEqualTo(encoded.labelIndex);
                assertThat(lazy.hard()).isEqualTo(encoded.hard());
                assertThat(lazy.probabilities).containsExactly(encoded.probabilities);
                assertThat(lazy.tokens).as("tokens of a record leaving at exit %d", lazy.exit).isEqualTo(lazy.exit == 0 ? 0 : n);
                if (lazy.exit == 0) {
                    atExitZero++;
                } else {
                    later++;
                }
            }
        }
        assertThat(atExitZero).isPositive();
        assertThat(later).isPositive();
    }

    @Test
    void scoringATextAllocatesNothing() {
        List<String> corpus = randomCorpus(16);
        Tokenizer tokenizer = Tokenizer.build(corpus, new TokenizerOptions(20, 200, 1));
        ModelConfig c = DEFAULT_WIDTHS.withVocabSize(tokenizer.vocabSize());
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(PackedParams.pack(RandomParams.of(c, 16))),
                tokenizer, EngineReferenceParityTest.labels(c), ExitRule.absoluteEntropy(0.5f));
        ScoreResult res = ScoreResult.forModel(c);
        for (int i = 0; i < 3000; i++) {        // warm up: let the JIT compile the hot path
            engine.score(corpus.get(i % corpus.size()), res);
        }
        long allocated = Allocations.bytesAllocatedBy(() -> {
            for (int i = 0; i < 500; i++) {
                engine.score(corpus.get(i % corpus.size()), res);
            }
        });
        assertThat(allocated).as("bytes allocated by 500 scoring calls").isLessThan(4096);
    }

    /** 300 random texts of 3 to 22 words. */
    private static List<String> randomCorpus(long seed) {
        List<String> corpus = new ArrayList<>();
        Random r = new Random(seed);
        for (int i = 0; i < 300; i++) {
            corpus.add(randomText(r, 3 + r.nextInt(20)));
        }
        return corpus;
    }

    static String randomText(Random r, int words) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                b.append(r.nextInt(5) == 0 ? ", " : " ");
            }
            b.append(WORDS[r.nextInt(WORDS.length)]);
        }
        return b.toString();
    }
}
