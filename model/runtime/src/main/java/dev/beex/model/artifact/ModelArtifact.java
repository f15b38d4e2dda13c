package dev.beex.model.artifact;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Tensor;
import dev.beex.model.engine.BinaryMatrix;
import dev.beex.model.BitPacking;
import dev.beex.model.engine.EngineModel;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.PackedParams;
import dev.beex.model.engine.ScoreResult;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.text.Tokenizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One self-contained, versioned model file: everything needed to score text, checked by a
 * SHA-256 and by self-test vectors that a fresh engine must reproduce. Immutable; the bytes it
 * was read from are the bytes it writes.
 *
 * <pre>
 * offset  size  field
 * 0       4     magic "BEEX"
 * 4       2     format version (unsigned, big-endian; this code writes 3 and reads 2 and 3)
 * 6       2     flags (0; reserved)
 * 8       8     payload length P
 * 16      P     sections, in this order, each: tag u8, codec u8 (0 raw, 1 deflate),
 *               stored length u32, [raw length u32 when deflated], bytes
 *                 1 config      ModelConfig.write (format 2: without lexBuckets, lexDim)
 *                 2 labels      u32 count, UTF each
 *                 3 tokenizer   Tokenizer.write                                       (deflated)
 *                 4 exit rule   ExitRule.write
 *                 5 metadata    u32 count, (UTF key, UTF value) each
 *                 6 binary      u32 count, per binarized tensor (ModelParams.tensors() order):   (deflated)
 *                               u32 rows, u32 cols, f16 α[rows], i64 bits[rows·⌈cols/64⌉]
 *                               (token embedding, each block's layers in BlockLayer order;
 *                               lexical models: the lexical table B×D is the last one)
 *                               (BitPacking conventions: bit 1 = −1, LSB first, pad bits 0)
 *                 7 float       u32 count, per float tensor (tensors() order): u32 length, f16[length] (deflated)
 *                 8 self-tests  u32 count, per vector: UTF text, u32 blocks run at the exit taken
 *                               (0 = a lexical model's exit 0), u32 label, f32 probabilities[C],
 *                               f32 allExits[exits][C]
 * 16+P    32    SHA-256 of bytes [0, 16+P)
 * </pre>
 * All numbers big-endian (DataOutput). Parameters (α and float tensors) are IEEE binary16
 * ({@link Float16}); self-test outputs are float32. {@link #create} rounds the model to binary16
 * BEFORE computing the self-tests, so the stored model, {@link #params()} and the engine are
 * exactly the model that was tested. Version 3 added the lexical path (two config fields, the
 * lexical table and exit 0's head as the last tensors); a version 2 file is a paper network and
 * reads as before. Version 1 (float32 parameters) is no longer read.
 */
public final class ModelArtifact {
    public static final byte[] MAGIC = {'B', 'E', 'E', 'X'};
    public static final int FORMAT_VERSION = 3;
    /** Oldest format this code reads: 2 (float16 parameters, no lexical path). */
    public static final int OLDEST_READABLE_VERSION = 2;
    static final int HEADER_BYTES = 16;
    static final int HASH_BYTES = 32;
    /** Probabilities must match the stored self-test vectors this closely (platform exp/tanh may differ by an ulp). */
    public static final float SELF_TEST_TOLERANCE = 1e-5f;

    private static final int TAG_CONFIG = 1, TAG_LABELS = 2, TAG_TOKENIZER = 3, TAG_EXIT_RULE = 4,
            TAG_METADATA = 5, TAG_BINARY = 6, TAG_FLOAT = 7, TAG_SELF_TESTS = 8;
    private static final String[] SECTION_NAMES = {"", "config", "labels", "tokenizer", "exit rule", "metadata",
        "binary weights", "float parameters", "self-tests"};
    private static final int CODEC_RAW = 0, CODEC_DEFLATE = 1;

    /** Texts whose outputs are stored as self-test vectors: empty, short, typical, and over-long. */
    static final List<String> SELF_TEST_TEXTS = List.of(
            "",
            "good",
            "This is terrible, I want my money back.",
            "Great phone, the battery lasts all day and the screen is sharp.",
            "Congratulations! You have WON a free prize, click here now to claim your cash reward!!!",
            ("a long text that runs past the maximum number of tokens so it is cut, " + "again and again ").repeat(40));

    private final byte[] bytes;
    private final String sha256;
    private final ModelConfig config;
    private final List<String> labels;
    private final Tokenizer tokenizer;
    private final ExitRule exitRule;
    private final Map<String, String> metadata;
    private final PackedParams packed;
    private final List<SelfTest> selfTests;
    private EngineModel engineModel;

    /** One stored input with the outputs the engine gave for it when the artifact was made. */
    record SelfTest(String text, int exitBlock, int labelIndex, float[] probabilities, float[][] allExits) {
    }

    private ModelArtifact(byte[] bytes, String sha256, ModelConfig config, List<String> labels, Tokenizer tokenizer,
                          ExitRule exitRule, Map<String, String> metadata, PackedParams packed,
                          List<SelfTest> selfTests) {
        this.bytes = bytes;
        this.sha256 = sha256;
        this.config = config;
        this.labels = labels;
        this.tokenizer = tokenizer;
        this.exitRule = exitRule;
        this.metadata = metadata;
        this.packed = packed;
        this.selfTests = selfTests;
    }

    // ------------------------------------------------------------------ creating

    /**
     * Packs {@code params} (binarizing latent weights: α per row, sign bits), runs the engine
     * on the self-test texts and stores their outputs. Adds {@code created} (UTC, seconds) to
     * the metadata unless given.
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
        PackedParams packed = storedPrecision(PackedParams.pack(params));
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(packed), tokenizer, labels, exitRule);
        List<SelfTest> tests = new ArrayList<>();
        for (String text : SELF_TEST_TEXTS) {
            tests.add(run(engine, text));
        }
        try {
            return fromBytes(encode(c, labels, tokenizer, exitRule, meta, packed, tests));
        } catch (InvalidArtifactException e) {
            throw new IllegalStateException("artifact just written does not read back: " + e.getMessage(), e);
        }
    }

    /**
     * The model as the artifact stores it: every α and float parameter rounded to binary16
     * (round to nearest even). A value outside ±{@value Float16#MAX_VALUE} or not finite is
     * rejected rather than stored as infinity.
     */
    static PackedParams storedPrecision(PackedParams p) {
        ModelParams floats = new ModelParams(p.config());
        floats.copyFrom(p.decoded());
        for (Tensor t : floatTensors(floats)) {
            float[] data = t.data();
            for (int i = 0; i < data.length; i++) {
                data[i] = half(data[i], t.name(), i);
            }
        }
        List<BinaryMatrix> binary = new ArrayList<>(p.binary().size());
        for (int m = 0; m < p.binary().size(); m++) {
            BinaryMatrix b = p.binary().get(m);
            float[] alpha = new float[b.rows];
            for (int r = 0; r < b.rows; r++) {
                alpha[r] = half(b.alpha[r], "scale of binary tensor " + m, r);
            }
            binary.add(new BinaryMatrix(b.rows, b.cols, alpha, b.bits));
        }
        return PackedParams.withBinary(floats, binary);
    }

    private static float half(float v, String tensor, int index) {
        if (!Float16.fits(v)) {
            throw new IllegalArgumentException(tensor + "[" + index + "] = " + v
                    + " does not fit the artifact's float16 range (±" + Float16.MAX_VALUE + ")");
        }
        return Float16.round(v);
    }

    private static SelfTest run(InferenceEngine engine, String text) {
        ScoreResult r = ScoreResult.forModel(engine.config());
        engine.score(text, r);
        return new SelfTest(text, r.exitBlock, r.labelIndex, r.probabilities.clone(), engine.scoreAllExits(text));
    }

    /**
     * This artifact with other weights but the same stored self-test vectors, correctly hashed:
     * what a tampered file that passes the checksum looks like (tests check the self-tests catch it).
     */
    ModelArtifact withParams(PackedParams newPacked) {
        return fromBytesUnchecked(encode(config, labels, tokenizer, exitRule, metadata, newPacked, selfTests));
    }

    private static ModelArtifact fromBytesUnchecked(byte[] b) {
        try {
            return fromBytes(b);
        } catch (InvalidArtifactException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static byte[] encode(ModelConfig c, List<String> labels, Tokenizer tokenizer, ExitRule rule,
                         Map<String, String> meta, PackedParams packed, List<SelfTest> tests) {
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
                List<Tensor> floats = floatTensors(packed.decoded());
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
                for (SelfTest t : tests) {
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
            file.put(MAGIC).putShort((short) FORMAT_VERSION).putShort((short) 0).putLong(body.length).put(body);
            file.put(sha256(file.array(), 0, HEADER_BYTES + body.length));
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

    private static List<Tensor> floatTensors(ModelParams p) {
        List<Tensor> out = new ArrayList<>();
        for (Tensor t : p.tensors()) {
            if (!t.binarized()) {
                out.add(t);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ reading

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
                    + OLDEST_READABLE_VERSION + " and " + FORMAT_VERSION
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
        byte[] computed = sha256(b, 0, end);
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
            List<Tensor> ft = floatTensors(floats);
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
            List<SelfTest> tests = new ArrayList<>(nt);
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
                tests.add(new SelfTest(text, exitBlock, label, probs, all));
            }
            tag = 0;
            if (in.available() != 0) {
                throw new IOException(in.available() + " bytes after the last section");
            }
            return new ModelArtifact(b, hash, config, Collections.unmodifiableList(labels), tokenizer, rule,
                    Collections.unmodifiableMap(meta), packed, Collections.unmodifiableList(tests));
        } catch (EOFException e) {
            throw new InvalidArtifactException("malformed artifact: section '" + SECTION_NAMES[tag] + "' ends early", e);
        } catch (IOException | RuntimeException e) {
            String where = tag == 0 ? "" : " in section '" + SECTION_NAMES[tag] + "'";
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

    private static byte[] sha256(byte[] b, int from, int to) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, from, to - from);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    // ------------------------------------------------------------------ using

    public byte[] toBytes() {
        return bytes.clone();
    }

    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, bytes);
    }

    /** Hex SHA-256 stored in (and checked against) the file. */
    public String sha256() {
        return sha256;
    }

    public ModelConfig config() {
        return config;
    }

    public List<String> labels() {
        return labels;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ExitRule exitRule() {
        return exitRule;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * A fresh copy of the decoded parameters: float tensors as stored, binarized tensors as
     * {@code ±α} (so the training-path forward on them is the binarized model).
     */
    public ModelParams params() {
        ModelParams p = new ModelParams(config);
        p.copyFrom(packed.decoded());
        return p;
    }

    /** The packed form (binary matrices + decoded floats). Shared; do not modify. */
    public PackedParams packed() {
        return packed;
    }

    /** Runs every stored self-test text through a fresh engine; any difference rejects the model. */
    public void verifySelfTests() throws InvalidArtifactException {
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(packed), tokenizer, labels, exitRule);
        if (selfTests.isEmpty()) {
            throw new InvalidArtifactException("artifact has no self-test vectors");
        }
        for (int i = 0; i < selfTests.size(); i++) {
            SelfTest want = selfTests.get(i);
            SelfTest got = run(engine, want.text());
            String why = null;
            if (got.exitBlock() != want.exitBlock()) {
                why = "exit block " + got.exitBlock() + ", stored " + want.exitBlock();
            } else if (got.labelIndex() != want.labelIndex()) {
                why = "label " + labels.get(got.labelIndex()) + ", stored " + labels.get(want.labelIndex());
            } else {
                for (int e = 0; e < config.exits() && why == null; e++) {
                    for (int c = 0; c < config.numLabels(); c++) {
                        float diff = Math.abs(got.allExits()[e][c] - want.allExits()[e][c]);
                        if (!(diff <= SELF_TEST_TOLERANCE)) {
                            // exits are named 1-based for the paper network (as before), 0-based with exit 0
                            int name = config.lexical() ? e : e + 1;
                            why = "exit " + name + " probability of " + labels.get(c) + " is "
                                    + got.allExits()[e][c] + ", stored " + want.allExits()[e][c];
                            break;
                        }
                    }
                }
            }
            if (why != null) {
                throw new InvalidArtifactException("self-test " + (i + 1) + " of " + selfTests.size() + " failed: " + why);
            }
        }
    }

    /** A new engine with the artifact's exit rule (engines are not thread-safe: one per thread). */
    public InferenceEngine newEngine() {
        return newEngine(exitRule);
    }

    /** A new engine with another exit rule (e.g. a job's δ override, or {@link ExitRule#FULL_DEPTH}). */
    public InferenceEngine newEngine(ExitRule override) {
        return new InferenceEngine(engineModel(), tokenizer, labels, override);
    }

    /** The compiled kernels, built once and shared by every engine of this artifact. */
    public synchronized EngineModel engineModel() {
        if (engineModel == null) {
            engineModel = EngineModel.compile(packed);
        }
        return engineModel;
    }

    /** Size of the file. */
    public long artifactBytes() {
        return bytes.length;
    }

    /** Size of the same parameters as float32 ({@link ModelParams#float32Bytes()}): the baseline. */
    public long float32Bytes() {
        return packed.decoded().float32Bytes();
    }

    /**
     * Bytes of the parameters alone as stored, before deflate (packed bits, float16 α and float16
     * tensors), without vocabulary or tests.
     */
    public long parameterBytes() {
        long n = 0;
        for (BinaryMatrix m : packed.binary()) {
            n += 8L * m.bits.length + 2L * m.alpha.length;
        }
        for (Tensor t : floatTensors(packed.decoded())) {
            n += 2L * t.data().length;
        }
        return n;
    }

    /** Number of stored self-test vectors. */
    public int selfTestCount() {
        return selfTests.size();
    }
}
