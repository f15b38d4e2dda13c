package dev.beex.pipeline.demo;

import dev.beex.model.artifact.ArtifactReader;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.DatasetReader;
import dev.beex.model.data.LabeledText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** What the demo ships inside the jar: the real spam test split and two trained spam models. */
public final class DemoData {

    public static final String SPAM_TEST = "/datasets/spam/test.jsonl.gz";
    public static final String MODEL_V1 = "/models/spam-v1.beex";
    public static final String MODEL_V2 = "/models/spam-v2.beex";

    private DemoData() {
    }

    /** The committed spam test split (canonical split of SpamAssassin, docs/data-tokenizer-eval.md). */
    public static List<LabeledText> spamTest() throws IOException {
        try (InputStream in = open(SPAM_TEST);
             BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            return DatasetReader.readJsonLines("spam/test.jsonl.gz", r);
        }
    }

    public static byte[] modelBytes(String resource) throws IOException {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        }
    }

    public static ModelArtifact model(String resource) throws IOException {
        return ArtifactReader.fromBytes(modelBytes(resource));
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = DemoData.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("resource " + resource + " is missing from the jar (rebuild with mvn package)");
        }
        return in;
    }
}
