package dev.beex.operators;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Every released version of a topic schema, so that messages written before a schema change stay
 * readable: a fresh start re-reads the whole control topic, and consumers read old predictions.
 * Avro's single-object decoder only knows the schemas registered with it; a message whose
 * fingerprint it does not know fails to decode. The versions live in the schemas jar as
 * {@code dev/beex/schemas/history/<Name>.v<N>.avsc}, oldest first; the last one is the current
 * schema ({@code TopicSchemaHistoryTest} fails when a schema changes without a new version).
 */
public final class TopicSchemaHistory {
    private static final String DIR = "/dev/beex/schemas/history/";
    /** One decoder per type (a BinaryMessageDecoder is thread-safe). */
    private static final Map<Class<?>, BinaryMessageDecoder<?>> DECODERS = new ConcurrentHashMap<>();

    private TopicSchemaHistory() {
    }

    /** The recorded versions of the schema named {@code name}, oldest first. */
    public static List<Schema> versions(String name) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = TopicSchemaHistory.class.getResourceAsStream(DIR + name + ".v" + v + ".avsc")) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("schema history of " + name + " v" + v, e);
            }
        }
    }

    /** A single-object decoder of {@code type} that also reads every recorded earlier version. */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecordBase> BinaryMessageDecoder<T> decoder(Class<T> type) {
        return (BinaryMessageDecoder<T>) DECODERS.computeIfAbsent(type, t -> decoder(type, versions(type.getSimpleName())));   // generated class = schema name
    }

    /** A decoder of {@code type} that also reads the given earlier versions. */
    static <T extends SpecificRecordBase> BinaryMessageDecoder<T> decoder(Class<T> type, List<Schema> versions) {
        SpecificData model = SpecificData.getForClass(type);
        Schema current = model.getSchema(type);
        BinaryMessageDecoder<T> decoder = new BinaryMessageDecoder<>(model, current);
        long currentFingerprint = SchemaNormalization.parsingFingerprint64(current);
        for (Schema old : versions) {
            if (SchemaNormalization.parsingFingerprint64(old) != currentFingerprint) {
                decoder.addSchema(old);
            }
        }
        return decoder;
    }
}
