package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ApproxSignTest {

    @Test
    void derivativeMatchesFiniteDifferencesOfF() {
        double h = 1e-4;
        for (double u = -1.5; u <= 1.5; u += 0.01) {
            if (Math.abs(u) < 2 * h || Math.abs(Math.abs(u) - 1) < 2 * h) {
                continue;   // the kinks of F'' (at 0) and of F' (at ±1)
            }
            double numeric = (ApproxSign.value((float) (u + h)) - ApproxSign.value((float) (u - h))) / (2 * h);
            assertThat(ApproxSign.grad((float) u)).as("F'(%s)", u).isCloseTo((float) numeric, within(2e-2f));
        }
    }

    @Test
    void shapeOfF() {
        assertThat(ApproxSign.value(-3f)).isEqualTo(-1f);
        assertThat(ApproxSign.value(-0.5f)).isEqualTo(-0.75f);
        assertThat(ApproxSign.value(0f)).isEqualTo(0f);
        assertThat(ApproxSign.value(0.5f)).isEqualTo(0.75f);
        assertThat(ApproxSign.value(2f)).isEqualTo(1f);
        assertThat(ApproxSign.grad(-0.5f)).isEqualTo(1f);
        assertThat(ApproxSign.grad(0f)).isEqualTo(2f);
        assertThat(ApproxSign.grad(0.5f)).isEqualTo(1f);
        assertThat(ApproxSign.grad(1f)).isEqualTo(0f);
        assertThat(ApproxSign.grad(-1.2f)).isEqualTo(0f);
    }

    @Test
    void signOfFMatchesSignWithZeroPositive() {
        for (float u = -2f; u <= 2f; u += 0.03125f) {
            assertThat(Kernels.sign(ApproxSign.value(u))).as("u=%s", u).isEqualTo(Kernels.sign(u));
        }
        assertThat(Kernels.sign(0f)).isEqualTo(1f);
        assertThat(Kernels.sign(-0f)).isEqualTo(1f);
        assertThat(Binarizer.SIGN.apply(-0.001f)).isEqualTo(-1f);
    }
}
