package dev.beex.pipeline.job;

import java.util.Locale;

/** How output reaches Kafka: transactions committed at checkpoints, or plain flushed writes. */
public enum DeliveryGuarantee {
    EXACTLY_ONCE, AT_LEAST_ONCE;

    /** Accepts {@code exactly-once}, {@code at-least-once} (any case, '-' or '_'). */
    public static DeliveryGuarantee parse(String s) {
        String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("delivery must be exactly-once or at-least-once, not '" + s + "'");
        }
    }

    public org.apache.flink.connector.base.DeliveryGuarantee toFlink() {
        return this == EXACTLY_ONCE ? org.apache.flink.connector.base.DeliveryGuarantee.EXACTLY_ONCE
                : org.apache.flink.connector.base.DeliveryGuarantee.AT_LEAST_ONCE;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
