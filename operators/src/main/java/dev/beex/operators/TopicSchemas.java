package dev.beex.operators;

import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.TextRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Kafka sink schemas for every topic beex writes: Avro single-object values, and keys chosen so
 * that related messages share a partition (record id; model name for control and events; the
 * original key for dead letters).
 */
public final class TopicSchemas {

    private TopicSchemas() {
    }

    public static KafkaRecordSerializationSchema<PredictionRecord> predictions(String topic) {
        return predictions(topic, OutputFormat.AVRO);
    }

    public static KafkaRecordSerializationSchema<PredictionRecord> predictions(String topic, OutputFormat format) {
        return schema(topic, new Utf8Key<>(PredictionRecord::getId), value(PredictionRecord.class, format));
    }

    public static KafkaRecordSerializationSchema<HardExample> hardExamples(String topic) {
        return hardExamples(topic, OutputFormat.AVRO);
    }

    public static KafkaRecordSerializationSchema<HardExample> hardExamples(String topic, OutputFormat format) {
        return schema(topic, new Utf8Key<>((HardExample e) -> e.getPrediction().getId()), value(HardExample.class, format));
    }

    private static <T> KafkaRecordSerializationSchema<T> schema(String topic, SerializationSchema<T> key,
                                                                SerializationSchema<T> value) {
        return KafkaRecordSerializationSchema.<T>builder()
                .setTopic(topic)
                .setKeySerializationSchema(key)
                .setValueSerializationSchema(value)
                .build();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> SerializationSchema<T> value(Class<T> type,
                                                                                                   OutputFormat format) {
        return format == OutputFormat.JSON ? new JsonSerializationSchema<>() : new AvroSingleObjectSerializationSchema<>(type);
    }

    public static KafkaRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
        return schema(topic, new DeadLetterKey(), new AvroSingleObjectSerializationSchema<>(DeadLetter.class));
    }

    public static KafkaRecordSerializationSchema<ModelEvent> modelEvents(String topic) {
        return schema(topic, new Utf8Key<>(ModelEvent::getModelName), new AvroSingleObjectSerializationSchema<>(ModelEvent.class));
    }

    /** For producers of the input topic in AVRO format (key = id). */
    public static KafkaRecordSerializationSchema<TextRecord> textRecords(String topic) {
        return schema(topic, new Utf8Key<>(TextRecord::getId), new AvroSingleObjectSerializationSchema<>(TextRecord.class));
    }

    /** Control messages written by the job itself (the shadow gate's verdicts), keyed like {@code beex publish}'s. */
    public static KafkaRecordSerializationSchema<ModelUpdate> control(String topic) {
        return schema(topic, new Utf8Key<>(ModelUpdate::getModelName), new AvroSingleObjectSerializationSchema<>(ModelUpdate.class));
    }

    /** Key of a control message: the model name. */
    public static byte[] controlKey(ModelUpdate update) {
        return utf8(update.getModelName());
    }

    /** Value of a control message: Avro single-object encoding. */
    public static byte[] controlValue(ModelUpdate update) {
        return new AvroSingleObjectSerializationSchema<>(ModelUpdate.class).serialize(update);
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Key of a record: the UTF-8 bytes of one of its fields (null stays null). */
    private static final class Utf8Key<T> implements SerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final SerializableFunction<T, String> field;

        Utf8Key(SerializableFunction<T, String> field) {
            this.field = field;
        }

        @Override
        public byte[] serialize(T record) {
            return utf8(field.apply(record));
        }
    }

    private static final class DeadLetterKey implements SerializationSchema<DeadLetter> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(DeadLetter r) {
            ByteBuffer key = r.getKey();
            return key == null ? null : ModelValidator.copy(key);
        }
    }
}
