package dev.beex.model.kernels;

import dev.beex.model.kernels.Kernels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link Kernels#tanh} and {@link Kernels#sigmoid} (rational approximation shared by training
 * and engine) against the library functions: the documented maximum errors.
 */
class TanhTest {

    @Test
    void tanhAndSigmoidWithinTheirDocumentedErrors() {
        double worstAbs = 0, worstUlps = 0, worstSigmoid = 0;
        for (float v = -30f; v <= 30f; v += 1f / 4096) {
            double want = Math.tanh(v);
            double err = Math.abs(Kernels.tanh(v) - want);
            worstAbs = Math.max(worstAbs, err);
            worstUlps = Math.max(worstUlps, err / Math.ulp((float) want));
            worstSigmoid = Math.max(worstSigmoid, Math.abs(Kernels.sigmoid(v) - 1.0 / (1.0 + Math.exp(-v))));
        }
        for (float v = 1e-30f; v < 1e-2f; v *= 1.01f) {      // tiny arguments: relative accuracy
            for (float u : new float[] {v, -v}) {
                double want = Math.tanh(u);
                worstUlps = Math.max(worstUlps, Math.abs(Kernels.tanh(u) - want) / Math.ulp((float) want));
            }
        }
        assertThat(worstAbs).isLessThanOrEqualTo(3.7e-7);
        assertThat(worstUlps).isLessThanOrEqualTo(7.0);
        assertThat(worstSigmoid).isLessThanOrEqualTo(1.9e-7);
        assertThat(Kernels.tanh(0f)).isZero();
        assertThat(Kernels.tanh(50f)).isCloseTo(1f, org.assertj.core.data.Offset.offset(3e-7f));
        assertThat(Kernels.tanh(Float.NEGATIVE_INFINITY)).isCloseTo(-1f, org.assertj.core.data.Offset.offset(3e-7f));
        assertThat(Kernels.tanh(Float.NaN)).isNaN();
        assertThat(Kernels.sigmoid(0f)).isEqualTo(0.5f);
        assertThat(Kernels.sigmoid(-200f)).isBetween(0f, 2e-7f);
    }

    /** Kernels.exp (softmax's exp in both paths): within 1 float ulp of Math.exp over its whole range. */
    @Test
    void expWithinOneUlp() {
        double worstUlps = 0;
        for (float v = -87.3f; v <= 88.3f; v += 1f / 1024) {
            float want = (float) Math.exp(v);
            worstUlps = Math.max(worstUlps, Math.abs(Kernels.exp(v) - want) / Math.ulp(want));
        }
        for (float v = 1e-20f; v < 1f; v *= 1.01f) {          // small arguments
            for (float u : new float[] {v, -v}) {
                float want = (float) Math.exp(u);
                worstUlps = Math.max(worstUlps, Math.abs(Kernels.exp(u) - want) / Math.ulp(want));
            }
        }
        assertThat(worstUlps).isLessThanOrEqualTo(1.0);
        assertThat(Kernels.exp(0f)).isEqualTo(1f);
        assertThat(Kernels.exp(-1000f)).isBetween(0f, 1.2e-38f);   // clamped: smallest normal scale
        assertThat(Kernels.exp(Float.NEGATIVE_INFINITY)).isBetween(0f, 1.2e-38f);
        assertThat(Kernels.exp(Float.NaN)).isNaN();
        float[] row = {3f, 1f, -2f, 3f};
        Kernels.softmax(row, 0, 4);
        assertThat(row[0] + row[1] + row[2] + row[3]).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(row[0]).isEqualTo(row[3]);
    }

    @Test
    void partialSumsAddEveryElement() {
        float[] x = new float[23];
        float direct = 0f;
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 3 - 0.5f * (i % 2);
            direct += Math.abs(x[i] - 0.25f);
        }
        assertThat(Kernels.actScale(x, 0, 23, 0.25f)).isCloseTo(direct / 23, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(Kernels.sum(x, 2, 21)).isCloseTo(sum(x, 2, 21), org.assertj.core.data.Offset.offset(1e-5f));
    }

    private static float sum(float[] x, int off, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }
}
