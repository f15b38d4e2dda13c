package dev.beex.model.artifact;

/**
 * IEEE 754 binary16 ("half") conversions, written by hand because {@code Float.floatToFloat16}
 * only exists from Java 20. The artifact stores every float parameter (position embedding,
 * per-row α, biases, LayerNorm, exit heads) in this form and decodes it back to float32 on load.
 *
 * <p>binary16 rather than bfloat16: the stored values are small (|α| ≤ 1 because latent weights
 * are clipped to [−1, 1]; embeddings, biases and LayerNorm parameters are O(1)), so binary16's
 * 11-bit significand (relative error ≤ 2^-11 ≈ 4.9e-4) is worth more than bfloat16's range
 * (8-bit significand, error ≤ 3.9e-3). Values beyond ±65504 do not fit ({@link #fits}).
 */
public final class Float16 {
    /** Largest finite binary16 value. */
    public static final float MAX_VALUE = 65504f;

    private Float16() {
    }

    /**
     * The binary16 bits of {@code f}, rounded to nearest, ties to even: overflow gives ±infinity,
     * tiny values become subnormal or ±0, NaN stays NaN (quiet, top payload bits kept).
     */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7f_ffff;
        if (exp == 0xff) {
            return (short) (mant == 0 ? sign | 0x7c00 : sign | 0x7e00 | (mant >>> 13));
        }
        int e = exp - 127 + 15;                         // binary16 biased exponent
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            // Subnormal result m·2^-24: m = (1.mant)·2^(exp−126), i.e. the 24-bit significand
            // shifted right by 14 − e (≥ 14). Below 2^-25 everything rounds to ±0.
            if (e < -10) {
                return (short) sign;
            }
            int full = mant | 0x80_0000;
            int shift = 14 - e;
            return (short) (sign | roundShift(full, shift));
        }
        // Normal: keep 10 of the 23 mantissa bits; a carry out of the mantissa correctly bumps
        // the exponent (and 0x7bff + 1 becomes infinity, as it should).
        return (short) (sign | roundShift((e << 23) | mant, 13));
    }

    /** {@code v >>> shift} rounded to nearest, ties to even. */
    private static int roundShift(int v, int shift) {
        int kept = v >>> shift;
        int rest = v & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }

    /** The float32 value of binary16 bits {@code h} (exact: every binary16 value is a float32). */
    public static float toFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f80_0000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;                  // subnormal (or zero): exact
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** {@code f} rounded to the nearest binary16 value (what storing and loading it gives). */
    public static float round(float f) {
        return toFloat(fromFloat(f));
    }

    /** True when {@code f} is finite and stays finite in binary16. */
    public static boolean fits(float f) {
        return Float.isFinite(f) && Float.isFinite(round(f));
    }
}
