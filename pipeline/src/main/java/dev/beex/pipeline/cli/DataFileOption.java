package dev.beex.pipeline.cli;

import dev.beex.model.data.LabeledText;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --data FILE}: the records a command reads, in any format {@code DatasetReader} takes. */
final class DataFileOption {
    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Data file: JSON lines {\"id\",\"text\",\"label\"} or CSV/TSV with text,label[,id] columns,"
                    + " optionally gzipped (.gz).")
    Path file;

    /** Every record with its label; a missing label is a user error. */
    List<LabeledText> labeled() {
        return CliFiles.readData(file, "--data");
    }

    /** Every record; a record without a label has a null one. */
    List<LabeledText> texts() {
        return CliFiles.readTexts(file, "--data");
    }
}
