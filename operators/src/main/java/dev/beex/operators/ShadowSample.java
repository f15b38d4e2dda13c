package dev.beex.operators;

/**
 * Which records a shadow version scores when it samples ({@code --sample F}): a deterministic
 * function of the record id, so the same record is in or out on every subtask, run and replay.
 */
final class ShadowSample {

    private ShadowSample() {
    }

    /** Whether the record with {@code id} is in a sample of {@code fraction} (0 < fraction <= 1). */
    static boolean includes(String id, double fraction) {
        if (fraction >= 1.0) {
            return true;
        }
        // String.hashCode is cached; the murmur3 finalizer spreads ids that differ in one character.
        int h = id == null ? 0 : id.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return (h & 0xFFFFFFFFL) < (long) (fraction * 4294967296.0);
    }
}
