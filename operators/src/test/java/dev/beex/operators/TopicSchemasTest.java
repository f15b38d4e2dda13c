package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelAction;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.SourcePosition;
import dev.beex.schemas.StoredModel;
import dev.beex.schemas.TextRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class TopicSchemasTest {

    private static PredictionRecord prediction() {
        return PredictionRecord.newBuilder()
                .setId("id-1").setEventTime(Instant.ofEpochMilli(5)).setAttributes(Map.of("u", "v"))
                .setSource(new SourcePosition("texts", 1, 9L))
                .setLabel("spam").setLabelIndex(1).setConfidence(0.9f)
                .setLabels(List.of("ham", "spam")).setProbabilities(List.of(0.1f, 0.9f))
                .setExitBlock(2).setBlocks(6).setHard(false).setModelName("m").setModelVersion(3)
                .setScoredAt(Instant.ofEpochMilli(10)).setScoringMicros(123).build();
    }

    private static <T> ProducerRecord<byte[], byte[]> write(KafkaRecordSerializationSchema<T> schema, T value) {
        return schema.serialize(value, null, null);
    }

    @Test
    void everyOutputTopicRoundTripsAsSingleObjectAvroWithAMeaningfulKey() throws Exception {
        PredictionRecord p = prediction();
        ProducerRecord<byte[], byte[]> pr = write(TopicSchemas.predictions("predictions"), p);
        assertThat(pr.topic()).isEqualTo("predictions");
        assertThat(new String(pr.key(), StandardCharsets.UTF_8)).isEqualTo("id-1");
        assertThat(PredictionRecord.getDecoder().decode(pr.value())).isEqualTo(p);
        assertThat(pr.value()[0]).isEqualTo((byte) 0xC3); // single-object marker C3 01
        assertThat(pr.value()[1]).isEqualTo((byte) 0x01);

        HardExample h = new HardExample(p, "the text", List.of(0.9f, 0.5f));
        ProducerRecord<byte[], byte[]> hr = write(TopicSchemas.hardExamples("hard"), h);
        assertThat(new String(hr.key(), StandardCharsets.UTF_8)).isEqualTo("id-1");
        assertThat(HardExample.getDecoder().decode(hr.value())).isEqualTo(h);

        DeadLetter d = DecodeFunction.deadLetter(new RawRecord(new byte[] {1, 2}, "key".getBytes(StandardCharsets.UTF_8),
                "texts", 0, 4, 77), DeadLetterReason.INVALID_UTF8, "bad", 1024);
        ProducerRecord<byte[], byte[]> dr = write(TopicSchemas.deadLetters("dead"), d);
        assertThat(new String(dr.key(), StandardCharsets.UTF_8)).isEqualTo("key");
        DeadLetter dBack = DeadLetter.getDecoder().decode(dr.value());
        assertThat(dBack.getReason()).isEqualTo("INVALID_UTF8");
        assertThat(ModelValidator.copy(dBack.getValue())).containsExactly(1, 2);

        ModelEvent e = ModelEvent.newBuilder().setType(ModelEventType.REJECTED).setModelName("m").setVersion(2)
                .setReason("why").setActiveVersion(1).setPreviousVersion(1).setTime(Instant.ofEpochMilli(3)).setSubtask(0).build();
        ProducerRecord<byte[], byte[]> er = write(TopicSchemas.modelEvents("events"), e);
        assertThat(new String(er.key(), StandardCharsets.UTF_8)).isEqualTo("m");
        assertThat(ModelEvent.getDecoder().decode(er.value())).isEqualTo(e);

        TextRecord t = TextRecord.newBuilder().setId("t1").setText("hello").setEventTime(Instant.ofEpochMilli(1)).build();
        ProducerRecord<byte[], byte[]> tr = write(TopicSchemas.textRecords("texts"), t);
        assertThat(new AvroSingleObjectDeserializationSchema<>(TextRecord.class).deserialize(tr.value())).isEqualTo(t);
    }

    @Test
    void controlMessagesCarryTheArtifactHashAndRoundTrip() throws Exception {
        byte[] artifact = {9, 8, 7, 6};
        ModelUpdate u = ModelUpdates.deploy("m", 4, artifact, new byte[] {1}, "reduction:0.1");
        assertThat(u.getAction()).isEqualTo(ModelAction.DEPLOY);
        assertThat(u.getSha256()).isEqualTo(ModelUpdates.sha256Hex(artifact)).hasSize(64);
        ModelUpdate back = ModelUpdate.getDecoder().decode(TopicSchemas.controlValue(u));
        assertThat(back).isEqualTo(u);
        assertThat(new String(TopicSchemas.controlKey(u), StandardCharsets.UTF_8)).isEqualTo("m");

        ModelUpdate r = ModelUpdates.rollback("m", 0);
        assertThat(r.getAction()).isEqualTo(ModelAction.ROLLBACK);
        assertThat(r.getArtifact()).isNull();
        assertThat(ModelUpdates.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void rawRecordSchemaKeepsBytesAndPositionAndNeverFails() throws Exception {
        RawRecordDeserializationSchema schema = new RawRecordDeserializationSchema();
        List<RawRecord> out = new ArrayList<>();
        Collector<RawRecord> collector = new Collector<>() {
            @Override
            public void collect(RawRecord record) {
                out.add(record);
            }

            @Override
            public void close() {
            }
        };
        ConsumerRecord<byte[], byte[]> garbage = new ConsumerRecord<>("texts", 3, 42L, new byte[] {7}, new byte[] {(byte) 0xFF});
        schema.deserialize(garbage, collector);
        schema.deserialize(new ConsumerRecord<>("texts", 3, 43L, null, null), collector);
        assertThat(out).containsExactly(
                new RawRecord(new byte[] {(byte) 0xFF}, new byte[] {7}, "texts", 3, 42L, garbage.timestamp()),
                new RawRecord(null, null, "texts", 3, 43L, garbage.timestamp()));
        assertThat(out.get(0).position()).isEqualTo("texts-3-42");
    }

    @Test
    void wrongTypeBytesAreRejectedByTheStrictDeserializer() {
        byte[] event = new AvroSingleObjectSerializationSchema<>(TextRecord.class).serialize(
                TextRecord.newBuilder().setId("x").setText("y").setEventTime(Instant.EPOCH).build());
        assertThatThrownBy(() -> new AvroSingleObjectDeserializationSchema<>(ModelEvent.class).deserialize(event))
                .hasMessageContaining("Cannot resolve schema for fingerprint");
    }

    /** Every optional field is a union with null first and default null, so readers of newer schemas can read older data. */
    @Test
    void optionalFieldsDefaultToNullSoSchemasCanEvolve() {
        List<Schema> schemas = List.of(TextRecord.getClassSchema(), PredictionRecord.getClassSchema(),
                HardExample.getClassSchema(), DeadLetter.getClassSchema(), ModelUpdate.getClassSchema(),
                ModelEvent.getClassSchema(), StoredModel.getClassSchema(), ModelRegistry.getClassSchema());
        for (Schema s : schemas) {
            for (Schema.Field f : s.getFields()) {
                if (f.schema().getType() == Schema.Type.UNION) {
                    assertThat(f.schema().getTypes().get(0).getType()).as(s.getName() + "." + f.name()).isEqualTo(Schema.Type.NULL);
                    assertThat(f.hasDefaultValue()).as(s.getName() + "." + f.name()).isTrue();
                    assertThat(f.defaultVal()).as(s.getName() + "." + f.name()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
                }
            }
        }
    }

    @Test
    void aTextRecordWrittenBeforeOptionalFieldsExistedStillDecodes() throws Exception {
        // A producer built against a first version of TextRecord: id, text, eventTime only.
        Schema v1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"TextRecord\",\"namespace\":\"dev.beex.schemas\","
                + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"text\",\"type\":\"string\"},"
                + "{\"name\":\"eventTime\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}}]}");
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "old-1");
        old.put("text", "written by an old producer");
        old.put("eventTime", 42L);
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

        BinaryMessageDecoder<TextRecord> decoder = TextRecord.createDecoder(null);
        decoder.addSchema(v1);
        TextRecord read = decoder.decode(bytes);
        assertThat(read.getId()).isEqualTo("old-1");
        assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(42));
        assertThat(read.getAttributes()).isNull();
        assertThat(read.getSource()).isNull();
    }


    @Test
    void jsonOutputWritesPlainJsonObjects() throws Exception {
        PredictionRecord p = PredictionRecord.newBuilder().setId("id-9").setEventTime(Instant.ofEpochMilli(5))
                .setLabel("spam").setLabelIndex(1).setConfidence(0.75f).setLabels(List.of("ham", "spam"))
                .setProbabilities(List.of(0.25f, 0.75f)).setExitBlock(2).setBlocks(4).setHard(false)
                .setModelName("m").setModelVersion(3).setScoredAt(Instant.ofEpochMilli(6)).setScoringMicros(10)
                .setSource(new dev.beex.schemas.SourcePosition("t", 1, 2L)).build();
        ProducerRecord<byte[], byte[]> r = write(TopicSchemas.predictions("p", OutputFormat.JSON), p);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.value());
        assertThat(json.get("id").asText()).isEqualTo("id-9");
        assertThat(json.get("label").asText()).isEqualTo("spam");
        assertThat(json.get("eventTime").asLong()).isEqualTo(5L);
        assertThat(json.get("probabilities").get(1).floatValue()).isEqualTo(0.75f);
        assertThat(json.get("source").get("offset").asLong()).isEqualTo(2L);
        assertThat(json.get("attributes").isNull()).isTrue();
        assertThat(AvroJson.decodeSingleObject(write(TopicSchemas.predictions("p"), p).value()).toString())
                .isEqualTo(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
    }
}
