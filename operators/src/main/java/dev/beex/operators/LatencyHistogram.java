package dev.beex.operators;

/**
 * Scoring-time buckets of a shadow comparison: fixed half-octave buckets of engine microseconds,
 * so partial histograms of every subtask add up by summing counts and a percentile is read from
 * the total. Bucket 0 holds 0 µs; bucket b ≥ 1 holds {@code [2^((b−1)/2), 2^(b/2))} µs (rounded
 * to the half octave by integer arithmetic); the last bucket also holds everything slower
 * (about 8 s and up). A percentile is reported as its bucket's upper edge: at most √2 too high.
 */
final class LatencyHistogram {
    /** Buckets per histogram (the last one is open-ended). */
    static final int BUCKETS = 48;

    private LatencyHistogram() {
    }

    /** The bucket of {@code micros} (negative counts as 0). */
    static int bucket(long micros) {
        if (micros <= 0) {
            return 0;
        }
        long m = Math.min(micros, 1L << 30);
        int e = 63 - Long.numberOfLeadingZeros(m);          // 2^e <= m < 2^(e+1)
        int half = m * m >= 1L << (2 * e + 1) ? 1 : 0;      // m >= 2^e·√2
        return Math.min(BUCKETS - 1, 1 + 2 * e + half);
    }

    /** Upper edge of bucket {@code b} in microseconds: {@code ceil(2^(b/2))} (0 for bucket 0). */
    static long upperMicros(int b) {
        return b == 0 ? 0 : (long) Math.ceil(Math.pow(2, b / 2.0));
    }

    /**
     * The {@code q}-quantile (0 < q ≤ 1) of the counts, as its bucket's upper edge; null when there
     * are no counts. {@code counts} may be shorter than {@link #BUCKETS} (trailing buckets empty).
     */
    static Long percentile(java.util.List<Long> counts, double q) {
        long total = 0;
        for (Long c : counts) {
            total += c;
        }
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < counts.size(); b++) {
            seen += counts.get(b);
            if (seen >= rank) {
                return upperMicros(b);
            }
        }
        return upperMicros(counts.size() - 1);
    }
}
