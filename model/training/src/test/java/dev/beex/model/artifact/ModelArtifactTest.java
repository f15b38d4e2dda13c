package dev.beex.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.BlockLayer;
import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Precision;
import dev.beex.model.Tensor;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.engine.BinaryMatrix;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.PackedParams;
import dev.beex.model.engine.Prediction;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.nn.ReferenceForward;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {
    private static ModelArtifact binary;
    private static List<String> texts;

    @BeforeAll
    static void setup() {
        binary = ArtifactFixtures.small(Precision.BINARY, 7);
        texts = TestDatasets.sentences("test").stream().map(LabeledText::text).limit(60).toList();
    }

    @Test
    void roundTripIsByteIdenticalAndScoresIdentically(@TempDir Path dir) throws IOException {
        byte[] bytes = binary.toBytes();
        ModelArtifact back = ArtifactReader.fromBytes(bytes);
        assertThat(back.toBytes()).isEqualTo(bytes);
        assertThat(back.sha256()).isEqualTo(binary.sha256()).hasSize(64);
        assertThat(back.config()).isEqualTo(binary.config());
        assertThat(back.labels()).isEqualTo(ArtifactFixtures.LABELS);
        assertThat(back.exitRule()).isEqualTo(ExitRule.entropyReduction(0.05f));
        assertThat(back.metadata()).containsEntry("name", "fixture").containsEntry("version", "1").containsKey("created");
        assertThat(back.tokenizer().vocabSize()).isEqualTo(binary.tokenizer().vocabSize());

        Path file = dir.resolve("sub/model.beex");
        back.write(file);
        ModelArtifact fromFile = ArtifactReader.read(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
        assertThat(fromFile.artifactBytes()).isEqualTo(bytes.length);

        InferenceEngine a = binary.newEngine(), b = fromFile.newEngine();
        for (String t : texts) {
            Prediction pa = a.score(t), pb = b.score(t);
            assertThat(pb).isEqualTo(pa);
            assertThat(b.scoreAllExits(t)).isDeepEqualTo(a.scoreAllExits(t));
        }
        ArtifactSelfTest.verify(fromFile);
        assertThat(fromFile.selfTests()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void floatPrecisionArtifactRoundTripsAndMatchesReference() throws IOException {
        ModelArtifact f = ArtifactFixtures.small(Precision.FLOAT, 8);
        ModelArtifact back = ArtifactReader.fromBytes(f.toBytes());
        assertThat(back.toBytes()).isEqualTo(f.toBytes());
        ArtifactSelfTest.verify(back);
        assertThat(back.packed().binary()).isEmpty();
        assertThat(back.float32Bytes()).isEqualTo(f.params().float32Bytes());
        assertParamsFeedReference(back);
    }

    @Test
    void paramsDecodeBinarizedWeightsAsPlusMinusAlphaAndKeepFloats() {
        ModelParams original = ArtifactFixtures.randomParams(ArtifactFixtures.smallConfig(Precision.BINARY), 7);
        ModelParams decoded = binary.params();
        List<Tensor> o = original.tensors(), d = decoded.tensors();
        for (int i = 0; i < o.size(); i++) {
            float[] od = o.get(i).data(), dd = d.get(i).data();
            if (!o.get(i).binarized()) {
                for (int k = 0; k < od.length; k++) {
                    assertThat(dd[k]).as("%s[%d]", o.get(i).name(), k).isEqualTo(Float16.round(od[k]));
                }
                continue;
            }
            int cols = i == 0 ? original.config.dim() : od.length / rowsOf(original, o.get(i));
            for (int r = 0; r < od.length / cols; r++) {
                float alpha = 0f;
                for (int k = 0; k < cols; k++) {
                    alpha += Math.abs(od[r * cols + k]);
                }
                alpha = Float16.round(alpha / cols);    // stored as float16
                for (int k = 0; k < cols; k++) {
                    float want = od[r * cols + k] >= 0 ? alpha : -alpha;
                    assertThat(dd[r * cols + k]).as("%s[%d][%d]", o.get(i).name(), r, k).isEqualTo(want);
                }
            }
        }
        // the copy is fresh: changing it does not change the artifact
        decoded.positionEmbedding[0] += 1f;
        assertThat(binary.params().positionEmbedding[0]).isEqualTo(Float16.round(original.positionEmbedding[0]));
    }

    /** Output rows of a binarized block weight, named {@code block<i>.<layer>.weight}. */
    private static int rowsOf(ModelParams p, Tensor t) {
        String layerName = t.name().split("\\.")[1];
        for (BlockLayer layer : BlockLayer.values()) {
            if (layer.tensorName().equals(layerName)) {
                return layer.out(p.config);
            }
        }
        throw new AssertionError("not a block layer weight: " + t.name());
    }

    @Test
    void engineEqualsReferenceForwardOnDecodedParams() {
        assertParamsFeedReference(binary);
    }

    private static void assertParamsFeedReference(ModelArtifact artifact) {
        ReferenceForward ref = new ReferenceForward(artifact.params());
        InferenceEngine engine = artifact.newEngine(ExitRule.FULL_DEPTH);
        int[] ids = new int[artifact.config().maxTokens()];
        for (String t : texts) {
            int n = artifact.tokenizer().encode(t, ids);
            float[][] want = ref.exitProbabilities(ids, n);
            float[][] got = engine.scoreAllExits(t);
            for (int b = 0; b < want.length; b++) {
                for (int c = 0; c < want[b].length; c++) {
                    assertThat(got[b][c]).isCloseTo(want[b][c], org.assertj.core.data.Offset.offset(1e-6f));
                }
            }
        }
    }

    // ------------------------------------------------------------------ rejection

    @Test
    void rejectsTruncatedFiles() {
        byte[] b = binary.toBytes();
        for (int len : new int[] {0, 3, 10, 47, b.length / 2, b.length - 33, b.length - 1}) {
            byte[] cut = java.util.Arrays.copyOf(b, len);
            assertThatThrownBy(() -> ArtifactReader.fromBytes(cut)).as("cut to %d bytes", len)
                    .isInstanceOf(InvalidArtifactException.class)
                    .hasMessageContaining(len < 4 ? "not a beex model artifact" : "truncated");
        }
    }

    @Test
    void rejectsBitFlipsAnywhereInTheContent() {
        byte[] b = binary.toBytes();
        int payloadEnd = b.length - 32;
        for (int pos : new int[] {16, 17, 100, b.length / 3, b.length / 2, payloadEnd - 1, payloadEnd, b.length - 1}) {
            byte[] flipped = b.clone();
            flipped[pos] ^= 0x10;
            assertThatThrownBy(() -> ArtifactReader.fromBytes(flipped)).as("bit flip at %d", pos)
                    .isInstanceOf(InvalidArtifactException.class)
                    .hasMessageContaining("SHA-256 mismatch");
        }
        byte[] flippedLength = b.clone();
        flippedLength[12] ^= 1;         // payload length: now announces a wrong size
        assertThatThrownBy(() -> ArtifactReader.fromBytes(flippedLength)).isInstanceOf(InvalidArtifactException.class)
                .hasMessageMatching(".*(truncated|unexpected bytes).*");
    }

    @Test
    void rejectsForeignFilesAndFutureVersions(@TempDir Path dir) throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertThatThrownBy(() -> ArtifactReader.fromBytes(png)).isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("not a beex model artifact").hasMessageContaining("89504e47");
        byte[] zip = binary.toBytes();
        zip[0] = 'P';
        zip[1] = 'K';
        assertThatThrownBy(() -> ArtifactReader.fromBytes(zip)).hasMessageContaining("not a beex model artifact");

        byte[] future = binary.toBytes();
        future[5] = 5;
        assertThatThrownBy(() -> ArtifactReader.fromBytes(future)).isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("format version 5 is newer");
        byte[] old = binary.toBytes();
        old[5] = 1;                     // version 1 stored float32 parameters
        assertThatThrownBy(() -> ArtifactReader.fromBytes(old)).isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("unsupported format version 1");

        Path file = dir.resolve("future.beex");
        Files.write(file, future);
        assertThatThrownBy(() -> ArtifactReader.read(file)).isInstanceOf(InvalidArtifactException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining("newer");
    }

    /** Format 3 with the lexical path: byte-identical round trip, same scores, engine = reference, exact. */
    @Test
    void lexicalArtifactRoundTripsAndMatchesReference(@TempDir Path dir) throws IOException {
        for (Precision precision : Precision.values()) {
            ModelArtifact lexical = ArtifactFixtures.smallLexical(precision, 9);
            byte[] bytes = lexical.toBytes();
            assertThat(ByteBuffer.wrap(bytes).getShort(4)).isEqualTo((short) 3);
            Path file = dir.resolve("lexical-" + precision + ".beex");
            lexical.write(file);
            ModelArtifact back = ArtifactReader.read(file);
            assertThat(back.toBytes()).isEqualTo(bytes);
            assertThat(back.config()).isEqualTo(lexical.config());
            assertThat(back.config().lexBuckets()).isEqualTo(1 << 10);
            assertThat(back.config().exits()).isEqualTo(4);
            ArtifactSelfTest.verify(back);
            ModelParams decoded = back.params();
            assertThat(decoded.lexTable).isEqualTo(lexical.params().lexTable);
            assertThat(decoded.lexHead.weight).isEqualTo(lexical.params().lexHead.weight);
            if (precision == Precision.BINARY) {   // rows decode to ±α
                for (int r = 0; r < 8; r++) {
                    float a = Math.abs(decoded.lexTable[r * 64]);
                    for (int k = 0; k < 64; k++) {
                        assertThat(Math.abs(decoded.lexTable[r * 64 + k])).isEqualTo(a);
                    }
                }
            }
            InferenceEngine a = lexical.newEngine(), b = back.newEngine(ExitRule.FULL_DEPTH);
            ReferenceForward ref = new ReferenceForward(decoded);
            int[] ids = new int[back.config().maxTokens()];
            for (String t : texts) {
                Prediction pa = a.score(t);
                assertThat(back.newEngine().score(t)).isEqualTo(pa);
                int n = back.tokenizer().encode(t, ids);
                assertThat(b.scoreAllExits(t)).isDeepEqualTo(ref.exitProbabilities(ids, n, t));
            }
        }
    }

    /**
     * Binary attention scores need format 4 (a format-3 reader would score them with float q·k and
     * must refuse the file): written as 4, read back byte-identical, engine = reference, exact.
     */
    @Test
    void binaryAttentionArtifactIsFormatFourAndRoundTrips() throws InvalidArtifactException {
        ModelArtifact model = ArtifactFixtures.smallBinaryAttention(11);
        byte[] bytes = model.toBytes();
        assertThat(ByteBuffer.wrap(bytes).getShort(4)).isEqualTo((short) 4);
        ModelArtifact back = ArtifactReader.fromBytes(bytes);
        assertThat(back.config().binaryAttention()).isTrue();
        assertThat(back.config()).isEqualTo(model.config());
        assertThat(back.toBytes()).isEqualTo(bytes);
        ArtifactSelfTest.verify(back);
        InferenceEngine engine = back.newEngine(ExitRule.FULL_DEPTH);
        ReferenceForward ref = new ReferenceForward(back.params());
        int[] ids = new int[back.config().maxTokens()];
        for (String t : texts) {
            int n = back.tokenizer().encode(t, ids);
            assertThat(engine.scoreAllExits(t)).isDeepEqualTo(ref.exitProbabilities(ids, n, t));
        }
        // The same weights with float scores answer differently: the flag is not decorative.
        ModelConfig c = back.config();
        ModelConfig floatScores = new ModelConfig(c.dim(), c.heads(), c.blocks(), c.slfnHidden(), c.maxTokens(),
                c.vocabSize(), c.numLabels(), c.precision(), c.lexBuckets(), c.lexDim());
        ModelParams same = new ModelParams(floatScores);
        for (int i = 0; i < same.tensors().size(); i++) {
            float[] from = back.params().tensors().get(i).data();
            System.arraycopy(from, 0, same.tensors().get(i).data(), 0, from.length);
        }
        int n = back.tokenizer().encode(texts.get(2), ids);
        assertThat(new ReferenceForward(same).exitProbabilities(ids, n, texts.get(2)))
                .isNotEqualTo(ref.exitProbabilities(ids, n, texts.get(2)));
    }

    /** Format 2 files (the paper network, as the bundled demo models) still load, verify and serve. */
    @Test
    void formatTwoArtifactsStillLoadAndServe() throws IOException {
        for (String name : List.of("spam-v1.beex", "spam-v2.beex")) {
            Path file = Path.of("../../pipeline/src/main/resources/models", name);
            assertThat(file).exists();
            byte[] bytes = Files.readAllBytes(file);
            assertThat(ByteBuffer.wrap(bytes).getShort(4)).as("format of %s", name).isEqualTo((short) 2);
            ModelArtifact old = ArtifactReader.read(file);
            ArtifactSelfTest.verify(old);
            assertThat(old.config().lexical()).isFalse();
            assertThat(old.config().exits()).isEqualTo(old.config().blocks());
            assertThat(old.toBytes()).isEqualTo(bytes);
            Prediction p = old.newEngine().score("Congratulations! You WON a free prize, click here now");
            assertThat(p.exitBlock()).isBetween(1, old.config().blocks());
            assertThat(p.exitEntropies()).hasSize(p.exitBlock());
        }
    }

    @Test
    void rejectsWellHashedButMalformedContent() throws Exception {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(payload);
        out.writeByte(1);           // config section
        out.writeByte(0);
        out.writeInt(6);            // too short for a ModelConfig
        out.write(new byte[6]);
        byte[] body = payload.toByteArray();
        ByteBuffer file = ByteBuffer.allocate(16 + body.length + 32);
        file.put(ArtifactFormat.MAGIC).putShort((short) ArtifactFormat.FORMAT_VERSION).putShort((short) 0).putLong(body.length).put(body);
        file.put(MessageDigest.getInstance("SHA-256").digest(java.util.Arrays.copyOf(file.array(), 16 + body.length)));
        assertThatThrownBy(() -> ArtifactReader.fromBytes(file.array())).isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("malformed artifact").hasMessageContaining("config");
    }

    // ------------------------------------------------------------------ self-tests

    @Test
    void selfTestsCatchTamperedWeightsThatPassTheChecksum() throws InvalidArtifactException {
        ArtifactSelfTest.verify(binary);
        PackedParams p = binary.packed();
        // flip the signs of one output row of block 0's value projection: a plausible corruption
        List<BinaryMatrix> tampered = new ArrayList<>(p.binary());
        BinaryMatrix v = tampered.get(1 + 2);
        long[] bits = v.bits.clone();
        for (int w = 0; w < v.words; w++) {
            bits[w] = ~bits[w] & (w == v.words - 1 && (v.cols & 63) != 0 ? (1L << (v.cols & 63)) - 1 : -1L);
        }
        tampered.set(3, new BinaryMatrix(v.rows, v.cols, v.alpha.clone(), bits));
        ModelParams floats = binary.params();
        ModelArtifact bad = ArtifactFixtures.withTamperedParams(binary, PackedParams.withBinary(floats, tampered));
        assertThat(bad.sha256()).isNotEqualTo(binary.sha256());
        assertThatThrownBy(() -> ArtifactSelfTest.verify(bad)).isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("self-test");

        // a changed float parameter (an exit head bias) is caught too
        ModelParams floats2 = binary.params();
        floats2.exitHeads[0].bias[0] += 0.5f;
        ModelArtifact bad2 = ArtifactFixtures.withTamperedParams(binary, PackedParams.withBinary(floats2, p.binary()));
        assertThatThrownBy(() -> ArtifactSelfTest.verify(bad2)).isInstanceOf(InvalidArtifactException.class)
                .hasMessageContaining("self-test");
    }

    @Test
    void createRejectsMismatchedInputs() {
        ModelConfig c = ArtifactFixtures.smallConfig(Precision.BINARY);
        ModelParams p = ArtifactFixtures.randomParams(c, 1);
        assertThatThrownBy(() -> ArtifactWriter.create(p, ArtifactFixtures.tokenizer(), List.of("a", "b", "c"),
                ExitRule.FULL_DEPTH, Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("labels");
        ModelParams wrongVocab = new ModelParams(c.withVocabSize(c.vocabSize() + 1));
        assertThatThrownBy(() -> ArtifactWriter.create(wrongVocab, ArtifactFixtures.tokenizer(), ArtifactFixtures.LABELS,
                ExitRule.FULL_DEPTH, Map.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vocabulary");
        ModelParams huge = ArtifactFixtures.randomParams(c, 1);
        huge.blocks[1].norm2.gamma[3] = 1e6f;     // beyond float16's ±65504: rejected, not stored as infinity
        assertThatThrownBy(() -> ArtifactWriter.create(huge, ArtifactFixtures.tokenizer(), ArtifactFixtures.LABELS,
                ExitRule.FULL_DEPTH, Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("float16").hasMessageContaining("[3] = 1000000.0");
    }
}
