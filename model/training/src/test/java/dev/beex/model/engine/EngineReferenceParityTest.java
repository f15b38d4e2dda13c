package dev.beex.model.engine;

import dev.beex.model.RandomParams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.ModelConfig;
import dev.beex.model.Precision;
import dev.beex.model.exit.Entropy;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.nn.ReferenceForward;
import dev.beex.model.testing.Allocations;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The engine against the training-path forward ({@link ReferenceForward}) on the decoded
 * parameters, token ids in, for shapes that hit every kernel path (2- and 4-word rows, a
 * padded last word, a non-multiple-of-4 row count) and both precisions. Trained-model parity
 * on real texts is in {@code dev.beex.model.artifact.ArtifactParityTest}.
 */
class EngineReferenceParityTest {

    static final ModelConfig ODD = new ModelConfig(68, 4, 3, 100, 24, 60, 3, Precision.BINARY);
    static final ModelConfig DEFAULT_WIDTHS = new ModelConfig(128, 4, 2, 256, 20, 40, 2, Precision.BINARY);
    static final ModelConfig FLOAT = new ModelConfig(32, 2, 3, 48, 12, 30, 2, Precision.FLOAT);
    /** Binary attention scores: head widths 17 (one padded word), 32 and 68 (two words). */
    static final ModelConfig BINARY_ATTENTION_ODD = new ModelConfig(68, 4, 3, 100, 24, 60, 3, Precision.BINARY, 0, 0, true);
    static final ModelConfig BINARY_ATTENTION_DEFAULT = new ModelConfig(128, 4, 2, 256, 20, 40, 2, Precision.BINARY, 0, 0, true);
    static final ModelConfig BINARY_ATTENTION_WIDE_HEADS = new ModelConfig(136, 2, 2, 64, 16, 40, 2, Precision.BINARY, 0, 0, true);

    @Test
    void binaryEngineEqualsReferenceOnOddShapes() {
        compare(ODD, 1);
    }

    @Test
    void binaryEngineEqualsReferenceOnDefaultWidths() {
        compare(DEFAULT_WIDTHS, 2);
    }

    @Test
    void binaryAttentionEngineEqualsReference() {
        compare(BINARY_ATTENTION_ODD, 5);
        compare(BINARY_ATTENTION_DEFAULT, 6);
        compare(BINARY_ATTENTION_WIDE_HEADS, 7);
    }

    @Test
    void floatEngineEqualsReference() {
        compare(FLOAT, 3);
    }

    private void compare(ModelConfig c, long seed) {
        PackedParams packed = PackedParams.pack(RandomParams.of(c, seed));
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(packed), null, labels(c), ExitRule.FULL_DEPTH);
        ReferenceForward ref = new ReferenceForward(packed.decoded());
        Random r = new Random(seed);
        float worst = 0f;
        for (int trial = 0; trial < 30; trial++) {
            int n = trial == 0 ? 1 : trial == 1 ? c.maxTokens() : 1 + r.nextInt(c.maxTokens());
            int[] ids = randomIds(r, c, n);
            float[][] want = ref.exitProbabilities(ids, n);
            float[][] got = engine.allExits(ids, n);
            for (int b = 0; b < c.blocks(); b++) {
                for (int l = 0; l < c.numLabels(); l++) {
                    worst = Math.max(worst, Math.abs(want[b][l] - got[b][l]));
                }
            }
        }
        // The engine reuses the training path's float kernels and rounds in the same order:
        // differences would mean a kernel computes something else.
        assertThat(worst).isLessThanOrEqualTo(1e-6f);
    }

    @Test
    void earlyExitTakesTheBlockTheRuleGivesOnReferenceOutputsAndSkipsLaterBlocks() {
        ModelConfig c = ODD;
        PackedParams packed = PackedParams.pack(RandomParams.of(c, 4));
        ReferenceForward ref = new ReferenceForward(packed.decoded());
        EngineModel model = EngineModel.compile(packed);
        Random r = new Random(4);
        int[] exitHistogram = new int[c.blocks()];
        for (ExitRule rule : List.of(ExitRule.entropyReduction(0.05f), ExitRule.absoluteEntropy(0.5f),
                ExitRule.patience(1), ExitRule.entropyReduction(0.3f).withFloor(0.8f))) {
            InferenceEngine engine = new InferenceEngine(model, null, labels(c), rule);
            ScoreResult res = ScoreResult.forModel(c);
            for (int trial = 0; trial < 40; trial++) {
                int n = 1 + r.nextInt(c.maxTokens());
                int[] ids = randomIds(r, c, n);
                float[][] probs = ref.exitProbabilities(ids, n);
                float[] h = new float[c.blocks()], conf = new float[c.blocks()];
                int[] labels = new int[c.blocks()];
                for (int b = 0; b < c.blocks(); b++) {
                    h[b] = Entropy.normalized(probs[b], c.numLabels());
                    labels[b] = Entropy.argmax(probs[b], c.numLabels());
                    conf[b] = probs[b][labels[b]];
                }
                int firing = rule.firstFiring(h, labels, conf, c.blocks());
                int exit = Math.min(firing, c.blocks() - 1);
                long before = engine.blocksRun();
                engine.score(ids, n, res);
                assertThat(res.exitBlock).as("exit block, rule %s", rule).isEqualTo(exit + 1);
                assertThat(engine.blocksRun() - before).as("blocks actually run").isEqualTo(exit + 1);
                assertThat(res.labelIndex).isEqualTo(labels[exit]);
                assertThat(res.hard()).as("hard: the rule fired nowhere, rule %s", rule).isEqualTo(firing == c.blocks());
                for (int l = 0; l < c.numLabels(); l++) {
                    assertThat(res.probabilities[l]).isCloseTo(probs[exit][l], org.assertj.core.data.Offset.offset(1e-6f));
                }
                exitHistogram[exit]++;
            }
        }
        // The rules must have made both early and full-depth decisions, or this test proves little.
        assertThat(exitHistogram[0] + exitHistogram[1]).isPositive();
        assertThat(exitHistogram[c.blocks() - 1]).isPositive();
    }

    @Test
    void scoringIntoAResultAllocatesNothing() {
        ModelConfig c = DEFAULT_WIDTHS;
        PackedParams packed = PackedParams.pack(RandomParams.of(c, 5));
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(packed), null, labels(c), ExitRule.FULL_DEPTH);
        ScoreResult res = ScoreResult.forModel(c);
        int[] ids = randomIds(new Random(5), c, c.maxTokens());
        for (int i = 0; i < 2000; i++) {        // warm up: let the JIT compile the hot path
            engine.score(ids, 1 + i % c.maxTokens(), res);
        }
        long allocated = Allocations.bytesAllocatedBy(() -> {
            for (int i = 0; i < 500; i++) {
                engine.score(ids, 1 + i % c.maxTokens(), res);
            }
        });
        assertThat(allocated).as("bytes allocated by 500 scoring calls").isLessThan(4096);
    }

    static int[] randomIds(Random r, ModelConfig c, int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = r.nextInt(c.vocabSize());
        }
        return ids;
    }

    static List<String> labels(ModelConfig c) {
        String[] l = new String[c.numLabels()];
        for (int i = 0; i < l.length; i++) {
            l[i] = "label" + i;
        }
        return List.of(l);
    }
}
