package dev.beex.model.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beex.model.nn.Rng;
import org.junit.jupiter.api.Test;

class TeacherHeadTest {

    /** Three classes, each a direction of a unit-length 8-d embedding plus noise. */
    @Test
    void learnsSeparableClassesAndCrossFitsHonestly() {
        Rng rng = new Rng(3);
        int n = 300, dim = 8;
        float[][] x = new float[n][dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                x[i][k] = (k == y[i] ? 1f : 0f) + 0.3f * rng.uniform(-1, 1);
                norm += x[i][k] * x[i][k];
            }
            for (int k = 0; k < dim; k++) {
                x[i][k] /= (float) Math.sqrt(norm);
            }
        }
        TeacherHead head = TeacherHead.fit(x, y, 3, TeacherHead.DEFAULT_L2, null);
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += head.predict(x[i]) == y[i] ? 1 : 0;
        }
        assertThat(right).isGreaterThanOrEqualTo(n * 98 / 100);

        float[][] logits = TeacherHead.crossFittedLogits(x, y, 3, TeacherHead.DEFAULT_L2, 5);
        int crossRight = 0;
        float[] p = new float[3];
        for (int i = 0; i < n; i++) {
            TeacherHead.softmax(logits[i], 2f, p);
            assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, within(1e-5f));
            int best = p[0] >= p[1] && p[0] >= p[2] ? 0 : p[1] >= p[2] ? 1 : 2;
            crossRight += best == y[i] ? 1 : 0;
        }
        assertThat(crossRight).isGreaterThanOrEqualTo(n * 95 / 100);
    }

    @Test
    void softmaxWithTemperatureFlattens() {
        float[] z = {2f, 0f}, p1 = new float[2], p4 = new float[2];
        TeacherHead.softmax(z, 1f, p1);
        TeacherHead.softmax(z, 4f, p4);
        assertThat((double) p1[0]).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-6));
        assertThat((double) p4[0]).isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-6));
    }
}
