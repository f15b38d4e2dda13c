package dev.beex.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.exit.Entropy;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.engine.EngineModel;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.PackedParams;
import dev.beex.model.engine.ScoreResult;
import dev.beex.model.nn.ReferenceForward;
import dev.beex.model.train.TrainOptions;
import dev.beex.model.train.TrainedModel;
import dev.beex.model.train.Trainer;
import dev.beex.model.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parity on a trained model: a small BEExformer trained here on the committed sentences
 * (BAT, seconds), packed into an artifact and read back. On every test text of
 * sentences and of spam, the engine and the training-path forward ({@link ReferenceForward}
 * on {@code artifact.params()}) must agree: every exit's probabilities bit for bit (exit 0 of
 * the lexical path included), the same label, and the early-exit engine must leave at the exit
 * the rule gives when replayed on the reference outputs. Both architectures: the default
 * (lexical path) and the paper's network.
 */
class ArtifactParityTest {
    private static ModelArtifact artifact;
    private static TrainedModel trained;
    /** The paper's network (no lexical path), trained the same way. */
    private static ModelArtifact paper;

    // d = 64 and hidden = 128: one-word and two-word packed rows, so both the generic kernel and
    // the K = 128 token-blocked kernel are held to the reference on a trained model.
    @BeforeAll
    static void train() throws InvalidArtifactException {
        TrainOptions o = TrainOptions.defaults().withShape(64, 4, 3, 128, 48).withSchedule(2, 32, 3e-3f)
                .withThreads(2).withSeed(5);
        trained = new Trainer().train(TestDatasets.sentences("train"), TestDatasets.sentences("dev"), o,
                TrainingListener.NONE);
        ModelArtifact made = ArtifactWriter.create(trained.params(), trained.tokenizer(), trained.labels(),
                trained.exitRule(), Map.of("name", "parity"));
        artifact = ArtifactReader.fromBytes(made.toBytes());
        ArtifactSelfTest.verify(artifact);
        TrainedModel p = new Trainer().train(TestDatasets.sentences("train"), TestDatasets.sentences("dev"), o.paper(),
                TrainingListener.NONE);
        paper = ArtifactReader.fromBytes(ArtifactWriter.create(p.params(), p.tokenizer(), p.labels(), p.exitRule(),
                Map.of("name", "parity-paper")).toBytes());
        ArtifactSelfTest.verify(paper);
    }

    @Test
    void lexicalEngineMatchesReferenceOnSentencesAndSpam() {
        assertThat(artifact.config().lexical()).isTrue();
        engineMatchesReference(artifact);
    }

    @Test
    void paperEngineMatchesReferenceOnSentencesAndSpam() {
        assertThat(paper.config().lexical()).isFalse();
        engineMatchesReference(paper);
    }

