package dev.beex.model.kernels;

import dev.beex.model.LayerNormParams;

/**
 * Float kernels shared by the training path and the bit-packed engine, so that both round
 * alike (model/README.md). Every method works on slices of flat row-major {@code float[]}
 * arrays and allocates nothing.
 */
public final class Kernels {
    private Kernels() {
    }

    /** {@code sign(v)} with sign(0) = sign(−0) = +1, as everywhere in beex. Branch-free. */
    public static float sign(float v) {
        return Math.copySign(1f, v + 0f);   // −0 + 0 = +0
    }

    /** Mean absolute value of {@code x[off..off+n)}: the scale α of a weight row or embedding row. */
    public static float meanAbs(float[] x, int off, int n) {
        float s = 0f;
        for (int k = 0; k < n; k++) {
            s += Math.abs(x[off + k]);
        }
        return s / n;
    }

    /**
     * Activation scale β = mean_k |x_k − c| of one token row. Summed in four interleaved partial
     * sums (k mod 4), then {@code (s0 + s1) + (s2 + s3)}: four independent add chains run about
     * four times faster than one (the engine binarizes every layer input). The engine's packing
     * reproduces exactly these sums, so both paths round alike.
     */
    public static float actScale(float[] x, int off, int n, float c) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += Math.abs(x[off + k] - c);
            s1 += Math.abs(x[off + k + 1] - c);
            s2 += Math.abs(x[off + k + 2] - c);
            s3 += Math.abs(x[off + k + 3] - c);
        }
        for (; k < n; k++) {
            s0 += Math.abs(x[off + k] - c);
        }
        return ((s0 + s1) + (s2 + s3)) / n;
    }

    /** {@code Σ x[off..off+n)} in four partial sums (k mod 4), {@code (s0 + s1) + (s2 + s3)}. */
    public static float sum(float[] x, int off, int n) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            s0 += x[off + k];
            s1 += x[off + k + 1];
            s2 += x[off + k + 2];
            s3 += x[off + k + 3];
        }
        for (; k < n; k++) {
            s0 += x[off + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code Σ (x[off..off+n) − m)²} in four partial sums, as {@link #sum}. */
    static float sumSquaredDeviations(float[] x, int off, int n, float m) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            float c0 = x[off + k] - m, c1 = x[off + k + 1] - m, c2 = x[off + k + 2] - m, c3 = x[off + k + 3] - m;
            s0 += c0 * c0;
            s1 += c1 * c1;
            s2 += c2 * c2;
            s3 += c3 * c3;
        }
        for (; k < n; k++) {
            float c0 = x[off + k] - m;
            s0 += c0 * c0;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Output of a binarized linear unit from its exact integer dot {@code s}:
     * {@code (α·β)·s + foldedBias}, where {@code foldedBias = bias + c·(α·Σ_k sign(W_k))}
     * (see {@link #foldedBias}).
     */
    public static float binaryOutput(float alpha, float beta, float s, float foldedBias) {
        return (alpha * beta) * s + foldedBias;
    }

    /** The bias of a binarized unit with the activation-shift term folded in. */
    public static float foldedBias(float bias, float actShift, float alpha, float signRowSum) {
        return bias + actShift * (alpha * signRowSum);
    }

    /**
     * σ(v) = 1/(1 + e^−v), computed as {@code 0.5 + 0.5·tanh(v/2)} with {@link #tanh}: max
     * absolute error 1.9e-7 (TanhTest: [−30, 30] in steps of 2^-12), no exp, and vectorizable.
     */
    public static float sigmoid(float v) {
        return 0.5f + 0.5f * tanh(0.5f * v);
    }

    /**
     * tanh as a rational function (the minimax odd/even polynomials of Eigen's float tanh) on
     * v clamped to ±7.905311 (where tanh is 1 in float): max absolute error 3.7e-7, at most
     * 7 float ulps (TanhTest checks both against Math.tanh). Only multiplies, adds, min/max and
     * one divide, so HotSpot vectorizes loops of it; {@code Math.tanh} is a native call (~50 ns
     * here) and was the engine's largest cost. Training and engine both call this.
     */
    public static float tanh(float v) {
        float x = Math.max(-7.90531110763549805f, Math.min(7.90531110763549805f, v));
        float x2 = x * x;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        p = x * p;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
        return p / q;
    }

    /**
     * LayerNorm of one row: {@code y = γ ⊙ (x − mean) / sqrt(var + eps) + β} (biased variance).
     * Returns the reciprocal standard deviation; writes the mean to {@code meanOut[meanIdx]}
     * when {@code meanOut} is not null (the backward pass needs both).
     */
    public static float layerNorm(float[] x, int xOff, float[] y, int yOff, int d, LayerNormParams p,
                                  float[] meanOut, int meanIdx) {
        // Four partial sums each (sum, sumSquaredDeviations): independent add chains.
        float mean = sum(x, xOff, d) / d;
        float var = sumSquaredDeviations(x, xOff, d, mean) / d;
        float rstd = (float) (1.0 / Math.sqrt(var + LayerNormParams.EPS));
        float[] g = p.gamma, b = p.beta;
        for (int k = 0; k < d; k++) {
            y[yOff + k] = (x[xOff + k] - mean) * rstd * g[k] + b[k];
        }
        if (meanOut != null) {
            meanOut[meanIdx] = mean;
        }
        return rstd;
    }

    /**
     * e^v in float: Cody-Waite reduction {@code v = k·ln2 + r} (k = v·log2(e) rounded to nearest
     * by the 1.5·2^23 trick, ln2 split in two parts), Cephes' degree-5 polynomial for e^r, then
     * the exact scaling by 2^k built from its exponent bits. v is clamped to
     * [−87.33654, 88.37626] (below, e^v is under the smallest normal float; the result is then
     * about 1.2e-38 instead of a subnormal or 0, which no softmax can tell apart).
     * At most 1 float ulp from {@code (float) Math.exp(v)} (TanhTest checks it); alone about
     * twice as fast as the Math.exp intrinsic, ~8% inside softmax's loop (it stays scalar:
     * C2 17 does not vectorize the exponent-bit move).
     * NaN stays NaN. Training and engine both call this.
     */
    public static float exp(float v) {
        float x = Math.min(88.3762626647949f, Math.max(-87.33654f, v));
        float k = (x * 1.44269504088896341f + 12582912f) - 12582912f;
        float r = x - k * 0.693359375f;
        r = r - k * -2.12194440e-4f;
        float p = 1.9875691500e-4f;
        p = p * r + 1.3981999507e-3f;
        p = p * r + 8.3334519073e-3f;
        p = p * r + 4.1665795894e-2f;
        p = p * r + 1.6666665459e-1f;
        p = p * r + 5.0000001201e-1f;
        float e = p * (r * r) + r + 1f;
        return e * Float.intBitsToFloat(((int) k + 127) << 23);
    }

    /**
     * In-place softmax of {@code x[off..off+n)}; subtracts the row max first, then {@link #exp}. The max is a plain
     * compare (Math.max's NaN/−0 handling costs a long dependency chain here, and only changes
     * which zero is subtracted, or yields NaN where the exp of a NaN yields it anyway).
     */
    public static void softmax(float[] x, int off, int n) {
        float max = x[off];
        for (int k = 1; k < n; k++) {
            float v = x[off + k];
            if (v > max) {
                max = v;
            }
        }
        float sum = 0f;
        for (int k = 0; k < n; k++) {
            float e = exp(x[off + k] - max);
            x[off + k] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int k = 0; k < n; k++) {
            x[off + k] *= inv;
        }
    }

    /** {@code 1/sqrt(dh)}: attention scores are {@code (q·k) * attentionScale(dh)}. */
    public static float attentionScale(int headDim) {
        return (float) (1.0 / Math.sqrt(headDim));
    }
}
