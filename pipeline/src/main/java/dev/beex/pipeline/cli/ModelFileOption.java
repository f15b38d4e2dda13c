package dev.beex.pipeline.cli;

import dev.beex.model.artifact.ModelArtifact;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model FILE}: the model artifact a command scores with. */
final class ModelFileOption {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model artifact file (.beex).")
    Path file;

    /** The artifact, checked (magic, version, SHA-256, structure); a bad file is a one-line user error. */
    ModelArtifact read() {
        return CliFiles.readModel(file);
    }
}
