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
        return KafkaRecordSerializationSchema.<PredictionRecord>builder()
                .setTopic(topic)
                .setKeySerializationSchema(new PredictionKey())
                .setValueSerializationSchema(value(PredictionRecord.class, format))
                .build();
    }

    public static KafkaRecordSerializationSchema<HardExample> hardExamples(String topic) {
        return hardExamples(topic, OutputFormat.AVRO);
    }

    public static KafkaRecordSerializationSchema<HardExample> hardExamples(String topic, OutputFormat format) {
        return KafkaRecordSerializationSchema.<HardExample>builder()
                .setTopic(topic)
                .setKeySerializationSchema(new HardExampleKey())
                .setValueSerializationSchema(value(HardExample.class, format))
                .build();
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> SerializationSchema<T> value(Class<T> type,
                                                                                                   OutputFormat format) {
        return format == OutputFormat.JSON ? new JsonSerializationSchema<>() : new AvroSingleObjectSerializationSchema<>(type);
    }

    public static KafkaRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
        return KafkaRecordSerializationSchema.<DeadLetter>builder()
                .setTopic(topic)
                .setKeySerializationSchema(new DeadLetterKey())
                .setValueSerializationSchema(new AvroSingleObjectSerializationSchema<>(DeadLetter.class))
                .build();
    }

    public static KafkaRecordSerializationSchema<ModelEvent> modelEvents(String topic) {
        return KafkaRecordSerializationSchema.<ModelEvent>builder()
                .setTopic(topic)
                .setKeySerializationSchema(new ModelEventKey())
                .setValueSerializationSchema(new AvroSingleObjectSerializationSchema<>(ModelEvent.class))
                .build();
    }

    /** For producers of the input topic in AVRO format (key = id). */
    public static KafkaRecordSerializationSchema<TextRecord> textRecords(String topic) {
        return KafkaRecordSerializationSchema.<TextRecord>builder()
                .setTopic(topic)
                .setKeySerializationSchema(new TextKey())
                .setValueSerializationSchema(new AvroSingleObjectSerializationSchema<>(TextRecord.class))
                .build();
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

    private static final class PredictionKey implements SerializationSchema<PredictionRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(PredictionRecord r) {
            return utf8(r.getId());
        }
    }

    private static final class HardExampleKey implements SerializationSchema<HardExample> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(HardExample r) {
            return utf8(r.getPrediction().getId());
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

    private static final class ModelEventKey implements SerializationSchema<ModelEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(ModelEvent r) {
            return utf8(r.getModelName());
        }
    }

    private static final class TextKey implements SerializationSchema<TextRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public byte[] serialize(TextRecord r) {
            return utf8(r.getId());
        }
    }
}
