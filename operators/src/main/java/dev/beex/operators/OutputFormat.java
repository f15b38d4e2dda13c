package dev.beex.operators;

/**
 * How predictions and hard examples are written: {@link #AVRO} single-object encoding (default,
 * compact, self-describing) or {@link #JSON}, one UTF-8 object per message ({@link AvroJson}:
 * timestamps as epoch milliseconds), for consumers without Avro.
 */
public enum OutputFormat {
    AVRO, JSON;

    /** Worst-case bytes written per byte of input text: JSON escapes a control character as 6 bytes. */
    public int expansion() {
        return this == JSON ? 6 : 1;
    }

    /** Parses {@code avro} or {@code json} (any case). */
    public static OutputFormat parse(String name) {
        return FormatNames.parse(OutputFormat.class, name, "output format");
    }
}
