package dev.beex.model.artifact;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.engine.EngineModel;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.PackedParams;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One self-contained, versioned model file ({@link ArtifactFormat}): everything needed to score
 * text, checked by a SHA-256 and by self-test vectors that a fresh engine must reproduce
 * ({@link ArtifactSelfTest}). Immutable; the bytes it was read from are the bytes it writes.
 * Made by {@link ArtifactWriter#create}, read by {@link ArtifactReader}.
 */
public final class ModelArtifact {
    private final byte[] bytes;
    private final String sha256;
    private final ModelConfig config;
    private final List<String> labels;
    private final Tokenizer tokenizer;
    private final ExitRule exitRule;
    private final Map<String, String> metadata;
    private final PackedParams packed;
    private final List<ArtifactSelfTest.Vector> selfTests;
    private EngineModel engineModel;

    /** Only {@link ArtifactReader} makes one, from bytes it has checked. */
    ModelArtifact(byte[] bytes, String sha256, ModelConfig config, List<String> labels, Tokenizer tokenizer,
                  ExitRule exitRule, Map<String, String> metadata, PackedParams packed,
                  List<ArtifactSelfTest.Vector> selfTests) {
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

    /** The stored self-test vectors (what {@link ArtifactSelfTest#verify} checks). */
    List<ArtifactSelfTest.Vector> selfTests() {
        return selfTests;
    }
}
