package dev.beex.model.nn;

import dev.beex.model.BlockLayer;
import dev.beex.model.BlockParams;
import dev.beex.model.LayerNormParams;
import dev.beex.model.LinearParams;
import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.Precision;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of every layer's backward pass against its relaxed forward. */
class LayerGradTest {
    private static final Runnable NOTHING = () -> { };

    @Test
    void binarizedAndPositionalEmbedding() {
        checkEmbedding(Precision.BINARY);
    }

    @Test
    void floatEmbedding() {
        checkEmbedding(Precision.FLOAT);
    }

    private void checkEmbedding(Precision precision) {
        ModelConfig c = new ModelConfig(6, 2, 1, 4, 5, 4, 2, precision);
        ModelParams p = new ModelParams(c);
        Rng rng = new Rng(21);
        GradCheck.fill(rng, p.tokenEmbedding, 0.9f, 0.02f);
        GradCheck.fill(rng, p.positionEmbedding, 0.5f, 0f);
        int[] ids = {2, 0, 2, 3, 1};   // token 2 twice: its gradient sums two positions
        int n = ids.length;
        float[] r = GradCheck.random(rng, n * 6, 1f, 0f);
        Embedding e = new Embedding(p, Binarizer.RELAXED);
        float[] x0 = new float[n * 6];
        ModelParams grad = new ModelParams(c);
        e.forward(ids, n, x0);
        e.backward(ids, n, r, grad);
        DoubleSupplier loss = () -> {
            e.forward(ids, n, x0);
            return GradCheck.dot(r, x0, x0.length);
        };
        GradCheck.check("embed.token", p.tokenEmbedding, grad.tokenEmbedding, loss, NOTHING, 100);
        GradCheck.check("embed.position", p.positionEmbedding, grad.positionEmbedding, loss, NOTHING, 100);
    }

    @Test
    void multiHeadAttention() {
        checkAttention(new Attention(8, 2, 5), 31, "attention");
    }

    @Test
    void multiHeadAttentionWithBinarizedScores() {
        // The relaxed binarizer makes the forward differentiable: B(q/σ) with σ = mean |q| per token and head.
        checkAttention(new Attention(8, 2, 5, Binarizer.RELAXED), 37, "binary-attention");
    }

    /** q, k, v of 5 tokens, d = 8, 2 heads; loss = r·a. */
    private static void checkAttention(Attention att, long seed, String name) {
        int d = 8, n = 5;
        Rng rng = new Rng(seed);
        float[] q = GradCheck.random(rng, n * d, 1.5f, 0f);
        float[] k = GradCheck.random(rng, n * d, 1.5f, 0f);
        float[] v = GradCheck.random(rng, n * d, 1.5f, 0f);
        float[] r = GradCheck.random(rng, n * d, 1f, 0f);
        float[] a = new float[n * d];
        float[] dq = new float[n * d], dk = new float[n * d], dv = new float[n * d];
        att.forward(q, k, v, n, a);
        att.backward(r, dq, dk, dv);
        DoubleSupplier loss = () -> {
            att.forward(q, k, v, n, a);
            return GradCheck.dot(r, a, a.length);
        };
        GradCheck.check(name + ".q", q, dq, loss, NOTHING, q.length);
        GradCheck.check(name + ".k", k, dk, loss, NOTHING, k.length);
        GradCheck.check(name + ".v", v, dv, loss, NOTHING, v.length);
    }

    @Test
    void layerNorm() {
        int d = 7, n = 3;
        Rng rng = new Rng(41);
        LayerNormParams p = new LayerNormParams(d);
        GradCheck.fill(rng, p.gamma, 1.5f, 0.1f);
        GradCheck.fill(rng, p.beta, 0.5f, 0f);
        float[] z = GradCheck.random(rng, n * d, 2f, 0f);
        float[] r = GradCheck.random(rng, n * d, 1f, 0f);
        LayerNorm ln = new LayerNorm(p, d, n);
        float[] y = new float[n * d], dz = new float[n * d];
        LayerNormParams grad = new LayerNormParams(d);
        java.util.Arrays.fill(grad.gamma, 0f);
        ln.forward(z, 0, n, y, 0);
        ln.backward(r, 0, dz, 0, grad);
        DoubleSupplier loss = () -> {
            ln.forward(z, 0, n, y, 0);
            return GradCheck.dot(r, y, y.length);
        };
        GradCheck.check("ln.z", z, dz, loss, NOTHING, z.length);
        GradCheck.check("ln.gamma", p.gamma, grad.gamma, loss, NOTHING, d);
        GradCheck.check("ln.beta", p.beta, grad.beta, loss, NOTHING, d);
    }

    @Test
    void slfnWithDropoutResidualAndLayerNorm() {
        checkSlfn(Precision.BINARY, 0.3f);
    }

    @Test
    void floatSlfn() {
        checkSlfn(Precision.FLOAT, 0f);
    }

