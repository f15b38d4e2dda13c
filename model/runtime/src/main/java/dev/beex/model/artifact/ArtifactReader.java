package dev.beex.model.artifact;

import static dev.beex.model.artifact.ArtifactFormat.CODEC_DEFLATE;
import static dev.beex.model.artifact.ArtifactFormat.CODEC_RAW;
import static dev.beex.model.artifact.ArtifactFormat.FORMAT_VERSION;
import static dev.beex.model.artifact.ArtifactFormat.HASH_BYTES;
import static dev.beex.model.artifact.ArtifactFormat.HEADER_BYTES;
import static dev.beex.model.artifact.ArtifactFormat.MAGIC;
import static dev.beex.model.artifact.ArtifactFormat.OLDEST_READABLE_VERSION;
import static dev.beex.model.artifact.ArtifactFormat.TAG_BINARY;
import static dev.beex.model.artifact.ArtifactFormat.TAG_CONFIG;
import static dev.beex.model.artifact.ArtifactFormat.TAG_EXIT_RULE;
import static dev.beex.model.artifact.ArtifactFormat.TAG_FLOAT;
import static dev.beex.model.artifact.ArtifactFormat.TAG_LABELS;
import static dev.beex.model.artifact.ArtifactFormat.TAG_METADATA;
import static dev.beex.model.artifact.ArtifactFormat.TAG_SELF_TESTS;
import static dev.beex.model.artifact.ArtifactFormat.TAG_TOKENIZER;

