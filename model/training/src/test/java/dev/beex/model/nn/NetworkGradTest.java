package dev.beex.model.nn;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Precision;
import dev.beex.model.Tensor;
import java.util.List;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The whole network, soft-routing loss over all exits, against finite differences. */
class NetworkGradTest {

    @Test
    void binarizedNetworkEndToEnd() {
        check(Precision.BINARY);
    }

    @Test
    void floatNetworkEndToEnd() {
        check(Precision.FLOAT);
    }

    /** The distillation term (1−λ)·CE + λ·T²·KL(q ‖ softmax(z/T)) at every exit, through the whole network. */
    @Test
    void binarizedNetworkWithDistillation() {
        check(paper(Precision.BINARY), new float[] {0.2f, 0.7f, 0.1f}, 0.6f, 2.5f);
    }

    @Test
    void floatNetworkWithDistillationAtTemperatureOne() {
        check(paper(Precision.FLOAT), new float[] {0.05f, 0.15f, 0.8f}, 0.3f, 1f);
    }

    /** With the lexical path: exit 0 on lex, block exits on [pool ; lex], all three exits in the loss. */
    @Test
    void binarizedLexicalNetworkEndToEnd() {
        check(new ModelConfig(8, 2, 2, 12, 6, 7, 3, Precision.BINARY, 5, 4));
    }

    /** The default: the lexical network with binarized attention scores (relaxed B(q/σ), B(k/σ) in every block). */
    @Test
    void binarizedLexicalNetworkWithBinaryAttentionEndToEnd() {
        check(new ModelConfig(8, 2, 2, 12, 6, 7, 3, Precision.BINARY, 5, 4, true));
    }

    @Test
    void floatLexicalNetworkEndToEnd() {
        check(new ModelConfig(8, 2, 2, 12, 6, 7, 3, Precision.FLOAT, 5, 4));
    }

    /** The distillation term at every exit of the lexical network, the lexical exit 0 included. */
    @Test
    void binarizedLexicalNetworkWithDistillation() {
        check(new ModelConfig(8, 2, 2, 12, 6, 7, 3, Precision.BINARY, 5, 4), new float[] {0.2f, 0.7f, 0.1f}, 0.6f, 2.5f);
    }

    @Test
    void floatLexicalNetworkWithDistillationAtTemperatureOne() {
        check(new ModelConfig(8, 2, 2, 12, 6, 7, 3, Precision.FLOAT, 5, 4), new float[] {0.05f, 0.15f, 0.8f}, 0.3f, 1f);
    }

    private static ModelConfig paper(Precision precision) {
        return new ModelConfig(8, 2, 2, 12, 6, 7, 3, precision);
    }

    private void check(Precision precision) {
        check(paper(precision));
    }

    private void check(ModelConfig c) {
        check(c, null, 0f, 1f);
    }

    private void check(ModelConfig c, float[] teacher, float lambda, float temperature) {
        ModelParams p = new ModelParams(c);
        Initializer.init(p, 3);
        Rng rng = new Rng(72);
        // wider than the default init so that gradients are far from float noise
        for (Tensor t : p.tensors()) {
            if (!t.name().contains("ln")) {
                GradCheck.fill(rng, t.data(), 0.9f, 0.02f);
            }
        }
        PreparedModel model = new PreparedModel(p, Binarizer.RELAXED);
        Network net = new Network(model);
        int[] ids = {3, 1, 6, 3, 0};
        int n = ids.length, label = 1;
        float[] weights = c.lexical() ? new float[] {0.3f, 0.3f, 0.4f} : new float[] {0.4f, 0.6f};
        int[] lexRows = {2, 0, 4, 2, 2};   // row 2 three times
        float dropout = 0.2f;
        ModelParams grad = new ModelParams(c);
        for (Tensor t : grad.tensors()) {
            java.util.Arrays.fill(t.data(), 0f);
        }
        net.forward(ids, n, lexRows, lexRows.length, label, weights, dropout, new Rng(9), teacher, lambda, temperature);
        net.backward(label, weights, grad);
        net.finishGradients(grad);
        DoubleSupplier loss = () -> net.forward(ids, n, lexRows, lexRows.length, label, weights, dropout, new Rng(9),
                teacher, lambda, temperature);
        List<Tensor> params = p.tensors(), grads = grad.tensors();
        float step = c.binaryAttention() ? 2e-4f : GradCheck.EPS;
        // from the exits back to the embedding: a wrong layer fails before what depends on it
        for (int i = params.size() - 1; i >= 0; i--) {
            Tensor t = params.get(i);
            if (t.name().equals("embed.token")) {
                // only rows of tokens in the record have a gradient; check those rows
                for (int id : new int[] {0, 1, 3, 6}) {
                    float[] row = java.util.Arrays.copyOfRange(t.data(), id * 8, id * 8 + 8);
                    float[] g = java.util.Arrays.copyOfRange(grads.get(i).data(), id * 8, id * 8 + 8);
                    int off = id * 8;
                    GradCheck.check(t.name() + "[" + id + "]", row, g, () -> {
                        System.arraycopy(row, 0, t.data(), off, 8);
                        return loss.getAsDouble();
                    }, () -> { }, 8, step);
                }
                continue;
            }
            if (t.name().equals("lex.table")) {
                int dl = c.lexDim();
                for (int r = 0; r < c.lexBuckets(); r++) {
                    float[] row = java.util.Arrays.copyOfRange(t.data(), r * dl, r * dl + dl);
                    float[] g = java.util.Arrays.copyOfRange(grads.get(i).data(), r * dl, r * dl + dl);
                    if (r == 1 || r == 3) {   // rows of no feature: no gradient
                        for (float v : g) {
                            org.assertj.core.api.Assertions.assertThat(v).isZero();
                        }
                        continue;
                    }
                    int off = r * dl;
                    GradCheck.check(t.name() + "[" + r + "]", row, g, () -> {
                        System.arraycopy(row, 0, t.data(), off, dl);
                        return loss.getAsDouble();
                    }, () -> { }, dl, step);
                }
                continue;
            }
            if (t.name().equals("embed.position")) {
                float[] used = java.util.Arrays.copyOfRange(t.data(), 0, n * 8);
                float[] g = java.util.Arrays.copyOfRange(grads.get(i).data(), 0, n * 8);
                GradCheck.check(t.name(), used, g, () -> {
                    System.arraycopy(used, 0, t.data(), 0, used.length);
                    return loss.getAsDouble();
                }, () -> { }, used.length, step);
                continue;
            }
            if (t.name().endsWith(".k.bias") && !c.binaryAttention()) {
                // a key bias adds the same q_i·b to every score of row i: softmax ignores it
                // (not with binary scores, where it moves the signs of k)
                for (float g : grads.get(i).data()) {
                    org.assertj.core.api.Assertions.assertThat(Math.abs(g)).as(t.name()).isLessThan(1e-6f);
                }
                continue;
            }
            GradCheck.check(t.name(), t.data(), grads.get(i).data(), loss, model::refresh, 24, step);
        }
    }
}
