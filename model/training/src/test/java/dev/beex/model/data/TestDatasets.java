package dev.beex.model.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The committed real data (canonical splits made by {@code beex data fetch}) for tests of every
 * module: the UCI sentiment sentences (train 2,369 / dev 326 / test 287, labels negative and
 * positive) and the SpamAssassin test split (579 emails, labels ham and spam).
 * Loaded from the classpath (the model test-jar for other modules), cached.
 */
public final class TestDatasets {
    private static final ConcurrentHashMap<String, List<LabeledText>> CACHE = new ConcurrentHashMap<>();

    private TestDatasets() {
    }

    /** "train", "dev" or "test" of the sentences set. */
    public static List<LabeledText> sentences(String split) {
        if (!CanonicalSplits.NAMES.contains(split)) {
            throw new IllegalArgumentException("unknown split '" + split + "' (train, dev, test)");
        }
        return load("/datasets/sentences/" + split + ".jsonl");
    }

    /** The test split of the SpamAssassin set. */
    public static List<LabeledText> spamTest() {
        return load("/datasets/spam/test.jsonl.gz");
    }

    private static List<LabeledText> load(String resource) {
        return CACHE.computeIfAbsent(resource, r -> {
            try (InputStream raw = TestDatasets.class.getResourceAsStream(r)) {
                if (raw == null) {
                    throw new IllegalStateException("test resource " + r + " is missing");
                }
                InputStream in = r.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    return List.copyOf(DatasetReader.readJsonLines(r, reader));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
