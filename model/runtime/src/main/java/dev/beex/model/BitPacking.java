package dev.beex.model;

/**
 * The one place where the bit conventions are defined: the artifact stores weights this way,
 * the engine packs activations this way, and the training forward computes its exact ±1 dot
 * products this way (so training and serving compute the same integers).
 *
 * <ul>
 *   <li><b>Value of a bit.</b> Bit {@code 0} means {@code +1}, bit {@code 1} means {@code −1}
 *       (as Larq). {@code sign(v) = +1 if v >= 0} (zero is positive, see model/README.md), so the
 *       bit of {@code v} is {@code !(v >= 0)}.</li>
 *   <li><b>Order.</b> Element {@code k} of a row of length {@code K} is bit {@code k & 63}
 *       (least significant first) of word {@code k >>> 6}; a row takes
 *       {@link #words(int) words(K)} = ⌈K/64⌉ longs and rows are stored one after another
 *       ({@code row r} starts at word {@code r·words(K)}).</li>
 *   <li><b>Padding.</b> The unused high bits of a row's last word are 0 in both weights and
 *       activations, so they XOR to 0 and never count. The ±1 dot product of two rows is then
 *       {@code K − 2·popcount(x XOR w)} with the true length {@code K}.</li>
 * </ul>
 */
public final class BitPacking {
    private BitPacking() {
    }

    /** Longs per packed row of {@code length} elements. */
    public static int words(int length) {
        return (length + 63) >>> 6;
    }

    /**
     * 1 when {@code v} binarizes to −1, else 0: the sign bit of {@code v + 0f} (adding +0 turns
     * −0 into +0, so zero and −0 give 0 = +1). Branch-free, so packing loops stay straight-line
     * code. (A NaN gives its own sign bit; no finite model produces one.)
     */
    public static long bit(float v) {
        return Float.floatToRawIntBits(v + 0f) >>> 31;
    }

    /** ±1 of element {@code k} of the row starting at word {@code offset}. */
    public static int signAt(long[] bits, int offset, int k) {
        return (int) (1 - 2 * ((bits[offset + (k >>> 6)] >>> (k & 63)) & 1L));
    }

    /**
     * {@code scale·sign} of element {@code k} of the row starting at word {@code offset}: {@code −scale}
     * for bit 1, {@code +scale} for bit 0 (decodes {@code α·sign(W)} without a multiplication).
     */
    public static float scaledSign(long[] bits, int offset, int k, float scale) {
        return ((bits[offset + (k >>> 6)] >>> (k & 63)) & 1L) != 0 ? -scale : scale;
    }

    /** {@code SIGNS_OF_BYTE[8b + i]} = the sign (±1) that bit i of byte value b stands for: −1 for bit 1. */
    private static final float[] SIGNS_OF_BYTE = new float[256 * 8];

    static {
        for (int b = 0; b < 256; b++) {
            for (int i = 0; i < 8; i++) {
                SIGNS_OF_BYTE[8 * b + i] = ((b >>> i) & 1) != 0 ? -1f : 1f;
            }
        }
    }

    /**
     * {@code acc[accOffset + k] += scaledSign(bits, offset, k, scale)} for k in [0, n), in k order per
     * element (each element gets exactly one addition of ±scale, so the result is bit-identical to the
     * element-by-element loop). Decodes a byte of signs at a time through an L1-resident table so the
     * 8 additions are independent and vectorize: the lexical path adds one such row per n-gram.
     */
    public static void addScaledSigns(long[] bits, int offset, int n, float scale, float[] acc, int accOffset) {
        int k = 0;
        for (; k + 8 <= n; k += 8) {
            int b = (int) (bits[offset + (k >>> 6)] >>> (k & 63)) & 0xFF;
            int t = 8 * b, o = accOffset + k;
            for (int i = 0; i < 8; i++) {
                acc[o + i] += scale * SIGNS_OF_BYTE[t + i];
            }
        }
        for (; k < n; k++) {
            acc[accOffset + k] += scaledSign(bits, offset, k, scale);
        }
    }

    /**
     * Elements {@code 32q .. 32q+31} of the row starting at word {@code offset} as one int
     * (element {@code 32q} in the least significant bit): the half-words the column kernel uses.
     */
    public static int word32(long[] bits, int offset, int q) {
        return (int) (bits[offset + (q >>> 1)] >>> ((q & 1) << 5));
    }

    /**
     * Packs {@code sign(src[from + k] − shift)} for {@code k < length} into
     * {@code dst[dstOffset .. dstOffset + words(length))}, padding bits 0.
     */
    public static void pack(float[] src, int from, int length, float shift, long[] dst, int dstOffset) {
        int full = length >>> 6;
        int k = from;
        for (int w = 0; w < full; w++) {
            long word = 0L;
            for (int b = 0; b < 64; b++) {
                word |= bit(src[k++] - shift) << b;
            }
            dst[dstOffset + w] = word;
        }
        int rest = length & 63;
        if (rest != 0) {
            long word = 0L;
            for (int b = 0; b < rest; b++) {
                word |= bit(src[k++] - shift) << b;
            }
            dst[dstOffset + full] = word;
        }
    }

    /** {@code Σ_k sign_k} of the packed row of {@code length} elements starting at word {@code offset}. */
    public static int signSum(long[] bits, int offset, int length) {
        int negatives = 0;
        for (int w = 0, words = words(length); w < words; w++) {
            negatives += Long.bitCount(bits[offset + w]);
        }
        return length - 2 * negatives;
    }

    /** True when the unused high bits of the row's last word are 0, as the padding convention requires. */
    public static boolean paddingIsZero(long[] bits, int offset, int length) {
        int rest = length & 63;
        return rest == 0 || (bits[offset + words(length) - 1] & (-1L << rest)) == 0;
    }

    /** {@code Σ_k a_k·b_k} of two packed ±1 rows of {@code length} elements. */
    public static int dot(long[] a, int aOffset, long[] b, int bOffset, int length) {
        int words = words(length);
        int differ = 0;
        for (int w = 0; w < words; w++) {
            differ += Long.bitCount(a[aOffset + w] ^ b[bOffset + w]);
        }
        return length - 2 * differ;
    }
}
