package dev.beex.operators;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Writes a generated Avro record as one plain JSON object ({@link AvroJson}). */
public final class JsonSerializationSchema<T extends SpecificRecord> implements SerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public byte[] serialize(T element) {
        return AvroJson.toJsonBytes((org.apache.avro.generic.GenericRecord) element);
    }
}
