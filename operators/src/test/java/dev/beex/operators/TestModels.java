package dev.beex.operators;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Precision;
import dev.beex.model.artifact.ArtifactWriter;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.nn.Initializer;
import dev.beex.model.text.Tokenizer;
import dev.beex.model.text.TokenizerOptions;
import dev.beex.model.train.TrainOptions;
import dev.beex.model.train.TrainedModel;
import dev.beex.model.train.Trainer;
import dev.beex.model.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real, small model artifacts for the operator tests: the tokenizer learned from the committed
 * sentences training split, a 3-block BEExformer, written by {@link ArtifactWriter#create} (with its
 * self-test vectors). {@link #artifact} uses seeded initial weights (these tests are about model
 * handling, and a seed gives each version different, reproducible outputs in milliseconds);
 * {@link #trained} trains one for real with {@link Trainer} (a few seconds).
 */
final class TestModels {

    static final List<String> LABELS = List.of("negative", "positive");
    static final int BLOCKS = 3;

    private static final Map<Long, byte[]> CACHE = new ConcurrentHashMap<>();
    private static volatile Tokenizer tokenizer;

    private TestModels() {
    }

    /** Artifact bytes of the model with this seed (cached; callers must not modify them). */
    static byte[] artifact(long seed) {
        return CACHE.computeIfAbsent(seed, s -> model(s).toBytes());
    }

    static ModelArtifact model(long seed) {
        return model(seed, 32, 2, BLOCKS, 64, 32);
    }

    /** A model of any shape (the tokenizer keeps at most 32 tokens per text). */
    static ModelArtifact model(long seed, int dim, int heads, int blocks, int hidden, int maxTokens) {
        Tokenizer tok = tokenizer();
        ModelConfig config = new ModelConfig(dim, heads, blocks, hidden, Math.max(maxTokens, tok.maxTokens()),
                tok.vocabSize(), LABELS.size(), Precision.BINARY);
        ModelParams params = new ModelParams(config);
        Initializer.init(params, seed);
        return ArtifactWriter.create(params, tok, LABELS, ExitRule.entropyReduction(0.05f),
                Map.of("trainedBy", "operators-test", "seed", Long.toString(seed)));
    }

    /** A random lexical model (hashed lexical path with exit 0 before block 1, BLOCKS + 1 exits). */
    static ModelArtifact lexicalModel(long seed) {
        Tokenizer tok = tokenizer();
        ModelConfig config = new ModelConfig(32, 2, BLOCKS, 64, tok.maxTokens(), tok.vocabSize(), LABELS.size(),
                Precision.BINARY, 256, 16);
        ModelParams params = new ModelParams(config);
        Initializer.init(params, seed);
        return ArtifactWriter.create(params, tok, LABELS, ExitRule.entropyReduction(0.05f),
                Map.of("trainedBy", "operators-test", "seed", Long.toString(seed)));
    }

    private static volatile TrainedModel trained;

    /** A tiny BEExformer (paper network) trained on the sentences train split (dev for the exit calibration), cached. */
    static TrainedModel trained() {
        if (trained == null) {
            synchronized (TestModels.class) {
                if (trained == null) {
                    // the paper network: these tests count exits as blocks 1..BLOCKS
                    TrainOptions o = TrainOptions.defaults().paper().withShape(16, 2, BLOCKS, 32, 24)
                            .withSchedule(2, 32, 5e-3f).withThreads(1).withSeed(7);
                    trained = new Trainer().train(TestDatasets.sentences("train"), TestDatasets.sentences("dev"), o,
                            TrainingListener.NONE);
                }
            }
        }
        return trained;
    }

    static byte[] trainedArtifact() {
        return CACHE.computeIfAbsent(-1L, k -> {
            TrainedModel t = trained();
            return ArtifactWriter.create(t.params(), t.tokenizer(), t.labels(), t.exitRule(),
                    Map.of("trainedBy", "operators-test")).toBytes();
        });
    }

    static List<String> texts(int n) {
        List<LabeledText> data = TestDatasets.sentences("test");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(data.get(i % data.size()).text());
        }
        return out;
    }

    private static Tokenizer tokenizer() {
        if (tokenizer == null) {
            synchronized (TestModels.class) {
                if (tokenizer == null) {
                    List<String> texts = new ArrayList<>();
                    for (LabeledText t : TestDatasets.sentences("train")) {
                        texts.add(t.text());
                    }
                    tokenizer = Tokenizer.build(texts, TokenizerOptions.defaults().withMaxTokens(32));
                }
            }
        }
        return tokenizer;
    }
}