import dev.beex.model.BitPacking;
import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Tensor;
import dev.beex.model.engine.BinaryMatrix;
import dev.beex.model.engine.PackedParams;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.text.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads artifacts: checks magic, version, length and SHA-256, then decodes and validates every
 * {@link ArtifactFormat} section. A bad file fails with an {@link InvalidArtifactException} whose
 * one-line message says what is wrong and where. The self-tests are a separate step
 * ({@link ArtifactSelfTest#verify}).
 */
public final class ArtifactReader {
    private ArtifactReader() {
    }

    /** Checks magic, version, length and SHA-256, then decodes every section. */
    public static ModelArtifact fromBytes(byte[] b) throws InvalidArtifactException {
        if (b == null || b.length < MAGIC.length || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            String head = b == null ? "null" : HexFormat.of().formatHex(b, 0, Math.min(4, b.length));
            throw new InvalidArtifactException("not a beex model artifact: magic is 0x" + head
                    + ", expected 0x" + HexFormat.of().formatHex(MAGIC) + " (\"BEEX\")");
        }
        if (b.length < HEADER_BYTES + HASH_BYTES) {
            throw new InvalidArtifactException("truncated artifact: " + b.length + " bytes, shorter than the "
                    + (HEADER_BYTES + HASH_BYTES) + "-byte header and checksum");
        }
        ByteBuffer head = ByteBuffer.wrap(b);
        int version = Short.toUnsignedInt(head.getShort(4));
        if (version > FORMAT_VERSION) {
            throw new InvalidArtifactException("artifact format version " + version
                    + " is newer than this beex reads (" + FORMAT_VERSION + "); upgrade beex");
        }
        if (version < OLDEST_READABLE_VERSION) {
            throw new InvalidArtifactException("unsupported format version " + version + " (this beex reads "
                    + OLDEST_READABLE_VERSION + " to " + FORMAT_VERSION
                    + ", whose parameters are float16): re-export the model with this beex");
        }
        long payload = head.getLong(8);
        long expected = HEADER_BYTES + payload + HASH_BYTES;
        if (payload < 0 || expected > b.length) {
            throw new InvalidArtifactException("truncated artifact: header announces " + expected
                    + " bytes, the file has " + b.length);
        }
        if (expected < b.length) {
            throw new InvalidArtifactException("artifact has " + (b.length - expected)
                    + " unexpected bytes after its checksum (expected " + expected + " bytes)");
        }
        int end = HEADER_BYTES + (int) payload;
        byte[] computed = ArtifactFormat.sha256(b, 0, end);
        if (!Arrays.equals(computed, 0, HASH_BYTES, b, end, end + HASH_BYTES)) {
            throw new InvalidArtifactException("SHA-256 mismatch: the artifact is corrupted (stored "
                    + HexFormat.of().formatHex(b, end, end + HASH_BYTES) + ", computed "
                    + HexFormat.of().formatHex(computed) + ")");
        }
        String hash = HexFormat.of().formatHex(computed);
        return decode(b.clone(), hash, version);
    }

    /** Reads and checks a file; a bad file fails with {@link InvalidArtifactException} naming it. */
    public static ModelArtifact read(Path file) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "model artifact not found");
        }
        try {
            return fromBytes(b);
        } catch (InvalidArtifactException e) {
            throw new InvalidArtifactException(file + ": " + e.getMessage(), e);
        }
    }

    private static ModelArtifact decode(byte[] b, String hash, int version) throws InvalidArtifactException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b, HEADER_BYTES,
                b.length - HEADER_BYTES - HASH_BYTES));
        int tag = 0;
        try {
            tag = TAG_CONFIG;
            ModelConfig config = ModelConfig.read(open(in, tag), version);
            tag = TAG_LABELS;
            DataInputStream s = open(in, tag);
            int nl = s.readInt();
            if (nl != config.numLabels()) {
                throw new IOException(nl + " labels, the config says " + config.numLabels());
            }
            List<String> labels = new ArrayList<>(nl);
            for (int i = 0; i < nl; i++) {
                labels.add(s.readUTF());
            }
            tag = TAG_TOKENIZER;
            Tokenizer tokenizer = Tokenizer.read(open(in, tag));
            if (tokenizer.vocabSize() != config.vocabSize()) {
                throw new IOException("vocabulary of " + tokenizer.vocabSize() + ", the config says "
                        + config.vocabSize());
            }
            if (tokenizer.maxTokens() > config.maxTokens()) {
                throw new IOException("encodes up to " + tokenizer.maxTokens() + " tokens, the model takes "
                        + config.maxTokens());
            }
            tag = TAG_EXIT_RULE;
            ExitRule rule = ExitRule.read(open(in, tag));
            tag = TAG_METADATA;
            s = open(in, tag);
            int nm = s.readInt();
            Map<String, String> meta = new LinkedHashMap<>();
            for (int i = 0; i < nm; i++) {
                meta.put(s.readUTF(), s.readUTF());
            }
            tag = TAG_BINARY;
            s = open(in, tag);
            int nb = s.readInt();
            int expectedBinary = PackedParams.binaryCount(config);
            if (nb != expectedBinary) {
                throw new IOException(nb + " binary tensors, the config needs " + expectedBinary);
            }
            List<BinaryMatrix> binary = new ArrayList<>(nb);
            for (int i = 0; i < nb; i++) {
                int rows = s.readInt(), cols = s.readInt();
                int[] shape = PackedParams.binaryShape(config, i);
                if (rows != shape[0] || cols != shape[1]) {
                    throw new IOException("binary tensor " + i + " is " + rows + "x" + cols + ", expected "
                            + shape[0] + "x" + shape[1]);
                }
                float[] alpha = new float[rows];
                for (int r = 0; r < rows; r++) {
                    alpha[r] = Float16.toFloat(s.readShort());
                }
                long[] bits = new long[rows * BitPacking.words(cols)];
                for (int w = 0; w < bits.length; w++) {
                    bits[w] = s.readLong();
                }
                binary.add(new BinaryMatrix(rows, cols, alpha, bits));
            }
            tag = TAG_FLOAT;
            s = open(in, tag);
            ModelParams floats = new ModelParams(config);
            List<Tensor> ft = ArtifactFormat.floatTensors(floats);
            int nf = s.readInt();
            if (nf != ft.size()) {
                throw new IOException(nf + " float tensors, the config needs " + ft.size());
            }
            for (Tensor t : ft) {
                int len = s.readInt();
                if (len != t.data().length) {
                    throw new IOException(t.name() + " has " + len + " values, expected " + t.data().length);
                }
                float[] data = t.data();
                for (int i = 0; i < len; i++) {
                    data[i] = Float16.toFloat(s.readShort());
                }
            }
            PackedParams packed = PackedParams.withBinary(floats, binary);
            tag = TAG_SELF_TESTS;
            s = open(in, tag);
            int nt = s.readInt();
            List<ArtifactSelfTest.Vector> tests = new ArrayList<>(nt);
            for (int i = 0; i < nt; i++) {
                String text = s.readUTF();
                int exitBlock = s.readInt(), label = s.readInt();
                int fewestBlocks = config.lexical() ? 0 : 1;
                if (exitBlock < fewestBlocks || exitBlock > config.blocks() || label < 0 || label >= config.numLabels()) {
                    throw new IOException("vector " + i + " has exit block " + exitBlock + " and label " + label);
                }
                float[] probs = new float[config.numLabels()];
                for (int c = 0; c < probs.length; c++) {
                    probs[c] = s.readFloat();
                }
                float[][] all = new float[config.exits()][config.numLabels()];
                for (float[] exit : all) {
                    for (int c = 0; c < exit.length; c++) {
                        exit[c] = s.readFloat();
                    }
                }
                tests.add(new ArtifactSelfTest.Vector(text, exitBlock, label, probs, all));
            }
            tag = 0;
            if (in.available() != 0) {
                throw new IOException(in.available() + " bytes after the last section");
            }
            return new ModelArtifact(b, hash, config, Collections.unmodifiableList(labels), tokenizer, rule,
                    Collections.unmodifiableMap(meta), packed, Collections.unmodifiableList(tests));
        } catch (EOFException e) {
            throw new InvalidArtifactException("malformed artifact: section '" + ArtifactFormat.sectionName(tag) + "' ends early", e);
        } catch (IOException | RuntimeException e) {
            String where = tag == 0 ? "" : " in section '" + ArtifactFormat.sectionName(tag) + "'";
            throw new InvalidArtifactException("malformed artifact" + where + ": " + e.getMessage(), e);
        }
    }

    /** Reads the next section header, checks its tag, returns a stream over its (inflated) bytes. */
    private static DataInputStream open(DataInputStream in, int tag) throws IOException {
        int found = in.readUnsignedByte();
        if (found != tag) {
            throw new IOException("expected section " + tag + ", found " + found);
        }
        int codec = in.readUnsignedByte();
        int stored = in.readInt();
        if (stored < 0 || stored > in.available()) {
            throw new EOFException();
        }
        byte[] data;
        if (codec == CODEC_RAW) {
            data = in.readNBytes(stored);
        } else if (codec == CODEC_DEFLATE) {
            int raw = in.readInt();
            if (raw < 0 || raw > (1 << 30)) {
                throw new IOException("inflated length " + raw);
            }
            data = inflate(in.readNBytes(stored), raw);
        } else {
            throw new IOException("unknown codec " + codec);
        }
        return new DataInputStream(new ByteArrayInputStream(data));
    }

    private static byte[] inflate(byte[] z, int rawLength) throws IOException {
        Inflater inf = new Inflater();
        try {
            inf.setInput(z);
            byte[] out = new byte[rawLength];
            int n = 0;
            while (n < rawLength && !inf.finished()) {
                int got = inf.inflate(out, n, rawLength - n);
                if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != rawLength || !inf.finished()) {
                throw new IOException("deflated data does not inflate to " + rawLength + " bytes");
            }
            return out;
        } catch (DataFormatException e) {
            throw new IOException("bad deflate data: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
    }
}
