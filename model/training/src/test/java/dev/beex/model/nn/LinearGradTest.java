package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.LinearParams;
import org.junit.jupiter.api.Test;

/** Binarized (c = 0 and c ≠ 0) and float linear layers against finite differences. */
class LinearGradTest {
    private static final int IN = 12;
    private static final int OUT = 7;
    private static final int T = 5;

    @Test
    void binarizedLinear() {
        check(true, 0f);
    }

    @Test
    void binarizedLinearWithActivationShift() {
        check(true, 0.5f);
    }

    @Test
    void floatLinear() {
        check(false, 0f);
    }

    private void check(boolean binarized, float shift) {
        Rng rng = new Rng(binarized ? 11 + (long) (shift * 10) : 12);
        LinearParams p = new LinearParams(IN, OUT, binarized, shift);
        GradCheck.fill(rng, p.weight, 0.9f, 0.02f);
        GradCheck.fill(rng, p.bias, 0.5f, 0f);
        float[] x = GradCheck.random(rng, T * IN, 1.6f, 0.05f);
        for (int i = 0; i < x.length; i++) {
            x[i] += shift;
        }
        float[] r = GradCheck.random(rng, T * OUT, 1f, 0f);
        LinearWeights w = new LinearWeights(p);
        w.refresh(Binarizer.RELAXED);
        Linear layer = Linear.create(w, Binarizer.RELAXED, T);
        float[] y = new float[T * OUT];
        layer.forward(x, 0, T, y, 0);
        LinearParams grad = new LinearParams(IN, OUT, binarized, shift);
        float[] dx = new float[T * IN];
        layer.backward(r, 0, dx, 0, grad);
        layer.finishGradients(grad);

        java.util.function.DoubleSupplier loss = () -> {
            layer.forward(x, 0, T, y, 0);
            return GradCheck.dot(r, y, y.length);
        };
        Runnable refresh = () -> w.refresh(Binarizer.RELAXED);
        String kind = binarized ? "bin(c=" + shift + ")" : "float";
        GradCheck.check(kind + ".x", x, dx, loss, refresh, x.length);
        GradCheck.check(kind + ".W", p.weight, grad.weight, loss, refresh, p.weight.length);
        GradCheck.check(kind + ".b", p.bias, grad.bias, loss, refresh, p.bias.length);
    }

    @Test
    void signForwardIsScaledIntegerDot() {
        for (int in : new int[] {IN, 64, 130}) {   // one partial word, one full word, three words
          for (float shift : new float[] {0f, 0.5f}) {
            Rng rng = new Rng(5 + in);
            LinearParams p = new LinearParams(in, OUT, true, shift);
            GradCheck.fill(rng, p.weight, 0.9f, 0f);
            GradCheck.fill(rng, p.bias, 0.5f, 0f);
            float[] x = GradCheck.random(rng, 2 * in, 2f, 0f);
            x[3] = shift;   // u = 0 binarizes to +1
            x[4] = -0f;     // with shift 0: u = −0 binarizes to +1 too
            LinearWeights w = new LinearWeights(p);
            w.refresh(Binarizer.SIGN);
            float[] y = new float[2 * OUT];
            Linear.create(w, Binarizer.SIGN, 2).forward(x, 0, 2, y, 0);
            for (int t = 0; t < 2; t++) {
                float beta = Kernels.actScale(x, t * in, in, shift);
                for (int o = 0; o < OUT; o++) {
                    int s = 0, rowSum = 0;
                    for (int k = 0; k < in; k++) {
                        int ws = p.weight[o * in + k] >= 0 ? 1 : -1;
                        s += ws * (x[t * in + k] - shift >= 0 ? 1 : -1);
                        rowSum += ws;
                    }
                    float alpha = Kernels.meanAbs(p.weight, o * in, in);
                    float expected = (alpha * beta) * s + (p.bias[o] + shift * (alpha * rowSum));
                    assertThat(y[t * OUT + o]).as("in=%d c=%s t=%d o=%d", in, shift, t, o).isEqualTo(expected);
                }
            }
          }
        }
    }
}
