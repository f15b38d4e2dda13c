package dev.beex.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.LinearParams;
import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Precision;
import dev.beex.model.artifact.ArtifactWriter;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.Prediction;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.nn.Initializer;
import dev.beex.model.text.Tokenizer;
import dev.beex.model.text.TokenizerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The evaluator on a real artifact: its replayed exits must be what the engine does when it stops early. */
class EvaluatorModelTest {
    private static ModelArtifact model;
    private static List<LabeledText> dev;

    @BeforeAll
    static void buildModel() {
        List<String> texts = TestDatasets.sentences("train").stream().map(LabeledText::text).toList();
        Tokenizer tok = Tokenizer.build(texts, new TokenizerOptions(32, 1024, 2));
        ModelConfig c = new ModelConfig(64, 4, 4, 96, 32, tok.vocabSize(), 2, Precision.BINARY);
        ModelParams p = new ModelParams(c);
        Initializer.init(p, 7);
        for (LinearParams h : p.exitHeads) { // sharper exits, so entropies differ between blocks
            for (int i = 0; i < h.weight.length; i++) {
                h.weight[i] *= 6f;
            }
        }
        model = ArtifactWriter.create(p, tok, List.of("negative", "positive"), ExitRule.entropyReduction(0.1f), Map.of());
        dev = TestDatasets.sentences("dev");
    }

    @Test
    void replayedExitsMatchTheEngineStoppingEarly() {
        for (ExitRule rule : List.of(ExitRule.entropyReduction(0.1f), ExitRule.entropyReduction(0.3f), ExitRule.patience(1),
                ExitRule.entropyReduction(0.3f).withFloor(0.75f), ExitRule.absoluteEntropy(1.01f).withFloor(0.8f))) {
            EvalReport r = new Evaluator(2).evaluate(model, dev, rule);
            InferenceEngine engine = model.newEngine(rule);
            int correct = 0, hardWrong = 0;
            long blocks = 0, hard = 0;
            long[] histogram = new long[4];
            for (LabeledText t : dev) {
                Prediction p = engine.score(t.text());
                correct += p.label().equals(t.label()) ? 1 : 0;
                blocks += p.exitBlock();
                hard += p.hard() ? 1 : 0;
                hardWrong += p.hard() && !p.label().equals(t.label()) ? 1 : 0;
                histogram[p.exitBlock() - 1]++;
            }
            assertThat(r.exitHistogram()).as(rule.toString()).containsExactly(histogram);
            if (hard > 0) {
                assertThat(r.hardErrorRate()).as(rule.toString()).isEqualTo((double) hardWrong / hard);
            }
            assertThat(r.records()).isEqualTo(dev.size());
            assertThat(r.accuracy()).as(rule.toString()).isEqualTo((double) correct / dev.size());
            assertThat(r.meanBlocks()).as(rule.toString()).isEqualTo((double) blocks / dev.size());
            assertThat(r.hardFraction()).as(rule.toString()).isEqualTo((double) hard / dev.size());
            assertThat(r.fullDepthAccuracy()).isEqualTo(r.perExitAccuracy()[3]);
            assertThat(r.modelBytes()).isEqualTo(model.artifactBytes());
            assertThat(r.floatModelBytes()).isEqualTo(model.float32Bytes());
        }
    }

    @Test
    void fullDepthSavesNothingAndUnknownLabelsAreNamed() {
        EvalReport none = new Evaluator(1).evaluate(model, dev, ExitRule.FULL_DEPTH);
        assertThat(none.flopsSaved()).isZero();
        assertThat(none.meanBlocks()).isEqualTo(4.0);
        assertThat(none.accuracy()).isEqualTo(none.fullDepthAccuracy());
        List<LabeledText> bad = new ArrayList<>(dev.subList(0, 3));
        bad.add(new LabeledText("x9", "fine", "neutral"));
        assertThatThrownBy(() -> new Evaluator(1).evaluate(model, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("record x9: label 'neutral' is not one of the model's labels [negative, positive]");
    }
}
