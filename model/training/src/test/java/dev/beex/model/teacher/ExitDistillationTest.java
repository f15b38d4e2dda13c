package dev.beex.model.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beex.model.LinearParams;
import dev.beex.model.nn.ExitHead;
import dev.beex.model.nn.Rng;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The exit loss with the distillation term, value and gradient, on one head. */
class ExitDistillationTest {

    @Test
    void lossIsTheMixOfCrossEntropyAndScaledKl() {
        LinearParams p = randomHead(2, 4);
        p.bias[1] = 0.3f;
        float[] x = {0.5f, -1f, 1.5f, 0.2f};     // two tokens of width 2
        float[] q = {0.1f, 0.6f, 0.3f};
        float lambda = 0.4f, t = 3f;
        ExitHead h = new ExitHead(p);
        float loss = h.forward(x, 2, null, 2, q, lambda, t);
        double[] pool = {(0.5 + 1.5) / 2, (-1 + 0.2) / 2};
        double[] z = new double[3];
        for (int c = 0; c < 3; c++) {
            z[c] = p.weight[2 * c] * pool[0] + p.weight[2 * c + 1] * pool[1] + p.bias[c];
        }
        double ce = -logSoftmax(z, 1)[2];
        double[] lt = logSoftmax(z, t);
        double kl = 0;
        for (int c = 0; c < 3; c++) {
            kl += q[c] * (Math.log(q[c]) - lt[c]);
        }
        assertThat((double) loss).isCloseTo((1 - lambda) * ce + lambda * t * t * kl, within(1e-5));
        // λ = 0 is the plain cross-entropy
        assertThat((double) h.forward(x, 2, null, 2, q, 0f, t)).isCloseTo(ce, within(1e-6));
        assertThat(h.forward(x, 2, null, 2)).isCloseTo((float) ce, within(1e-6f));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        LinearParams p = randomHead(3, 11);
        float[] x = {0.3f, -0.7f, 1.1f, 0.9f, 0.1f, -0.4f};
        float[] q = {0.25f, 0.05f, 0.7f};
        float lambda = 0.7f, t = 2f, weight = 0.8f;
        ExitHead h = new ExitHead(p);
        LinearParams grad = new LinearParams(3, 3, false, 0f);
        float[] dx = new float[x.length];
        h.forward(x, 2, null, 0, q, lambda, t);
        h.backward(0, weight, dx, null, grad);
        DoubleSupplier loss = () -> weight * h.forward(x, 2, null, 0, q, lambda, t);
        assertMatchesFiniteDifferences("dW", p.weight, grad.weight, loss);
        assertMatchesFiniteDifferences("dx", x, dx, loss);
    }

    /** The lexical exit 0 (a head on the lexical vector only, poolDim 0): dW and dlex. */
    @Test
    void lexicalExitGradientMatchesFiniteDifferences() {
        LinearParams p = randomHead(4, 5);
        float[] lex = {0.4f, -0.9f, 0.2f, 1.3f};
        float[] q = {0.6f, 0.3f, 0.1f};
        float lambda = 0.5f, t = 2f, weight = 0.7f;
        ExitHead h = new ExitHead(p, 0);
        LinearParams grad = new LinearParams(4, 3, false, 0f);
        float[] dLex = new float[lex.length];
        h.forward(null, 0, lex, 2, q, lambda, t);
        h.backward(2, weight, null, dLex, grad);
        DoubleSupplier loss = () -> weight * h.forward(null, 0, lex, 2, q, lambda, t);
        assertMatchesFiniteDifferences("dW", p.weight, grad.weight, loss);
        assertMatchesFiniteDifferences("dlex", lex, dLex, loss);
    }

    /** A head of {@code in} inputs and 3 classes, weights uniform in [-1, 1), zero bias. */
    private static LinearParams randomHead(int in, long seed) {
        LinearParams p = new LinearParams(in, 3, false, 0f);
        Rng rng = new Rng(seed);
        for (int i = 0; i < p.weight.length; i++) {
            p.weight[i] = rng.uniform(-1, 1);
        }
        return p;
    }

    /** Each coordinate of {@code param}: the central difference of {@code loss} equals {@code analytic}. */
    private static void assertMatchesFiniteDifferences(String name, float[] param, float[] analytic, DoubleSupplier loss) {
        double eps = 1e-3;
        for (int i = 0; i < param.length; i++) {
            float keep = param[i];
            param[i] = (float) (keep + eps);
            double up = loss.getAsDouble();
            param[i] = (float) (keep - eps);
            double down = loss.getAsDouble();
            param[i] = keep;
            assertThat((double) analytic[i]).as("%s[%d]", name, i).isCloseTo((up - down) / (2 * eps), within(2e-3));
        }
    }

    private static double[] logSoftmax(double[] z, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / t);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v / t - max);
        }
        double[] out = new double[z.length];
        for (int c = 0; c < z.length; c++) {
            out[c] = z[c] / t - max - Math.log(sum);
        }
        return out;
    }
}
