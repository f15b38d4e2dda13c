package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void everyValueLiesBelowItsBucketsUpperEdgeAndAboveThePreviousOne() {
        assertThat(LatencyHistogram.bucket(0)).isZero();
        assertThat(LatencyHistogram.bucket(-5)).isZero();
        for (long m = 1; m < 3_000_000; m = m < 1000 ? m + 1 : m * 1001 / 1000) {
            int b = LatencyHistogram.bucket(m);
            assertThat(b).as("%d µs", m).isBetween(1, LatencyHistogram.BUCKETS - 1);
            assertThat(m).as("%d µs in bucket %d", m, b).isLessThanOrEqualTo(LatencyHistogram.upperMicros(b));
            assertThat(m).as("%d µs in bucket %d", m, b).isGreaterThanOrEqualTo(LatencyHistogram.upperMicros(b - 1));
            // half-octave buckets: the edge is at most √2 above the value
            assertThat((double) LatencyHistogram.upperMicros(b)).isLessThanOrEqualTo(Math.ceil(m * Math.sqrt(2)) + 1);
        }
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).as("open-ended last bucket").isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void percentileIsTheUpperEdgeOfTheBucketHoldingThatRank() {
        List<Long> counts = new ArrayList<>();
        for (int b = 0; b < LatencyHistogram.BUCKETS; b++) {
            counts.add(0L);
        }
        counts.set(LatencyHistogram.bucket(100), 98L);
        counts.set(LatencyHistogram.bucket(900), 2L);
        assertThat(LatencyHistogram.percentile(counts, 0.5)).isEqualTo(LatencyHistogram.upperMicros(LatencyHistogram.bucket(100)));
        assertThat(LatencyHistogram.percentile(counts, 0.98)).isEqualTo(LatencyHistogram.upperMicros(LatencyHistogram.bucket(100)));
        assertThat(LatencyHistogram.percentile(counts, 0.99)).isEqualTo(LatencyHistogram.upperMicros(LatencyHistogram.bucket(900)));
        assertThat(LatencyHistogram.percentile(List.of(), 0.99)).as("nothing counted").isNull();
        assertThat(LatencyHistogram.percentile(List.of(0L, 0L), 0.99)).isNull();
    }
}
