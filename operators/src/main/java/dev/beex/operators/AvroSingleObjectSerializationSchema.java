package dev.beex.operators;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Writes a generated Avro record in Avro's single-object encoding ({@code C3 01}, the 8-byte
 * schema fingerprint, then the binary body): self-describing without a schema registry, and
 * readable with {@code <Type>.fromByteBuffer}, {@code <Type>.getDecoder()} or, across schema
 * versions, {@link TopicSchemaHistory#decoder}.
 */
public final class AvroSingleObjectSerializationSchema<T extends SpecificRecord> implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient BinaryMessageEncoder<T> encoder;

    public AvroSingleObjectSerializationSchema(Class<T> type) {
        this.type = type;
    }

    @Override
    public byte[] serialize(T element) {
        if (encoder == null) {
            SpecificData model = SpecificData.getForClass(type); // the generated class's model: carries its logical-type conversions
            encoder = new BinaryMessageEncoder<>(model, model.getSchema(type));
        }
        try {
            return encoder.encode(element).array();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }
}
