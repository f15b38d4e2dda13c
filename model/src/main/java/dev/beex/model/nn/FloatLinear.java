package dev.beex.model.nn;

import dev.beex.model.LinearParams;

/** {@code y = W·x + b} in float (precision FLOAT, and the float baseline). */
public final class FloatLinear implements Linear {
    private final LinearWeights w;
    private final int in;
    private final int out;
    private float[] x;
    private int xOff;
    private int tokens;

    public FloatLinear(LinearWeights weights, int maxTokens) {
        this.w = weights;
        this.in = weights.params.in;
        this.out = weights.params.out;
    }

    @Override
    public void forward(float[] x, int xOff, int tokens, float[] y, int yOff) {
        this.x = x;
        this.xOff = xOff;
        this.tokens = tokens;
        Kernels.matmul(x, xOff, in, 1, w.wbT, 0, out, y, yOff, out, tokens, in, out, false);
        float[] b = w.params.bias;
        for (int t = 0; t < tokens; t++) {
            int row = yOff + t * out;
            for (int o = 0; o < out; o++) {
                y[row + o] += b[o];
            }
        }
    }

    @Override
    public void backward(float[] dy, int dyOff, float[] dx, int dxOff, LinearParams grad) {
        float[] db = grad.bias;
        for (int t = 0; t < tokens; t++) {
            int row = dyOff + t * out;
            for (int o = 0; o < out; o++) {
                db[o] += dy[row + o];
            }
        }
        // dx += dy · W        (W is [out][in])
        Kernels.matmul(dy, dyOff, out, 1, w.params.weight, 0, in, dx, dxOff, in, tokens, out, in, true);
        // dW += dyᵀ · x
        Kernels.matmul(dy, dyOff, 1, out, x, xOff, in, grad.weight, 0, in, out, tokens, in, true);
    }

    @Override
    public void finishGradients(LinearParams grad) {
        // nothing deferred
    }
}
