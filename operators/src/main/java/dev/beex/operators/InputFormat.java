package dev.beex.operators;

/**
 * How the bytes of an input-topic message encode a {@link dev.beex.schemas.TextRecord}.
 *
 * <ul>
 *   <li>{@link #AVRO}: Avro single-object encoding of TextRecord (header {@code C3 01} + schema
 *       fingerprint + body), as {@code TextRecord.toByteBuffer()} writes it.</li>
 *   <li>{@link #JSON}: one UTF-8 JSON object {@code {"id":..., "text":..., "eventTime":...,
 *       "attributes":{...}}}; other top-level fields become attributes.</li>
 *   <li>{@link #TEXT}: the whole UTF-8 value is the text; the id is the message key, or
 *       {@code topic-partition-offset} when there is none.</li>
 * </ul>
 */
public enum InputFormat {
    AVRO, JSON, TEXT;

    /** Parses {@code avro}, {@code json} or {@code text} (any case). */
    public static InputFormat parse(String name) {
        return FormatNames.parse(InputFormat.class, name, "input format");
    }
}
