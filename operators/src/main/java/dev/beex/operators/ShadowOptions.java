package dev.beex.operators;

import java.io.Serializable;
import java.time.Duration;

/**
 * How shadow comparisons travel. Each classifier subtask sends its partial counts to the shadow
 * gate every {@code flushRecords} compared records, or at the first compared record after
 * {@code flushInterval} (so a slow stream still reaches its gate); the gate emits a
 * {@code SHADOW_REPORT} event each time the total of compared records passes another multiple
 * of {@code reportRecords}, and one with every verdict.
 */
public record ShadowOptions(int flushRecords, Duration flushInterval, long reportRecords) implements Serializable {

    public static final int DEFAULT_FLUSH_RECORDS = 100;
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);
    public static final long DEFAULT_REPORT_RECORDS = 1000;

    public ShadowOptions {
        if (flushRecords < 1) {
            throw new IllegalArgumentException("shadow flush records must be >= 1, got " + flushRecords);
        }
        if (flushInterval == null || flushInterval.isNegative()) {
            throw new IllegalArgumentException("shadow flush interval must be >= 0, got " + flushInterval);
        }
        if (reportRecords < 1) {
            throw new IllegalArgumentException("shadow report records must be >= 1, got " + reportRecords);
        }
    }

    public static ShadowOptions defaults() {
        return new ShadowOptions(DEFAULT_FLUSH_RECORDS, DEFAULT_FLUSH_INTERVAL, DEFAULT_REPORT_RECORDS);
    }
}
