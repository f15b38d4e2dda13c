package dev.beex.operators;

import java.io.IOException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Reads Avro single-object encoded records of one generated type. Fails on bytes that are not
 * such a record: use it for topics beex itself writes; the input topic goes through
 * {@link RawRecordDeserializationSchema} + {@link DecodeFunction} instead, which never fail.
 */
public final class AvroSingleObjectDeserializationSchema<T extends SpecificRecordBase> implements DeserializationSchema<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private transient BinaryMessageDecoder<T> decoder;

    public AvroSingleObjectDeserializationSchema(Class<T> type) {
        this.type = type;
    }

    @Override
    public T deserialize(byte[] message) throws IOException {
        if (decoder == null) {
            decoder = TopicSchemaHistory.decoder(type);
        }
        return decoder.decode(message);
    }

    @Override
    public boolean isEndOfStream(T nextElement) {
        return false;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return new AvroTypeInfo<>(type);
    }
}
