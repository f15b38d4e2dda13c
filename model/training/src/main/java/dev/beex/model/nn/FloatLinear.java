package dev.beex.model.nn;

import dev.beex.model.kernels.MatMul;

import dev.beex.model.LinearParams;

/** {@code y = W·x + b} in float (precision FLOAT, and the float baseline). */
public final class FloatLinear implements Linear {
    private final LinearWeights w;
    private final int in;
    private final int out;
    private final float[][] xRows;  // copy of the input rows (for dW)
    private final MatMul matMul;
    private int tokens;

    public FloatLinear(LinearWeights weights, int maxTokens) {
        this.w = weights;
        this.in = weights.params.in;
        this.out = weights.params.out;
        this.xRows = new float[maxTokens][in];
        this.matMul = new MatMul(Math.max(in, out));
    }

    @Override
    public void forward(float[] x, int xOff, int tokens, float[] y, int yOff) {
        this.tokens = tokens;
        MatMul.toRows(x, xOff, in, tokens, in, xRows, 0);
        matMul.multiply(x, xOff, in, w.transposed, 0, y, yOff, out, tokens, in, out);
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
        matMul.multiplyAdd(dy, dyOff, out, w.rows, 0, dx, dxOff, in, tokens, out, in);
        // dW += dyᵀ · x
        matMul.multiplyTransposedAdd(dy, dyOff, out, xRows, 0, grad.weight, 0, in, out, tokens, in);
    }

    @Override
    public void finishGradients(LinearParams grad) {
        // nothing deferred
    }
}
