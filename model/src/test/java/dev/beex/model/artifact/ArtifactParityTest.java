package dev.beex.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.exit.Entropy;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.engine.InferenceEngine;
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
 * on {@code artifact.params()}) must agree: every exit's probabilities within 1e-4, the same
 * label, and the early-exit engine must leave at the block the rule gives when replayed on
 * the reference outputs.
 */
class ArtifactParityTest {
    private static ModelArtifact artifact;
    private static TrainedModel trained;

    @BeforeAll
    static void train() throws InvalidArtifactException {
        TrainOptions o = TrainOptions.defaults().withShape(32, 4, 4, 64, 48).withSchedule(2, 32, 3e-3f)
                .withThreads(2).withSeed(5);
        trained = new Trainer().train(TestDatasets.sentences("train"), TestDatasets.sentences("dev"), o,
                TrainingListener.NONE);
        ModelArtifact made = ModelArtifact.create(trained.params(), trained.tokenizer(), trained.labels(),
                trained.exitRule(), Map.of("name", "parity"));
        artifact = ModelArtifact.fromBytes(made.toBytes());
        artifact.verifySelfTests();
    }

    @Test
    void engineMatchesReferenceOnSentencesAndSpam() {
        List<String> texts = new ArrayList<>();
        TestDatasets.sentences("test").forEach(t -> texts.add(t.text()));
        TestDatasets.spamTest().forEach(t -> texts.add(t.text()));

        ReferenceForward ref = new ReferenceForward(artifact.params());
        ExitRule rule = artifact.exitRule();
        InferenceEngine early = artifact.newEngine();
        InferenceEngine full = artifact.newEngine(ExitRule.FULL_DEPTH);
        int blocks = artifact.config().blocks(), c = artifact.config().numLabels();
        int[] ids = new int[artifact.config().maxTokens()];
        ScoreResult res = new ScoreResult(c, blocks);
        int labelMismatches = 0, exitMismatches = 0;
        float worst = 0f;
        int[] exitHistogram = new int[blocks];
        for (String text : texts) {
            int n = artifact.tokenizer().encode(text, ids);
            float[][] want = ref.exitProbabilities(ids, n);
            float[][] got = full.scoreAllExits(text);
            float[] h = new float[blocks];
            int[] labels = new int[blocks];
            for (int b = 0; b < blocks; b++) {
                for (int l = 0; l < c; l++) {
                    worst = Math.max(worst, Math.abs(want[b][l] - got[b][l]));
                }
                h[b] = Entropy.normalized(want[b], c);
                labels[b] = Entropy.argmax(want[b], c);
            }
            int exit = rule.exitBlock(h, labels, blocks);
            early.score(text, res);
            exitHistogram[res.exitBlock - 1]++;
            if (res.exitBlock != exit + 1) {
                exitMismatches++;
            }
            if (res.labelIndex != labels[exit]) {
                labelMismatches++;
            }
        }
        System.out.printf("parity: %d texts, worst exit-probability difference %.3g, exits %s, dev accuracy %.3f%n",
                texts.size(), worst, java.util.Arrays.toString(exitHistogram), trained.devAccuracy());
        assertThat(worst).as("largest exit-probability difference").isLessThanOrEqualTo(1e-4f);
        assertThat(exitMismatches).as("exit blocks differing from the rule replayed on the reference").isZero();
        assertThat(labelMismatches).as("labels differing from the reference").isZero();
        // A meaningful model: not all records leave at the same block.
        assertThat(java.util.Arrays.stream(exitHistogram).filter(x -> x > 0).count()).isGreaterThan(1);
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
