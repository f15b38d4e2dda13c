package dev.beex.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.ModelConfig;
import dev.beex.model.Precision;
import dev.beex.model.Tensor;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.engine.BinaryMatrix;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.text.Tokenizer;
import dev.beex.model.text.TokenizerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The default shape (d=128, 4 heads, 6 blocks, SLFN 256, 128 tokens) with an ~8k vocabulary,
 * with the default lexical path (2^15 × 64-bit table) and as the paper network, must travel
 * inline in one Kafka message (1 MB) and be at least 21.3x smaller than its float32 parameters
 * (the float32 export includes the float lexical table). Prints the sizes.
 */
class ArtifactSizeTest {

    @Test
    void defaultLexicalModelFitsInOneKafkaMessage() {
        check(new LexicalShape(dev.beex.model.train.LexicalOptions.DEFAULT_BUCKETS,
                dev.beex.model.train.LexicalOptions.DEFAULT_DIM));
    }

    @Test
    void defaultModelFitsInOneKafkaMessage() {
        check(new LexicalShape(0, 0));
    }

    private record LexicalShape(int buckets, int dim) {
    }

    private void check(LexicalShape lex) {
        List<String> texts = new ArrayList<>();
        TestDatasets.sentences("train").forEach(t -> texts.add(t.text()));
        TestDatasets.spamTest().forEach(t -> texts.add(t.text()));
        Tokenizer tok = Tokenizer.build(texts, TokenizerOptions.defaults());
        ModelConfig c = new ModelConfig(ModelConfig.DEFAULT_DIM, ModelConfig.DEFAULT_HEADS, ModelConfig.DEFAULT_BLOCKS,
                ModelConfig.DEFAULT_SLFN_HIDDEN, ModelConfig.DEFAULT_MAX_TOKENS, tok.vocabSize(), 2, Precision.BINARY,
                lex.buckets(), lex.dim());
        ModelArtifact a = ArtifactWriter.create(ArtifactFixtures.randomParams(c, 3), tok, List.of("ham", "spam"),
                ExitRule.entropyReduction(0.05f), Map.of("name", "size-check"));
        long file = a.artifactBytes(), params = parameterBytes(a), f32 = a.float32Bytes();
        System.out.printf("default model (lexical " + lex + "): vocab %d, float32 %d B, artifact %d B (parameters %d B), "
                        + "ratio file %.2fx, ratio parameters %.2fx%n",
                c.vocabSize(), f32, file, params, (double) f32 / file, (double) f32 / params);
        assertThat(file).isLessThanOrEqualTo(1_000_000L);
        assertThat((double) f32 / file).as("float32 bytes / artifact bytes").isGreaterThanOrEqualTo(21.3);
        assertThat((double) f32 / params).isGreaterThan(21.3);
    }

    /**
     * Bytes of the parameters alone as stored, before deflate (packed bits, float16 α and float16
     * tensors), without vocabulary or tests.
     */
    private static long parameterBytes(ModelArtifact a) {
        long n = 0;
        for (BinaryMatrix m : a.packed().binary()) {
            n += 8L * m.bits.length + 2L * m.alpha.length;
        }
        for (Tensor t : ArtifactFormat.floatTensors(a.packed().decoded())) {
            n += 2L * t.data().length;
        }
        return n;
    }
}
