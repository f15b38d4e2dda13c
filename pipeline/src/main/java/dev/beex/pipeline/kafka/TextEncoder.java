package dev.beex.pipeline.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beex.operators.InputFormat;
import dev.beex.schemas.TextRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes texts into the input topic in one of the job's {@link InputFormat}s; the inverse of the
 * job's DecodeFunction. The record id is also the message key, so TEXT input keeps its id and
 * all messages of one id land on one partition.
 */
public final class TextEncoder {

    private final InputFormat format;
    private final ObjectMapper json = new ObjectMapper();

    public TextEncoder(InputFormat format) {
        this.format = format;
    }

    public InputFormat format() {
        return format;
    }

    public ProducerRecord<byte[], byte[]> record(String topic, String id, String text, Instant eventTime,
                                                 Map<String, String> attributes) {
        return new ProducerRecord<>(topic, null, eventTime.toEpochMilli(), id.getBytes(StandardCharsets.UTF_8),
                encode(id, text, eventTime, attributes));
    }

    /** The message value for one text. */
    public byte[] encode(String id, String text, Instant eventTime, Map<String, String> attributes) {
        switch (format) {
            case TEXT:
                return text.getBytes(StandardCharsets.UTF_8);
            case JSON: {
                ObjectNode node = json.createObjectNode();
                node.put("id", id);
                node.put("text", text);
                node.put("eventTime", eventTime.toEpochMilli());
                if (attributes != null && !attributes.isEmpty()) {
                    ObjectNode attrs = node.putObject("attributes");
                    attributes.forEach(attrs::put);
                }
                try {
                    return json.writeValueAsBytes(node);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case AVRO:
            default: {
                TextRecord record = TextRecord.newBuilder()
                        .setId(id)
                        .setText(text)
                        .setEventTime(eventTime)
                        .setAttributes(attributes == null || attributes.isEmpty() ? null : Map.copyOf(attributes))
                        .build();
                try {
                    ByteBuffer buf = record.toByteBuffer();
                    byte[] out = new byte[buf.remaining()];
                    buf.get(out);
                    return out;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
