package dev.beex.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Float16Test {

    private static int bits(float f) {
        return Float16.fromFloat(f) & 0xffff;
    }

    @Test
    void exactValuesAndSpecials() {
        assertThat(bits(0f)).isEqualTo(0x0000);
        assertThat(bits(-0f)).isEqualTo(0x8000);
        assertThat(bits(1f)).isEqualTo(0x3c00);
        assertThat(bits(-2f)).isEqualTo(0xc000);
        assertThat(bits(0.5f)).isEqualTo(0x3800);
        assertThat(bits(65504f)).isEqualTo(0x7bff);
        assertThat(bits(0x1p-14f)).isEqualTo(0x0400);          // smallest normal
        assertThat(bits(0x1p-24f)).isEqualTo(0x0001);          // smallest subnormal
        assertThat(bits(0x3ffp-24f)).isEqualTo(0x03ff);        // largest subnormal
        assertThat(bits(Float.POSITIVE_INFINITY)).isEqualTo(0x7c00);
        assertThat(bits(Float.NEGATIVE_INFINITY)).isEqualTo(0xfc00);
        short nan = Float16.fromFloat(Float.NaN);
        assertThat((nan & 0x7c00) == 0x7c00 && (nan & 0x3ff) != 0).as("NaN stays NaN").isTrue();
        assertThat(Float16.toFloat(nan)).isNaN();
        assertThat(Float16.toFloat(Float16.fromFloat(Float.intBitsToFloat(0x7f80_0001)))).as("signalling payload").isNaN();
        assertThat(Float.floatToRawIntBits(Float16.round(-0f))).isEqualTo(0x8000_0000);
    }

    @Test
    void overflowAndUnderflowRoundCorrectly() {
        assertThat(bits(65519.99f)).isEqualTo(0x7bff);         // below the midpoint to 2^16
        assertThat(bits(65520f)).isEqualTo(0x7c00);            // midpoint: ties to even = infinity
        assertThat(bits(1e6f)).isEqualTo(0x7c00);
        assertThat(bits(-1e6f)).isEqualTo(0xfc00);
        assertThat(bits(Float.MAX_VALUE)).isEqualTo(0x7c00);
        assertThat(bits(0x1p-25f)).isEqualTo(0x0000);          // half of the smallest subnormal: tie to even 0
        assertThat(bits(0x1.000002p-25f)).isEqualTo(0x0001);   // just above it
        assertThat(bits(-0x1p-26f)).isEqualTo(0x8000);         // underflow keeps the sign
        assertThat(bits(Float.MIN_VALUE)).isEqualTo(0x0000);   // float32 subnormal
        assertThat(bits(0x3p-25f)).isEqualTo(0x0002);          // 1.5 ulp: tie to even 2
        assertThat(bits(0x5p-25f)).isEqualTo(0x0002);          // 2.5 ulp: tie to even 2
        assertThat(bits(0x7ffp-25f)).isEqualTo(0x0400);        // largest subnormal + half ulp rounds up to normal
        assertThat(bits(1f + 0x1p-11f)).isEqualTo(0x3c00);     // tie between 1 and 1+2^-10: even
        assertThat(bits(1f + 0x3p-11f)).isEqualTo(0x3c02);     // tie: even (up)
        assertThat(Float16.fits(65504f)).isTrue();
        assertThat(Float16.fits(70000f)).isFalse();
        assertThat(Float16.fits(Float.NaN)).isFalse();
    }

    @Test
    void everyHalfRoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Float16.toFloat((short) h);
            boolean nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0;
            if (nan) {
                assertThat(f).isNaN();
            } else {
                assertThat(bits(f)).as("0x%04x", h).isEqualTo(h);
            }
        }
        assertThat(Float16.toFloat((short) 0x3555)).isEqualTo(0.333251953125f);
        assertThat(Float16.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    }

    /** Random floats over the whole binary16 range round to the nearest neighbour, ties to even. */
    @Test
    void randomFloatsRoundToNearestEven() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200_000; i++) {
            float f = Float.intBitsToFloat((r.nextInt(0x3300_0000, 0x477f_e000)) | (r.nextBoolean() ? 0x8000_0000 : 0));
            int h = bits(f);
            float got = Float16.toFloat((short) h);
            double err = Math.abs((double) f - got);
            for (int neighbour : new int[] {h - 1, h + 1}) {
                if ((neighbour & 0x7fff) >= 0x7c00 || neighbour < 0 || (neighbour & 0x8000) != (h & 0x8000)) {
                    continue;
                }
                double other = Math.abs((double) f - Float16.toFloat((short) neighbour));
                assertThat(err).as("%s -> 0x%04x vs 0x%04x", f, h, neighbour).isLessThanOrEqualTo(other);
                if (err == other) {
                    assertThat(h & 1).as("tie of %s goes to even", f).isZero();
                }
            }
        }
    }
}
