package dev.beex.model.testing;

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
import dev.beex.model.train.TrainOptions;
import dev.beex.model.train.TrainedModel;
import dev.beex.model.train.Trainer;
import dev.beex.model.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Small real model artifacts for the tests of the modules that handle models (operators,
 * pipeline): the tokenizer learned from the committed sentences training split, a 3-block
 * BEExformer, written by {@link ArtifactWriter#create} (with its self-test vectors). Most are
 * seeded, not trained: those tests are about model handling and plumbing, and a seed gives each
 * version different, reproducible outputs in milliseconds. {@link #trainedPaperModel} trains one
 * for real (a few seconds).
 */
public final class TestModels {

    public static final List<String> LABELS = List.of("negative", "positive");
    public static final int BLOCKS = 3;

    private static final Map<Long, byte[]> SEEDED_BYTES = new ConcurrentHashMap<>();
    private static Tokenizer tokenizer;
    private static TrainedModel trained;
    private static byte[] trainedBytes;

    private TestModels() {
    }

    /** The tokenizer every model here uses: learned from the sentences training split, at most 32 tokens per text. */
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

    /** The first {@code n} sentences of the test split (real, labeled). */
    public static List<LabeledText> testSentences(int n) {
        List<LabeledText> all = TestDatasets.sentences("test");
        return all.subList(0, Math.min(n, all.size()));
    }

    /** {@code n} texts of the test split, repeating it when n is larger. */
    public static List<String> testTexts(int n) {
        List<LabeledText> data = TestDatasets.sentences("test");
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(data.get(i % data.size()).text());
        }
        return out;
    }

    /** A 3-block paper network (d 32, 2 heads, SLFN 64) with seeded weights and the rule reduction:0.05. */
    public static ModelArtifact seededModel(long seed) {
        return seededModel(seed, 32, 2, BLOCKS, 64, 32);
    }

    /** {@link #seededModel(long)}'s file bytes, cached per seed (callers must not modify them). */
    public static byte[] seededModelBytes(long seed) {
        return SEEDED_BYTES.computeIfAbsent(seed, s -> seededModel(s).toBytes());
    }

    /** A paper network of any shape with seeded weights (the tokenizer keeps at most 32 tokens per text). */
    public static ModelArtifact seededModel(long seed, int dim, int heads, int blocks, int hidden, int maxTokens) {
        Tokenizer tok = tokenizer();
        ModelConfig config = new ModelConfig(dim, heads, blocks, hidden, Math.max(maxTokens, tok.maxTokens()),
                tok.vocabSize(), LABELS.size(), Precision.BINARY);
        return seeded(config, seed, ExitRule.entropyReduction(0.05f));
    }

    /** A seeded lexical model: the hashed lexical path (256 × 16) with exit 0 before block 1, BLOCKS + 1 exits. */
    public static ModelArtifact seededLexicalModel(long seed) {
        Tokenizer tok = tokenizer();
        ModelConfig config = new ModelConfig(32, 2, BLOCKS, 64, tok.maxTokens(), tok.vocabSize(), LABELS.size(),
                Precision.BINARY, 256, 16);
        return seeded(config, seed, ExitRule.entropyReduction(0.05f));
    }

    /**
     * {@link #seededModel(long)}'s network with an exit rule that leaves about half of the test
     * sentences unsure at every exit (hard examples): it exits once the entropy drops under the
     * median, over the test sentences, of the lowest entropy any exit reaches.
     */
    public static ModelArtifact seededModelHalfHard(long seed) {
        ModelArtifact model = seededModel(seed);
        return seeded(model.config(), seed, ExitRule.absoluteEntropy(medianLowestEntropy(model)));
    }

    private static ModelArtifact seeded(ModelConfig config, long seed, ExitRule rule) {
        ModelParams params = new ModelParams(config);
        Initializer.init(params, seed);
        return ArtifactWriter.create(params, tokenizer(), LABELS, rule, Map.of("seed", Long.toString(seed)));
    }

    private static float medianLowestEntropy(ModelArtifact model) {
        InferenceEngine engine = model.newEngine(ExitRule.FULL_DEPTH);
        List<LabeledText> data = testSentences(200);
        float[] minima = new float[data.size()];
        for (int i = 0; i < data.size(); i++) {
            float min = Float.MAX_VALUE;
            for (float[] probs : engine.scoreAllExits(data.get(i).text())) {
                min = Math.min(min, Entropy.normalized(probs, probs.length));
            }
            minima[i] = min;
        }
        Arrays.sort(minima);
        return minima[minima.length / 2];
    }

    /** A tiny paper network (exits = blocks 1..BLOCKS) trained on the sentences train split, dev for the rule; cached. */
    public static synchronized TrainedModel trainedPaperModel() {
        if (trained == null) {
            TrainOptions o = TrainOptions.defaults().paper().withShape(16, 2, BLOCKS, 32, 24)
                    .withSchedule(2, 32, 5e-3f).withThreads(1).withSeed(7);
            trained = new Trainer().train(TestDatasets.sentences("train"), TestDatasets.sentences("dev"), o,
                    TrainingListener.NONE);
        }
        return trained;
    }

    /** {@link #trainedPaperModel()}'s artifact bytes, cached (callers must not modify them). */
    public static synchronized byte[] trainedPaperModelBytes() {
        if (trainedBytes == null) {
            TrainedModel t = trainedPaperModel();
            trainedBytes = ArtifactWriter.create(t.params(), t.tokenizer(), t.labels(), t.exitRule(),
                    Map.of("purpose", "tests")).toBytes();
        }
        return trainedBytes;
    }
}
