package dev.beex.model.engine;

import dev.beex.model.kernels.MatMul;

/**
 * Dense float linear layer {@code y_o = Σ_k W[o][k]·x_k + b_o}, for float-precision models and
 * for the float baseline of the benchmark. The weights are kept transposed ({@code [in][out]})
 * as row arrays and multiplied with the training path's own
 * {@link MatMul} (i-k-j, four weight rows per pass into a row accumulator: every array
 * of the inner loop indexed by the bare loop index, which HotSpot 17 vectorizes). Float models
 * therefore round exactly alike in both paths. (A variant keeping four token rows live per
 * weight-row load measured slower: offset indexing defeats the vectorizer.)
 */
public final class FloatLinear implements LinearKernel {
    private final int in;
    private final int out;
    /** {@code [in][out]}: one array per input row, the layout HotSpot vectorizes (see MatMul). */
    private final float[][] wt;
    private final float[] bias;

    /** @param weight row-major {@code [out][in]} as in {@link dev.beex.model.LinearParams} */
    public FloatLinear(float[] weight, float[] bias, int in, int out) {
        if (weight.length != in * out || bias.length != out) {
            throw new IllegalArgumentException("float linear " + in + "->" + out + ": weight " + weight.length
                    + ", bias " + bias.length);
        }
        this.in = in;
        this.out = out;
        this.wt = new float[in][out];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < in; k++) {
                wt[k][o] = weight[o * in + k];
            }
        }
        this.bias = bias.clone();
    }

    @Override
    public int in() {
        return in;
    }

    @Override
    public int out() {
        return out;
    }

    @Override
    public boolean binary() {
        return false;
    }

    @Override
    public float shift() {
        return 0f;
    }

    @Override
    public void forward(float[] x, PackedActivations packed, MatMul matMul, int n, float[] y) {
        matMul.multiply(x, 0, in, wt, 0, y, 0, out, n, in, out);
        for (int t = 0; t < n; t++) {
            int yo = t * out;
            for (int o = 0; o < out; o++) {
                y[yo + o] += bias[o];
            }
        }
    }
}
