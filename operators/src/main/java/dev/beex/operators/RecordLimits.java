package dev.beex.operators;

import java.io.Serializable;

/**
 * Size bounds that keep every output message under what its topic accepts, whatever the input.
 *
 * <ul>
 *   <li>{@code maxTextBytes}: longer texts are dead letters TEXT_TOO_LARGE;</li>
 *   <li>{@code maxRecordBytes}: an input message (key + value) above it is a dead letter
 *       RECORD_TOO_LARGE. A prediction holds at most the id twice (key and field) and the
 *       attributes, a hard example that plus the text: both are bounded by a small multiple of it;</li>
 *   <li>{@code deadLetterValueBytes}: a dead letter carries at most this prefix of the raw value
 *       (plus its full size and SHA-256) and at most {@link #KEY_PREFIX_BYTES} of the key.</li>
 * </ul>
 * The job derives the values from its topics' {@code max.message.bytes} ({@code OutputBounds} in
 * the pipeline), so a message larger than the sink allows cannot be built.
 */
public record RecordLimits(int maxTextBytes, int maxRecordBytes, int deadLetterValueBytes) implements Serializable {

    public static final int DEFAULT_MAX_TEXT_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_RECORD_BYTES = 256 * 1024;
    public static final int DEFAULT_DEAD_LETTER_VALUE_BYTES = 64 * 1024;
    /** Dead letters keep at most this much of the original key (it is also their Kafka key). */
    public static final int KEY_PREFIX_BYTES = 1024;
    /** Room for everything in a dead letter besides the value prefix: reason, detail, key, source, hash. */
    public static final int DEAD_LETTER_OVERHEAD_BYTES = 8 * 1024;
    /** Dead-letter detail messages are cut to this many characters. */
    public static final int MAX_DETAIL_CHARS = 1000;

    public RecordLimits {
        if (maxTextBytes < 1) {
            throw new IllegalArgumentException("max text bytes must be >= 1, got " + maxTextBytes);
        }
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException("max record bytes must be >= 1, got " + maxRecordBytes);
        }
        if (deadLetterValueBytes < 0) {
            throw new IllegalArgumentException("dead-letter value bytes must be >= 0, got " + deadLetterValueBytes);
        }
    }

    public static RecordLimits defaults() {
        return new RecordLimits(DEFAULT_MAX_TEXT_BYTES, DEFAULT_MAX_RECORD_BYTES, DEFAULT_DEAD_LETTER_VALUE_BYTES);
    }

    public RecordLimits withMaxTextBytes(int n) {
        return new RecordLimits(n, maxRecordBytes, deadLetterValueBytes);
    }

    public RecordLimits withMaxRecordBytes(int n) {
        return new RecordLimits(maxTextBytes, n, deadLetterValueBytes);
    }

    public RecordLimits withDeadLetterValueBytes(int n) {
        return new RecordLimits(maxTextBytes, maxRecordBytes, n);
    }
}
