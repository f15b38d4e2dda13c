package dev.beex.model.nn;

import dev.beex.model.BlockLayer;
import dev.beex.model.BlockParams;
import dev.beex.model.ModelConfig;

/**
 * One post-LN BEExformer block: {@code x1 = LN1(x + O(attn(Q x, K x, V x)))}, then the SLFN
 * sublayer ({@link Slfn}). Holds the activations of its last forward for the backward pass.
 */
public final class Block {
    private final int d;
    final Linear query;
    final Linear key;
    final Linear value;
    final Linear output;
    final Attention attention;
    final LayerNorm norm1;
    final Slfn slfn;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] a;
    private final float[] z1;
    private final float[] x1;
    private final float[] dq;
    private final float[] dk;
    private final float[] dv;
    private final float[] da;
    private final float[] dz1;
    private int n;

    public Block(PreparedModel model, int index, int maxTokens) {
        ModelConfig c = model.params.config;
        BlockParams p = model.params.blocks[index];
        Binarizer bin = model.binarizer;
        this.d = c.dim();
        this.query = Linear.create(model.weights(index, BlockLayer.Q), bin, maxTokens);
        this.key = Linear.create(model.weights(index, BlockLayer.K), bin, maxTokens);
        this.value = Linear.create(model.weights(index, BlockLayer.V), bin, maxTokens);
        this.output = Linear.create(model.weights(index, BlockLayer.O), bin, maxTokens);
        this.attention = new Attention(d, c.heads(), maxTokens, c.binaryAttention() ? bin : null);
        this.norm1 = new LayerNorm(p.norm1, d, maxTokens);
        this.slfn = new Slfn(model.weights(index, BlockLayer.G1), model.weights(index, BlockLayer.G2),
                model.weights(index, BlockLayer.F1), model.weights(index, BlockLayer.F2),
                p, bin, d, c.slfnHidden(), maxTokens);
        int td = maxTokens * d;
        q = new float[td];
        k = new float[td];
        v = new float[td];
        a = new float[td];
        z1 = new float[td];
        x1 = new float[td];
        dq = new float[td];
        dk = new float[td];
        dv = new float[td];
        da = new float[td];
        dz1 = new float[td];
    }

    /** x: [n][d] block input (kept by reference until backward); x2: [n][d] output. */
    public void forward(float[] x, int n, float dropoutRate, Rng rng, float[] x2) {
        this.n = n;
        query.forward(x, 0, n, q, 0);
        key.forward(x, 0, n, k, 0);
        value.forward(x, 0, n, v, 0);
        attention.forward(q, k, v, n, a);
        output.forward(a, 0, n, z1, 0);
        int td = n * d;
        for (int i = 0; i < td; i++) {
            z1[i] += x[i];
        }
        norm1.forward(z1, 0, n, x1, 0);
        slfn.forward(x1, n, dropoutRate, rng, x2);
    }

    /** Given dL/dx2, writes dL/dx into {@code dx} (overwritten; must not alias dx2). */
    public void backward(float[] dx2, float[] dx, BlockParams grad) {
        int td = n * d;
        slfn.backward(dx2, dz1, grad);          // dz1 holds dL/dx1
        norm1.backward(dz1, 0, dz1, 0, grad.norm1);   // now dL/dz1
        System.arraycopy(dz1, 0, dx, 0, td);    // residual path
        java.util.Arrays.fill(da, 0, td, 0f);
        output.backward(dz1, 0, da, 0, grad.output);
        java.util.Arrays.fill(dq, 0, td, 0f);
        java.util.Arrays.fill(dk, 0, td, 0f);
        java.util.Arrays.fill(dv, 0, td, 0f);
        attention.backward(da, dq, dk, dv);
        query.backward(dq, 0, dx, 0, grad.query);
        key.backward(dk, 0, dx, 0, grad.key);
        value.backward(dv, 0, dx, 0, grad.value);
    }

    public void finishGradients(BlockParams grad) {
        query.finishGradients(grad.query);
        key.finishGradients(grad.key);
        value.finishGradients(grad.value);
        output.finishGradients(grad.output);
        slfn.finishGradients(grad);
    }
}
