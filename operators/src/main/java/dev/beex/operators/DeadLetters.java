package dev.beex.operators;

import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.SourcePosition;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/**
 * Builds bounded {@link DeadLetter}s: a prefix of the value (with its full size and SHA-256), a
 * prefix of the key and a cut detail, so one dead letter can never exceed its topic's limit.
 */
final class DeadLetters {

    private DeadLetters() {
    }

    static DeadLetter of(DeadLetterReason reason, String detail, SourcePosition source, Long sourceTimestamp,
                         byte[] key, byte[] value, int valuePrefixBytes) {
        return DeadLetter.newBuilder()
                .setReason(reason.name())
                .setDetail(cut(detail))
                .setSource(source)
                .setSourceTimestamp(sourceTimestamp)
                .setKey(key == null ? null : ByteBuffer.wrap(prefix(key, RecordLimits.KEY_PREFIX_BYTES)))
                .setValue(value == null ? null : ByteBuffer.wrap(prefix(value, valuePrefixBytes)))
                .setValueSize(value == null ? null : (long) value.length)
                .setValueSha256(value == null ? null : ModelUpdates.sha256Hex(value))
                .setTime(Instant.now())
                .build();
    }

    private static byte[] prefix(byte[] bytes, int max) {
        return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }

    private static String cut(String detail) {
        if (detail == null) {
            return "";
        }
        return detail.length() <= RecordLimits.MAX_DETAIL_CHARS ? detail
                : detail.substring(0, RecordLimits.MAX_DETAIL_CHARS) + "...";
    }
}
