package dev.beex.operators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.TextRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Plain JSON for beex's Avro records, for people and standard tools (jq): field names as in the
 * schema, unions unwrapped, timestamps as epoch milliseconds, bytes as base64 strings.
 */
public final class AvroJson {

    /** The schemas of every beex topic, by their single-object fingerprint. */
    public static final List<Schema> TOPIC_SCHEMAS = List.of(TextRecord.getClassSchema(), ModelUpdate.getClassSchema(),
            PredictionRecord.getClassSchema(), HardExample.getClassSchema(), DeadLetter.getClassSchema(),
            ModelEvent.getClassSchema());

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Map<Long, Schema> BY_FINGERPRINT = new HashMap<>();

    static {
        for (Schema s : TOPIC_SCHEMAS) {
            for (Schema version : TopicSchemaHistory.versions(s.getName())) {   // messages written before a change
                BY_FINGERPRINT.put(SchemaNormalization.parsingFingerprint64(version), version);
            }
            BY_FINGERPRINT.put(SchemaNormalization.parsingFingerprint64(s), s);
        }
    }

    private AvroJson() {
    }

    /** One record (generic or generated) as a JSON object. */
    public static ObjectNode toJson(GenericRecord record) {
        ObjectNode out = NODES.objectNode();
        for (Schema.Field f : record.getSchema().getFields()) {
            out.set(f.name(), value(record.get(f.pos())));
        }
        return out;
    }

    public static byte[] toJsonBytes(GenericRecord record) {
        try {
            return MAPPER.writeValueAsBytes(toJson(record));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A message value written by beex (Avro single-object encoding of a topic schema) as JSON;
     * null when the bytes are not one.
     */
    public static ObjectNode decodeSingleObject(byte[] value) {
        if (value == null || value.length < 10 || value[0] != (byte) 0xC3 || value[1] != 0x01) {
            return null;
        }
        long fingerprint = ByteBuffer.wrap(value, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        Schema schema = BY_FINGERPRINT.get(fingerprint);
        if (schema == null) {
            return null;
        }
        try {
            GenericRecord r = new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null));
            return toJson(r);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static JsonNode value(Object v) {
        if (v == null) {
            return NODES.nullNode();
        }
        if (v instanceof GenericRecord r) {
            return toJson(r);
        }
        if (v instanceof CharSequence || v instanceof GenericEnumSymbol<?> || v instanceof Enum<?>) {
            return NODES.textNode(v.toString());
        }
        if (v instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (v instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (v instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (v instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (v instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (v instanceof Instant t) {
            return NODES.numberNode(t.toEpochMilli());
        }
        if (v instanceof ByteBuffer b) {
            return NODES.textNode(Base64.getEncoder().encodeToString(ModelValidator.copy(b)));
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            return o;
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(x -> a.add(value(x)));
            return a;
        }
        return NODES.textNode(v.toString());
    }
}
