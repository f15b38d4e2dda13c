package dev.beex.pipeline.cli;

import dev.beex.model.artifact.ArtifactReader;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.DatasetReader;
import dev.beex.model.data.LabeledText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the files commands are given, with the one-line errors a user can act on. */
final class CliFiles {
    private CliFiles() {
    }

    /** A model artifact, checked (magic, version, SHA-256, structure). */
    static ModelArtifact readModel(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("model file not found: " + file);
        }
        try {
            return ArtifactReader.read(file);
        } catch (IOException e) {
            throw new UserException(file + ": not a valid model artifact: " + e.getMessage(), e);
        }
    }

    /** A labeled data file (JSON lines, CSV or TSV); {@code what} names it in errors (e.g. a flag). */
    static List<LabeledText> readData(Path file, String what) {
        return readData(file, what, true);
    }

    /** Texts to score: as {@link #readData(Path, String)}, but a record may have no label (then null). */
    static List<LabeledText> readTexts(Path file, String what) {
        return readData(file, what, false);
    }

    private static List<LabeledText> readData(Path file, String what, boolean labelsRequired) {
        if (!Files.isRegularFile(file)) {
            throw new UserException(what + ": data file not found: " + file);
        }
        List<LabeledText> data;
        try {
            data = DatasetReader.read(file, labelsRequired);
        } catch (IOException e) {
            throw new UserException(what + ": " + e.getMessage(), e);
        }
        if (data.isEmpty()) {
            throw new UserException(what + ": " + file + " has no records");
        }
        return data;
    }
}
