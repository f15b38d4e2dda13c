package dev.beex.model.engine;

/**
 * Dense float linear layer {@code y_o = Σ_k W[o][k]·x_k + b_o}, for float-precision models and
 * for the float baseline of the benchmark. The weights are kept transposed ({@code [in][out]})
 * so the inner loop is an i-k-j saxpy over contiguous output rows that HotSpot vectorizes;
 * tokens are processed four at a time so each weight row is loaded once per four tokens.
 * Each {@code y_o} is accumulated over k in index order and the bias added last, the same
 * rounding as a plain dot product.
 */
public final class FloatLinear implements LinearKernel {
    private final int in;
    private final int out;
    /** {@code [in][out]}. */
    private final float[] wt;
    private final float[] bias;

    /** @param weight row-major {@code [out][in]} as in {@link dev.beex.model.LinearParams} */
    public FloatLinear(float[] weight, float[] bias, int in, int out) {
        if (weight.length != in * out || bias.length != out) {
            throw new IllegalArgumentException("float linear " + in + "->" + out + ": weight " + weight.length
                    + ", bias " + bias.length);
        }
        this.in = in;
        this.out = out;
        this.wt = new float[in * out];
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < in; k++) {
                wt[k * out + o] = weight[o * in + k];
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
    public void forward(float[] x, PackedActivations packed, int n, float[] y) {
        java.util.Arrays.fill(y, 0, n * out, 0f);
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            tile4(x, t, y);
        }
        for (; t < n; t++) {
            tile1(x, t, y);
        }
        for (t = 0; t < n; t++) {
            int yo = t * out;
            for (int o = 0; o < out; o++) {
                y[yo + o] += bias[o];
            }
        }
    }

    private void tile1(float[] x, int t, float[] y) {
        int xo = t * in, yo = t * out;
        for (int k = 0; k < in; k++) {
            float xv = x[xo + k];
            int wo = k * out;
            for (int o = 0; o < out; o++) {
                y[yo + o] += xv * wt[wo + o];
            }
        }
    }

    private void tile4(float[] x, int t, float[] y) {
        int x0 = t * in, x1 = x0 + in, x2 = x1 + in, x3 = x2 + in;
        int y0 = t * out, y1 = y0 + out, y2 = y1 + out, y3 = y2 + out;
        for (int k = 0; k < in; k++) {
            float a0 = x[x0 + k], a1 = x[x1 + k], a2 = x[x2 + k], a3 = x[x3 + k];
            int wo = k * out;
            for (int o = 0; o < out; o++) {
                float wv = wt[wo + o];
                y[y0 + o] += a0 * wv;
                y[y1 + o] += a1 * wv;
                y[y2 + o] += a2 * wv;
                y[y3 + o] += a3 * wv;
            }
        }
    }
}