    private static void engineMatchesReference(ModelArtifact artifact) {
        List<String> texts = new ArrayList<>();
        TestDatasets.sentences("test").forEach(t -> texts.add(t.text()));
        TestDatasets.spamTest().forEach(t -> texts.add(t.text()));

        ReferenceForward ref = new ReferenceForward(artifact.params());
        InferenceEngine full = artifact.newEngine(ExitRule.FULL_DEPTH);
        int blocks = artifact.config().exits(), c = artifact.config().numLabels();
        int[] ids = new int[artifact.config().maxTokens()];
        float[][][] want = new float[texts.size()][][];
        float worst = 0f;
        float[] firstEntropy = new float[texts.size()];
        for (int i = 0; i < texts.size(); i++) {
            int n = artifact.tokenizer().encode(texts.get(i), ids);
            want[i] = ref.exitProbabilities(ids, n, texts.get(i));
            float[][] got = full.scoreAllExits(texts.get(i));
            for (int b = 0; b < blocks; b++) {
                for (int l = 0; l < c; l++) {
                    worst = Math.max(worst, Math.abs(want[i][b][l] - got[b][l]));
                }
            }
            firstEntropy[i] = Entropy.normalized(want[i][0], c);
        }
        // bit for bit: the engine rounds like the training path (model/README.md)
        assertThat(worst).as("largest exit-probability difference").isZero();

        // The model's calibrated rule, and an absolute-entropy rule at the median first-exit
        // entropy (so about half the records leave at the first exit and the rest later).
        float[] sorted = firstEntropy.clone();
        java.util.Arrays.sort(sorted);
        for (ExitRule rule : List.of(artifact.exitRule(), ExitRule.absoluteEntropy(sorted[sorted.length / 2]))) {
            InferenceEngine early = artifact.newEngine(rule);
            ScoreResult res = ScoreResult.forModel(artifact.config());
            int labelMismatches = 0, exitMismatches = 0;
            int[] exitHistogram = new int[blocks];
            for (int i = 0; i < texts.size(); i++) {
                float[] h = new float[blocks], conf = new float[blocks];
                int[] labels = new int[blocks];
                for (int b = 0; b < blocks; b++) {
                    h[b] = Entropy.normalized(want[i][b], c);
                    labels[b] = Entropy.argmax(want[i][b], c);
                    conf[b] = want[i][b][labels[b]];
                }
                int firing = rule.firstFiring(h, labels, conf, blocks);
                int exit = Math.min(firing, blocks - 1);
                early.score(texts.get(i), res);
                exitHistogram[res.exit]++;
                exitMismatches += res.exit != exit || res.exitBlock != artifact.config().blocksAtExit(exit)
                        || res.hard != (firing == blocks) ? 1 : 0;
                labelMismatches += res.labelIndex != labels[exit] ? 1 : 0;
            }
            System.out.printf("parity %s: %d texts, worst exit-probability difference %.3g, exits %s, dev accuracy %.3f%n",
                    rule, texts.size(), worst, java.util.Arrays.toString(exitHistogram), trained.devAccuracy());
            assertThat(exitMismatches).as("exit blocks differing from %s replayed on the reference", rule).isZero();
            assertThat(labelMismatches).as("labels differing from the reference (%s)", rule).isZero();
            if (rule.kind() == ExitRule.Kind.ABSOLUTE_ENTROPY) {
                assertThat(exitHistogram[0]).as("records leaving at the first exit").isPositive();
                assertThat(texts.size() - exitHistogram[0]).as("records running further").isPositive();
            }
        }
    }

    /**
     * The artifact stores α and the float parameters as float16: on the trained model that
     * rounding moves test accuracy (sentences, with the model's exit rule) by at most 0.5 point.
     */
    @Test
    void float16StorageKeepsAccuracyWithinHalfAPoint() {
        PackedParams exact = PackedParams.pack(trained.params());
        InferenceEngine float32 = new InferenceEngine(EngineModel.compile(exact), artifact.tokenizer(),
                artifact.labels(), artifact.exitRule());
        InferenceEngine stored = artifact.newEngine();
        List<LabeledText> test = TestDatasets.sentences("test");
        int right32 = 0, right16 = 0, changed = 0;
        for (LabeledText t : test) {
            String a = float32.score(t.text()).label(), b = stored.score(t.text()).label();
            right32 += a.equals(t.label()) ? 1 : 0;
            right16 += b.equals(t.label()) ? 1 : 0;
            changed += a.equals(b) ? 0 : 1;
        }
        double acc32 = (double) right32 / test.size(), acc16 = (double) right16 / test.size();
        System.out.printf("float16 storage: accuracy %.4f (float32 parameters %.4f), %d of %d labels changed%n",
                acc16, acc32, changed, test.size());
        assertThat(Math.abs(acc16 - acc32)).isLessThanOrEqualTo(0.005);
        assertThat(exact.decoded().positionEmbedding).as("the float32 model really differs")
                .isNotEqualTo(artifact.params().positionEmbedding);
    }

    @Test
    void trainedModelIsBetterThanChanceThroughTheEngine() {
        InferenceEngine engine = artifact.newEngine();
        int correct = 0;
        List<LabeledText> test = TestDatasets.sentences("test");
        for (LabeledText t : test) {
            if (engine.score(t.text()).label().equals(t.label())) {
                correct++;
            }
        }
        assertThat((double) correct / test.size()).isGreaterThan(0.6);
    }
}
