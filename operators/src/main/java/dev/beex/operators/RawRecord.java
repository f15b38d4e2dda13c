package dev.beex.operators;

import java.util.Arrays;

/**
 * A Kafka message exactly as read, before any decoding, so that decoding failures can be routed
 * to the dead-letter topic with the original bytes and position instead of failing the source.
 *
 * @param value     message value (may be null: a tombstone)
 * @param key       message key (may be null)
 * @param topic     source topic
 * @param partition source partition
 * @param offset    source offset
 * @param timestamp Kafka record timestamp in epoch milliseconds
 */
public record RawRecord(byte[] value, byte[] key, String topic, int partition, long offset, long timestamp) {

    /** {@code topic-partition-offset}: the id of a record that brings none. */
    public String position() {
        return topic + "-" + partition + "-" + offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawRecord r && Arrays.equals(r.value, value) && Arrays.equals(r.key, key)
                && java.util.Objects.equals(r.topic, topic) && r.partition == partition
                && r.offset == offset && r.timestamp == timestamp;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * java.util.Objects.hashCode(topic) + partition) + Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return "RawRecord[" + position() + ", " + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
