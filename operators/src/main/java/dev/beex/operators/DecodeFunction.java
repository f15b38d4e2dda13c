package dev.beex.operators;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.SourcePosition;
import dev.beex.schemas.TextRecord;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns raw input-topic messages into {@link TextRecord}s according to the {@link InputFormat}.
 * Never throws on bad input: undecodable bytes, invalid UTF-8, strict-JSON violations (trailing
 * content, duplicate keys), a missing, empty, content-free or oversized text and an oversized
 * message go to {@link OutputTags#DEAD_LETTERS} with a {@link DeadLetterReason}, a bounded prefix
 * of the original bytes ({@link RecordLimits}) and the source position. Every decoded record
 * carries its source position.
 */
public final class DecodeFunction extends ProcessFunction<RawRecord, TextRecord> {
    private static final long serialVersionUID = 1L;

    /** Default limit on a text's UTF-8 length. */
    public static final int DEFAULT_MAX_TEXT_BYTES = RecordLimits.DEFAULT_MAX_TEXT_BYTES;

    private static final char BOM = '\uFEFF';
    /** Looked up once: the AVRO input path decodes every record with it (thread-safe). */
    private static final BinaryMessageDecoder<TextRecord> TEXT_RECORDS = TopicSchemaHistory.decoder(TextRecord.class);

    private final InputFormat format;
    private final int maxTextBytes;
    private final RecordLimits limits;

    private transient CharsetDecoder utf8;
    private transient ObjectMapper json;
    private transient Counter decoded;
    private transient Counter deadLetters;
    private transient Map<DeadLetterReason, Counter> deadLettersByReason;

    public DecodeFunction(InputFormat format) {
        this(format, DEFAULT_MAX_TEXT_BYTES);
    }

    public DecodeFunction(InputFormat format, int maxTextBytes) {
        this(format, RecordLimits.defaults().withMaxTextBytes(maxTextBytes));
    }

    public DecodeFunction(InputFormat format, RecordLimits limits) {
        if (format == null) {
            throw new IllegalArgumentException("input format is required");
        }
        this.format = format;
        this.limits = limits == null ? RecordLimits.defaults() : limits;
        this.maxTextBytes = this.limits.maxTextBytes();
    }

    @Override
    public void open(OpenContext openContext) {
        utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // Strict: a second value after the object or a repeated key is not one well-formed record.
        json = new ObjectMapper()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("beex");
        decoded = group.counter("decodedRecords");
        deadLetters = group.counter("deadLetters");
        deadLettersByReason = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLettersByReason.put(r, group.addGroup("deadLetterReason", r.name()).counter("deadLetters"));
        }
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<TextRecord> out) {
        try {
            TextRecord record = decode(raw);
            check(record);
            decoded.inc();
            out.collect(record);
        } catch (Rejected r) {
            deadLetters.inc();
            deadLettersByReason.get(r.reason).inc();
            ctx.output(OutputTags.DEAD_LETTERS, deadLetter(raw, r.reason, r.getMessage(), limits.deadLetterValueBytes()));
        }
    }

    private TextRecord decode(RawRecord raw) throws Rejected {
        if (raw.value() == null) {
            throw new Rejected(DeadLetterReason.UNDECODABLE, "message has no value (tombstone)");
        }
        long size = (long) raw.value().length + (raw.key() == null ? 0 : raw.key().length);
        if (size > limits.maxRecordBytes()) {
            if (format == InputFormat.TEXT && raw.value().length > maxTextBytes) {
                throw tooLarge(raw.value().length); // the text itself is what is too large
            }
            throw new Rejected(DeadLetterReason.RECORD_TOO_LARGE,
                    "message is " + size + " bytes (key + value), limit " + limits.maxRecordBytes());
        }
        switch (format) {
            case TEXT:
                return decodeText(raw);
            case JSON:
                return decodeJson(raw);
            case AVRO:
            default:
                return decodeAvro(raw);
        }
    }

    private TextRecord decodeText(RawRecord raw) throws Rejected {
        // Check the size before decoding: an oversized value must not cost a full decode.
        if (raw.value().length > maxTextBytes) {
            throw tooLarge(raw.value().length);
        }
        String text = utf8(raw.value(), "value");
        return TextRecord.newBuilder()
                .setId(keyOrPosition(raw))
                .setText(text)
                .setEventTime(kafkaTime(raw))
                .setSource(position(raw))
                .build();
    }

    private TextRecord decodeJson(RawRecord raw) throws Rejected {
        String body = utf8(raw.value(), "value");
        if (!body.isEmpty() && body.charAt(0) == BOM) {
            body = body.substring(1); // a UTF-8 byte order mark is legal before JSON text (RFC 8259 8.1)
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new Rejected(DeadLetterReason.UNDECODABLE, "malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new Rejected(DeadLetterReason.UNDECODABLE, "malformed JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new Rejected(DeadLetterReason.UNDECODABLE, "JSON value is not an object");
        }
        JsonNode text = root.get("text");
        if (text == null || !text.isTextual()) {
            throw new Rejected(DeadLetterReason.MISSING_TEXT, "JSON object has no string field 'text'");
        }
        JsonNode id = root.get("id");
        String idText = id != null && (id.isTextual() || id.isNumber()) ? id.asText() : keyOrPosition(raw);
        Instant eventTime = jsonTime(root, raw);
        Map<String, String> attributes = null;
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (name.equals("id") || name.equals("text") || name.equals("eventTime") || name.equals("timestamp")) {
                continue;
            }
            if (attributes == null) {
                attributes = new HashMap<>();
            }
            if (name.equals("attributes") && field.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> attr : field.getValue().properties()) {
                    attributes.put(attr.getKey(), scalarText(attr.getValue()));
                }
            } else {
                attributes.put(name, scalarText(field.getValue()));
            }
        }
        return TextRecord.newBuilder()
                .setId(idText.isEmpty() ? keyOrPosition(raw) : idText)
                .setText(text.asText())
                .setEventTime(eventTime)
                .setAttributes(attributes)
                .setSource(position(raw))
                .build();
    }

    private TextRecord decodeAvro(RawRecord raw) throws Rejected {
        TextRecord record;
        try {
            record = TEXT_RECORDS.decode(raw.value());
        } catch (java.io.IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new Rejected(DeadLetterReason.UNDECODABLE,
                    "not an Avro single-object TextRecord: " + firstLine(String.valueOf(e.getMessage())));
        }
        if (record.getId() == null || record.getId().isEmpty()) {
            record.setId(keyOrPosition(raw));
        }
        record.setSource(position(raw));
        return record;
    }

    private void check(TextRecord record) throws Rejected {
        String text = record.getText();
        if (text == null || text.isBlank()) {
            throw new Rejected(DeadLetterReason.EMPTY_TEXT, "text is empty or blank");
        }
        int bytes = Utf8.length(text);
        if (bytes > maxTextBytes) {
            throw tooLarge(bytes);
        }
        if (!hasContent(text)) {
            throw new Rejected(DeadLetterReason.NO_CONTENT,
                    "text has no letter, digit or symbol (only spaces, invisible characters or punctuation)");
        }
    }

    /**
     * Whether the text has something to classify: a letter, a digit or a symbol (emoji included).
     * Stops at the first one, normally the first character; no allocation.
     */
    static boolean hasContent(String text) {
        for (int i = 0, len = text.length(); i < len; ) {
            int cp = text.codePointAt(i);
            if (Character.isLetterOrDigit(cp)) {
                return true;
            }
            int type = Character.getType(cp);
            if (type == Character.OTHER_SYMBOL || type == Character.MATH_SYMBOL
                    || type == Character.CURRENCY_SYMBOL) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    private Rejected tooLarge(int bytes) {
        return new Rejected(DeadLetterReason.TEXT_TOO_LARGE,
                "text is " + bytes + " bytes, limit " + maxTextBytes);
    }

    private String utf8(byte[] bytes, String what) throws Rejected {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Rejected(DeadLetterReason.INVALID_UTF8, what + " is not valid UTF-8: " + e.getMessage());
        }
    }

    private String keyOrPosition(RawRecord raw) {
        if (raw.key() != null && raw.key().length > 0) {
            try {
                return utf8.reset().decode(ByteBuffer.wrap(raw.key())).toString();
            } catch (CharacterCodingException e) {
                // A binary key is not an id; fall back to the position, which is unique.
            }
        }
        return raw.position();
    }

    private static Instant kafkaTime(RawRecord raw) {
        // Kafka reports -1 when the producer set no timestamp.
        return Instant.ofEpochMilli(raw.timestamp() >= 0 ? raw.timestamp() : System.currentTimeMillis());
    }

    private static Instant jsonTime(JsonNode root, RawRecord raw) throws Rejected {
        JsonNode t = root.get("eventTime");
        if (t == null) {
            t = root.get("timestamp");
        }
        if (t == null || t.isNull()) {
            return kafkaTime(raw);
        }
        if (t.isIntegralNumber()) {
            return Instant.ofEpochMilli(t.asLong());
        }
        if (t.isTextual()) {
            try {
                return Instant.parse(t.asText());
            } catch (DateTimeParseException e) {
                throw new Rejected(DeadLetterReason.UNDECODABLE,
                        "eventTime '" + t.asText() + "' is neither epoch milliseconds nor ISO-8601");
            }
        }
        throw new Rejected(DeadLetterReason.UNDECODABLE, "eventTime must be epoch milliseconds or an ISO-8601 string");
    }

    private static String scalarText(JsonNode v) {
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static SourcePosition position(RawRecord raw) {
        return new SourcePosition(raw.topic(), raw.partition(), raw.offset());
    }

    static DeadLetter deadLetter(RawRecord raw, DeadLetterReason reason, String detail, int valuePrefixBytes) {
        return DeadLetters.of(reason, detail, position(raw), raw.timestamp(), raw.key(), raw.value(), valuePrefixBytes);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A decoding failure on its way to the dead-letter output; no stack trace (an expected outcome). */
    private static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final DeadLetterReason reason;

        Rejected(DeadLetterReason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }
}