    private void checkSlfn(Precision precision, float dropout) {
        int d = 8, h = 12, n = 4;
        ModelConfig c = new ModelConfig(d, 2, 1, h, n, 5, 2, precision);
        BlockParams p = new BlockParams(c);
        Rng rng = new Rng(51);
        LinearParams[] lin = {p.gate1, p.gate2, p.filter1, p.filter2};
        LinearWeights[] w = new LinearWeights[4];
        for (int i = 0; i < 4; i++) {
            GradCheck.fill(rng, lin[i].weight, 0.9f, 0.02f);
            GradCheck.fill(rng, lin[i].bias, 0.3f, 0f);
            w[i] = new LinearWeights(lin[i]);
            w[i].refresh(Binarizer.RELAXED);
        }
        GradCheck.fill(rng, p.norm2.gamma, 1.5f, 0.1f);
        GradCheck.fill(rng, p.norm2.beta, 0.5f, 0f);
        float[] x1 = GradCheck.random(rng, n * d, 1.5f, 0.05f);
        float[] r = GradCheck.random(rng, n * d, 1f, 0f);
        Slfn slfn = new Slfn(w[0], w[1], w[2], w[3], p, Binarizer.RELAXED, d, h, n);
        float[] x2 = new float[n * d], dx1 = new float[n * d];
        BlockParams grad = new BlockParams(c);
        java.util.Arrays.fill(grad.norm2.gamma, 0f);
        // the same dropout mask on every forward: a fresh generator with the same seed
        slfn.forward(x1, n, dropout, new Rng(7), x2);
        slfn.backward(r, dx1, grad);
        slfn.finishGradients(grad);
        DoubleSupplier loss = () -> {
            slfn.forward(x1, n, dropout, new Rng(7), x2);
            return GradCheck.dot(r, x2, x2.length);
        };
        Runnable refresh = () -> {
            for (LinearWeights lw : w) {
                lw.refresh(Binarizer.RELAXED);
            }
        };
        String[] names = {BlockLayer.G1.tensorName(), BlockLayer.G2.tensorName(), BlockLayer.F1.tensorName(),
            BlockLayer.F2.tensorName()};
        LinearParams[] glin = {grad.gate1, grad.gate2, grad.filter1, grad.filter2};
        GradCheck.check("slfn.x1", x1, dx1, loss, refresh, x1.length);
        for (int i = 0; i < 4; i++) {
            GradCheck.check("slfn." + names[i] + ".W", lin[i].weight, glin[i].weight, loss, refresh, 60);
            GradCheck.check("slfn." + names[i] + ".b", lin[i].bias, glin[i].bias, loss, refresh, 20);
        }
        GradCheck.check("slfn.ln2.gamma", p.norm2.gamma, grad.norm2.gamma, loss, refresh, d);
        GradCheck.check("slfn.ln2.beta", p.norm2.beta, grad.norm2.beta, loss, refresh, d);
    }

    @Test
    void poolingExitHeadAndCrossEntropy() {
        int d = 6, n = 4, classes = 3;
        Rng rng = new Rng(61);
        LinearParams head = new LinearParams(d, classes, false, 0f);
        GradCheck.fill(rng, head.weight, 1f, 0f);
        GradCheck.fill(rng, head.bias, 0.5f, 0f);
        float[] x = GradCheck.random(rng, n * d, 2f, 0f);
        ExitHead exit = new ExitHead(head);
        LinearParams grad = new LinearParams(d, classes, false, 0f);
        float[] dx = new float[n * d];
        float weight = 0.7f;
        int label = 2;
        exit.forward(x, n, null, label);
        exit.backward(label, weight, dx, null, grad);
        DoubleSupplier loss = () -> weight * (double) exit.forward(x, n, null, label);
        GradCheck.check("exit.x", x, dx, loss, NOTHING, x.length);
        GradCheck.check("exit.W", head.weight, grad.weight, loss, NOTHING, head.weight.length);
        GradCheck.check("exit.b", head.bias, grad.bias, loss, NOTHING, classes);
    }

    /** A block exit of a lexical model reads [pool ; lex]: gradients reach both inputs. */
    @Test
    void exitHeadOnPoolAndLexicalVector() {
        int d = 6, dl = 5, n = 3, classes = 3;
        Rng rng = new Rng(67);
        LinearParams head = new LinearParams(d + dl, classes, false, 0f);
        GradCheck.fill(rng, head.weight, 1f, 0f);
        GradCheck.fill(rng, head.bias, 0.5f, 0f);
        float[] x = GradCheck.random(rng, n * d, 2f, 0f);
        float[] lex = GradCheck.random(rng, dl, 1f, 0f);
        ExitHead exit = new ExitHead(head, d);
        LinearParams grad = new LinearParams(d + dl, classes, false, 0f);
        float[] dx = new float[n * d];
        float[] dLex = new float[dl];
        float weight = 0.6f;
        int label = 1;
        exit.forward(x, n, lex, label);
        exit.backward(label, weight, dx, dLex, grad);
        DoubleSupplier loss = () -> weight * (double) exit.forward(x, n, lex, label);
        GradCheck.check("exit.x", x, dx, loss, NOTHING, x.length);
        GradCheck.check("exit.lex", lex, dLex, loss, NOTHING, dl);
        GradCheck.check("exit.W", head.weight, grad.weight, loss, NOTHING, head.weight.length);
        // exit 0 of a lexical model: the lexical vector alone
        LinearParams head0 = new LinearParams(dl, classes, false, 0f);
        GradCheck.fill(rng, head0.weight, 1f, 0f);
        ExitHead exit0 = new ExitHead(head0, 0);
        LinearParams grad0 = new LinearParams(dl, classes, false, 0f);
        float[] dLex0 = new float[dl];
        exit0.forward(null, 0, lex, label);
        exit0.backward(label, weight, null, dLex0, grad0);
        DoubleSupplier loss0 = () -> weight * (double) exit0.forward(null, 0, lex, label);
        GradCheck.check("exit0.lex", lex, dLex0, loss0, NOTHING, dl);
        GradCheck.check("exit0.W", head0.weight, grad0.weight, loss0, NOTHING, head0.weight.length);
    }
}
