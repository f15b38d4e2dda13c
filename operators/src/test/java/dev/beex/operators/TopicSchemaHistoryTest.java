package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.schemas.ModelAction;
import dev.beex.schemas.ModelUpdate;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.junit.jupiter.api.Test;

class TopicSchemaHistoryTest {

    @Test
    void everyTopicSchemaIsItsLatestRecordedVersion() {
        // Changing a topic schema without recording the new version (and keeping the old ones) would
        // leave messages already in the topics unreadable after the change: add <Name>.v<N+1>.avsc
        // under schemas/src/main/resources/dev/beex/schemas/history.
        for (Schema current : AvroJson.TOPIC_SCHEMAS) {
            List<Schema> versions = TopicSchemaHistory.versions(current.getName());
            assertThat(versions).as(current.getName()).isNotEmpty();
            assertThat(SchemaNormalization.parsingFingerprint64(versions.get(versions.size() - 1)))
                    .as(current.getName() + ": latest recorded version = the current schema")
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(current));
        }
    }

    @Test
    void aControlMessageWrittenWithAnEarlierSchemaStillDecodes() throws Exception {
        // An earlier ModelUpdate without the optional "note" field, as a control topic may still hold it.
        Schema current = ModelUpdate.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (!f.name().equals("note")) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
        GenericRecord old = new GenericData.Record(older);
        old.put("action", new GenericData.EnumSymbol(older.getField("action").schema(), ModelAction.ROLLBACK.name()));
        old.put("modelName", "spam");
        old.put("version", 3L);
        old.put("publishedAt", Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old);
        byte[] message = new byte[bytes.remaining()];
        bytes.get(message);

        assertThatThrownBy(() -> ModelUpdate.getDecoder().decode(message)).isInstanceOf(MissingSchemaException.class);
        ModelUpdate decoded = TopicSchemaHistory.decoder(ModelUpdate.class, List.of(older, current)).decode(message);
        assertThat(decoded.getAction()).isEqualTo(ModelAction.ROLLBACK);
        assertThat(decoded.getModelName()).isEqualTo("spam");
        assertThat(decoded.getVersion()).isEqualTo(3L);
        assertThat(decoded.getNote()).isNull();
    }

    @Test
    void theSharedDecoderReadsTheCurrentSchema() throws Exception {
        ModelUpdate u = ModelUpdates.rollback("spam", 2);
        assertThat(TopicSchemaHistory.decoder(ModelUpdate.class).decode(u.toByteBuffer())).isEqualTo(u);
    }
}
