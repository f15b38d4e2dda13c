package dev.beex.model.teacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.beex.model.nn.Rng;
import org.junit.jupiter.api.Test;

class PcaTest {

    @Test
    void jacobiDiagonalizesASymmetricMatrix() {
        double[][] m = {{4, 1, -2, 2}, {1, 2, 0, 1}, {-2, 0, 3, -2}, {2, 1, -2, -1}};
        double[][] a = new double[4][];
        for (int i = 0; i < 4; i++) {
            a[i] = m[i].clone();
        }
        double[][] v = new double[4][4];
        double[] values = Pca.jacobi(a, v);
        for (int col = 0; col < 4; col++) {
            for (int i = 0; i < 4; i++) {       // M v = λ v
                double mv = 0;
                for (int j = 0; j < 4; j++) {
                    mv += m[i][j] * v[j][col];
                }
                assertThat(mv).isCloseTo(values[col] * v[i][col], within(1e-10));
            }
            for (int other = 0; other < 4; other++) {   // V orthonormal
                double dot = 0;
                for (int i = 0; i < 4; i++) {
                    dot += v[i][col] * v[i][other];
                }
                assertThat(dot).isCloseTo(col == other ? 1 : 0, within(1e-10));
            }
        }
        assertThat(values[0] + values[1] + values[2] + values[3]).isCloseTo(4 + 2 + 3 - 1, within(1e-10));   // trace
    }

    @Test
    void findsTheAxesOfAStretchedCloud() {
        // points = mean + 3·s·u1 + 1·t·u2 + 0.1·noise, u1, u2 orthonormal in 5-d
        double r = Math.sqrt(0.5);
        double[] u1 = {r, r, 0, 0, 0}, u2 = {0, 0, 0.6, 0.8, 0};
        float[] mean = {5, -2, 1, 0, 3};
        Rng rng = new Rng(1);
        float[][] rows = new float[4000][5];
        for (float[] row : rows) {
            float s = rng.uniform(-1, 1) * 3, t = rng.uniform(-1, 1);
            for (int j = 0; j < 5; j++) {
                row[j] = (float) (mean[j] + s * u1[j] + t * u2[j] + 0.1 * rng.uniform(-1, 1));
            }
        }
        Pca pca = Pca.fit(rows, 2);
        assertThat(Math.abs(dot(pca.component(0), u1))).isCloseTo(1, within(1e-3));
        assertThat(Math.abs(dot(pca.component(1), u2))).isCloseTo(1, within(1e-3));
        // uniform(-a, a) has variance a²/3: 3, then 1/3, (plus noise 0.01/3)
        assertThat(pca.eigenvalue(0)).isCloseTo(3.0 + 0.0033, within(0.2));
        assertThat(pca.eigenvalue(1)).isCloseTo(1.0 / 3 + 0.0033, within(0.03));
        float[] y = new float[2];
        float[] x = {mean[0], mean[1], mean[2], mean[3], mean[4]};
        pca.project(x, y);
        assertThat(y[0]).isCloseTo(0f, within(0.05f));   // the mean projects near the origin
        assertThat(y[1]).isCloseTo(0f, within(0.05f));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
