package dev.beex.pipeline.testing;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Precision;
import dev.beex.model.artifact.ArtifactWriter;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.exit.Entropy;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.nn.Initializer;
import dev.beex.model.text.Tokenizer;
import dev.beex.model.text.TokenizerOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Small real model artifacts for the pipeline tests: a tokenizer learned from the committed
 * sentences split and a 3-block BEExformer. The pipeline tests check plumbing (every record
 * classified once, by the engine's own answer), so the weights are seeded, not trained; the exit
 * rule is chosen so that about half of the test sentences run every block (hard examples).
 */
public final class TestModels {

    public static final List<String> LABELS = List.of("negative", "positive");

    private static Tokenizer tokenizer;

    private TestModels() {
    }

    public static synchronized Tokenizer tokenizer() {
        if (tokenizer == null) {
            List<String> texts = new ArrayList<>();
            for (LabeledText t : TestDatasets.sentences("train")) {
                texts.add(t.text());
            }
            tokenizer = Tokenizer.build(texts, TokenizerOptions.defaults().withMaxTokens(32).withMaxVocab(2000));
        }
        return tokenizer;
    }

    /** Test sentences (real, labeled). */
    public static List<LabeledText> sentences(int n) {
        List<LabeledText> all = TestDatasets.sentences("test");
        return all.subList(0, Math.min(n, all.size()));
    }

    /** A seeded model; different seeds give different answers. */
    public static ModelArtifact artifact(long seed) {
        Tokenizer tok = tokenizer();
        ModelConfig config = new ModelConfig(32, 2, 3, 64, tok.maxTokens(), tok.vocabSize(), LABELS.size(), Precision.BINARY);
        ModelParams params = new ModelParams(config);
        Initializer.init(params, seed);
        ModelArtifact fullDepth = ArtifactWriter.create(params, tok, LABELS, ExitRule.FULL_DEPTH, Map.of("seed", "" + seed));
        ExitRule rule = ExitRule.absoluteEntropy(medianFinalEntropy(fullDepth));
        return ArtifactWriter.create(params, tok, LABELS, rule, Map.of("seed", "" + seed, "purpose", "pipeline tests"));
    }

    // Exit when entropy drops under the median of the minimum entropy over blocks: about half
    // of the records exit early, the other half never do and become hard examples.
    private static float medianFinalEntropy(ModelArtifact model) {
        InferenceEngine engine = model.newEngine(ExitRule.FULL_DEPTH);
        List<LabeledText> data = sentences(200);
        float[] minima = new float[data.size()];
        for (int i = 0; i < data.size(); i++) {
            float[][] exits = engine.scoreAllExits(data.get(i).text());
            float min = Float.MAX_VALUE;
            for (float[] probs : exits) {
                min = Math.min(min, Entropy.normalized(probs, probs.length));
            }
            minima[i] = min;
        }
        Arrays.sort(minima);
        return minima[minima.length / 2];
    }
}
