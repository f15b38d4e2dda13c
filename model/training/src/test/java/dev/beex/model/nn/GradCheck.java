package dev.beex.model.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.DoubleSupplier;

/**
 * Central finite differences of a relaxed forward (sign replaced by ApproxSign) against an
 * analytic gradient. The forward runs in float; the loss is summed in double. With step
 * {@code EPS = 1e-3}, float rounding in the forward gives ~1e-4 of noise on a numeric
 * gradient, so a coordinate passes when {@code |a − n| <= RTOL·max(|a|,|n|) + ATOL·scale}
 * + noise, where scale is the largest numeric gradient of the tensor and noise is 8 ulps
 * of the loss over the step 2·EPS: a missing or wrong term of a
 * backward shows up as an error of the order of the gradient itself, far above this.
 */
final class GradCheck {
    static final float EPS = 1e-3f;
    static final double RTOL = 2e-2;
    static final double ATOL = 5e-3;

    private GradCheck() {
    }

    /**
     * Checks up to {@code maxCoords} coordinates of {@code param} (evenly spread) against
     * {@code analytic}. {@code refresh} re-derives anything computed from the parameters.
     */
    static void check(String name, float[] param, float[] analytic, DoubleSupplier loss, Runnable refresh, int maxCoords) {
        check(name, param, analytic, loss, refresh, maxCoords, EPS);
    }

    /**
     * As above with another step: a network whose relaxed forward curves more (binary attention
     * scores put B(q/σ) before a softmax in every block) needs a smaller step than {@link #EPS}
     * for the central difference to stay within RTOL of the derivative.
     */
    static void check(String name, float[] param, float[] analytic, DoubleSupplier loss, Runnable refresh, int maxCoords,
                      float step) {
        int count = Math.min(maxCoords, param.length);
        int stride = Math.max(1, param.length / count);
        double[] numeric = new double[count];
        int[] index = new int[count];
        double scale = 0;
        double noise = 0;
        for (int c = 0; c < count; c++) {
            int i = Math.min(param.length - 1, c * stride + (c * 7) % stride);
            index[c] = i;
            float v = param[i];
            float vp = v + step, vm = v - step;
            param[i] = vp;
            refresh.run();
            double plus = loss.getAsDouble();
            param[i] = vm;
            refresh.run();
            double minus = loss.getAsDouble();
            // the float forward rounds the loss to a few ulps: that much noise over the step
            noise = Math.max(noise, 8 * Math.ulp((float) Math.max(Math.abs(plus), Math.abs(minus))) / (2.0 * step));
            param[i] = v;
            refresh.run();
            numeric[c] = (plus - minus) / ((double) vp - (double) vm);
            scale = Math.max(scale, Math.abs(numeric[c]));
        }
        assertThat(scale).as("%s: gradient is not trivially zero", name).isGreaterThan(1e-4);
        for (int c = 0; c < count; c++) {
            double a = analytic[index[c]], n = numeric[c];
            double tol = RTOL * Math.max(Math.abs(a), Math.abs(n)) + ATOL * scale + noise;
            assertThat(Math.abs(a - n))
                    .as("%s[%d]: analytic %s vs numeric %s", name, index[c], a, n)
                    .isLessThanOrEqualTo(tol);
        }
    }

    /** Random values in ±bound, keeping |v| >= gap (away from the kinks of sign, |·| and F at 0). */
    static float[] random(Rng rng, int n, float bound, float gap) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float v;
            do {
                v = rng.uniform(-bound, bound);
            } while (Math.abs(v) < gap);
            a[i] = v;
        }
        return a;
    }

    static void fill(Rng rng, float[] a, float bound, float gap) {
        System.arraycopy(random(rng, a.length, bound, gap), 0, a, 0, a.length);
    }

    static double dot(float[] r, float[] y, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) r[i] * y[i];
        }
        return s;
    }
}
