package dev.beex.model.artifact;

import static dev.beex.model.artifact.ArtifactFormat.CODEC_DEFLATE;
import static dev.beex.model.artifact.ArtifactFormat.CODEC_RAW;
import static dev.beex.model.artifact.ArtifactFormat.HASH_BYTES;
import static dev.beex.model.artifact.ArtifactFormat.HEADER_BYTES;
import static dev.beex.model.artifact.ArtifactFormat.MAGIC;
import static dev.beex.model.artifact.ArtifactFormat.TAG_BINARY;
import static dev.beex.model.artifact.ArtifactFormat.TAG_CONFIG;
import static dev.beex.model.artifact.ArtifactFormat.TAG_EXIT_RULE;
import static dev.beex.model.artifact.ArtifactFormat.TAG_FLOAT;
import static dev.beex.model.artifact.ArtifactFormat.TAG_LABELS;
import static dev.beex.model.artifact.ArtifactFormat.TAG_METADATA;
import static dev.beex.model.artifact.ArtifactFormat.TAG_SELF_TESTS;
import static dev.beex.model.artifact.ArtifactFormat.TAG_TOKENIZER;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Tensor;
import dev.beex.model.engine.BinaryMatrix;
import dev.beex.model.engine.EngineModel;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.PackedParams;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.text.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/** Makes artifacts: packs trained parameters, records the self-tests and encodes the {@link ArtifactFormat} bytes. */
public final class ArtifactWriter {
    private ArtifactWriter() {
    }

    /**
     * Packs {@code params} (binarizing latent weights: α per row, sign bits) at the
     * {@link StoredPrecision stored precision}, runs the engine on the self-test texts and stores
     * their outputs. Adds {@code created} (UTC, seconds) to the metadata unless given.
     */
    public static ModelArtifact create(ModelParams params, Tokenizer tokenizer, List<String> labels,
                                       ExitRule exitRule, Map<String, String> metadata) {
        ModelConfig c = params.config;
        if (labels.size() != c.numLabels()) {
            throw new IllegalArgumentException(labels.size() + " labels for a model with " + c.numLabels() + " classes");
        }
        if (tokenizer.vocabSize() != c.vocabSize()) {
            throw new IllegalArgumentException("tokenizer vocabulary " + tokenizer.vocabSize()
                    + " != model vocabulary " + c.vocabSize());
        }
        if (tokenizer.maxTokens() > c.maxTokens()) {
            throw new IllegalArgumentException("tokenizer encodes up to " + tokenizer.maxTokens()
                    + " tokens, the model takes " + c.maxTokens());
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.putIfAbsent("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        PackedParams packed = StoredPrecision.round(PackedParams.pack(params));
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(packed), tokenizer, labels, exitRule);
        List<ArtifactSelfTest.Vector> tests = ArtifactSelfTest.record(engine);
        try {
            return ArtifactReader.fromBytes(encode(c, labels, tokenizer, exitRule, meta, packed, tests));
        } catch (InvalidArtifactException e) {
            throw new IllegalStateException("artifact just written does not read back: " + e.getMessage(), e);
        }
    }

    /** The file bytes, checksum included, of the given content (stored as given: no rounding, no new self-tests). */
    static byte[] encode(ModelConfig c, List<String> labels, Tokenizer tokenizer, ExitRule rule,
                         Map<String, String> meta, PackedParams packed, List<ArtifactSelfTest.Vector> tests) {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream(1 << 20);
            DataOutputStream out = new DataOutputStream(payload);
            section(out, TAG_CONFIG, CODEC_RAW, c::write);
            section(out, TAG_LABELS, CODEC_RAW, s -> {
                s.writeInt(labels.size());
                for (String l : labels) {
                    s.writeUTF(l);
                }
            });
            section(out, TAG_TOKENIZER, CODEC_DEFLATE, tokenizer::write);
            section(out, TAG_EXIT_RULE, CODEC_RAW, rule::write);
            section(out, TAG_METADATA, CODEC_RAW, s -> {
                s.writeInt(meta.size());
                for (Map.Entry<String, String> e : meta.entrySet()) {
                    s.writeUTF(e.getKey());
                    s.writeUTF(e.getValue());
                }
            });
            section(out, TAG_BINARY, CODEC_DEFLATE, s -> {
                s.writeInt(packed.binary().size());
                for (BinaryMatrix m : packed.binary()) {
                    s.writeInt(m.rows);
                    s.writeInt(m.cols);
                    for (float a : m.alpha) {
                        s.writeShort(Float16.fromFloat(a));
                    }
                    for (long w : m.bits) {
                        s.writeLong(w);
                    }
                }
            });
            section(out, TAG_FLOAT, CODEC_DEFLATE, s -> {
                List<Tensor> floats = ArtifactFormat.floatTensors(packed.decoded());
                s.writeInt(floats.size());
                for (Tensor t : floats) {
                    s.writeInt(t.data().length);
                    for (float f : t.data()) {
                        s.writeShort(Float16.fromFloat(f));
                    }
                }
            });
            section(out, TAG_SELF_TESTS, CODEC_RAW, s -> {
                s.writeInt(tests.size());
                for (ArtifactSelfTest.Vector t : tests) {
                    s.writeUTF(t.text());
                    s.writeInt(t.exitBlock());
                    s.writeInt(t.labelIndex());
                    for (float p : t.probabilities()) {
                        s.writeFloat(p);
                    }
                    for (float[] exit : t.allExits()) {
                        for (float p : exit) {
                            s.writeFloat(p);
                        }
                    }
                }
            });
            out.flush();
            byte[] body = payload.toByteArray();
            ByteBuffer file = ByteBuffer.allocate(HEADER_BYTES + body.length + HASH_BYTES);
            file.put(MAGIC).putShort((short) c.formatVersion()).putShort((short) 0).putLong(body.length).put(body);
            file.put(ArtifactFormat.sha256(file.array(), 0, HEADER_BYTES + body.length));
            return file.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface SectionWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static void section(DataOutputStream out, int tag, int codec, SectionWriter writer) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream s = new DataOutputStream(buf);
        writer.write(s);
        s.flush();
        byte[] raw = buf.toByteArray();
        out.writeByte(tag);
        out.writeByte(codec);
        if (codec == CODEC_DEFLATE) {
            byte[] z = deflate(raw);
            out.writeInt(z.length);
            out.writeInt(raw.length);
            out.write(z);
        } else {
            out.writeInt(raw.length);
            out.write(raw);
        }
    }

    private static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] chunk = new byte[1 << 16];
            while (!d.finished()) {
                out.write(chunk, 0, d.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }
}
