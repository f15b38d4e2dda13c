package dev.beex.model.artifact;

import dev.beex.model.RandomParams;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Precision;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.engine.PackedParams;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.nn.Initializer;
import dev.beex.model.text.Tokenizer;
import dev.beex.model.text.TokenizerOptions;
import java.util.List;
import java.util.Map;

/** Small artifacts for tests: a tokenizer learned from the committed sentences, random parameters. */
final class ArtifactFixtures {
    static final List<String> LABELS = List.of("negative", "positive");
    private static Tokenizer tokenizer;

    private ArtifactFixtures() {
    }

    static synchronized Tokenizer tokenizer() {
        if (tokenizer == null) {
            List<String> texts = TestDatasets.sentences("train").stream().map(LabeledText::text).toList();
            tokenizer = Tokenizer.build(texts, new TokenizerOptions(32, 1024, 2));
        }
        return tokenizer;
    }

    static ModelConfig smallConfig(Precision precision) {
        return new ModelConfig(64, 4, 3, 96, 32, tokenizer().vocabSize(), 2, precision);
    }

    /** Initializer weights plus random biases and LayerNorm parameters (so every tensor matters). */
    static ModelParams randomParams(ModelConfig c, long seed) {
        return RandomParams.of(c, seed);
    }

    /** The small shape with a lexical path (2^10 buckets × 64 bits) and its exit 0. */
    static ModelConfig smallLexicalConfig(Precision precision) {
        return new ModelConfig(64, 4, 3, 96, 32, tokenizer().vocabSize(), 2, precision, 1 << 10, 64);
    }

    static ModelArtifact smallLexical(Precision precision, long seed) {
        return ArtifactWriter.create(randomParams(smallLexicalConfig(precision), seed), tokenizer(), LABELS,
                ExitRule.absoluteEntropy(0.9f), Map.of("name", "fixture-lexical"));
    }

    /** The small lexical shape with binarized attention scores (format 4). */
    static ModelArtifact smallBinaryAttention(long seed) {
        ModelConfig c = smallLexicalConfig(Precision.BINARY);
        ModelConfig binaryAttention = new ModelConfig(c.dim(), c.heads(), c.blocks(), c.slfnHidden(), c.maxTokens(),
                c.vocabSize(), c.numLabels(), c.precision(), c.lexBuckets(), c.lexDim(), true);
        return ArtifactWriter.create(randomParams(binaryAttention, seed), tokenizer(), LABELS,
                ExitRule.absoluteEntropy(0.9f), Map.of("name", "fixture-binary-attention"));
    }

    static ModelArtifact small(Precision precision, long seed) {
        return ArtifactWriter.create(randomParams(smallConfig(precision), seed), tokenizer(), LABELS,
                ExitRule.entropyReduction(0.05f), Map.of("name", "fixture", "version", "1"));
    }

    /**
     * {@code artifact} with other weights but the same stored self-test vectors, correctly hashed:
     * what a tampered file that passes the checksum looks like (only the self-tests catch it).
     */
    static ModelArtifact withTamperedParams(ModelArtifact artifact, PackedParams params) throws InvalidArtifactException {
        return ArtifactReader.fromBytes(ArtifactWriter.encode(artifact.config(), artifact.labels(), artifact.tokenizer(),
                artifact.exitRule(), artifact.metadata(), params, artifact.selfTests()));
    }
}
