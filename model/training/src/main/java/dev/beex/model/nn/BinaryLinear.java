package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;
import dev.beex.model.kernels.MatMul;

import dev.beex.model.BitPacking;
import dev.beex.model.LinearParams;

/**
 * Binarized linear layer (model/README.md): per token, {@code u = x − c}, β = mean|u|,
 * {@code s_o = Σ_k B(W_ok)·B(u_k)} (an exact integer when B = sign), and
 * {@code y_o = (α_o·β)·s_o + b_o + c·α_o·Σ_k B(W_ok)}.
 *
 * <p>Backward (BAT): the derivative of the relaxed layer (B = ApproxSign F) evaluated at the
 * forward values: with {@code g = dL/dy},
 * <pre>
 *   dL/dα_o  = Σ_t g_to (β_t s_to + c S_o)          dL/dβ_t = Σ_o g_to α_o s_to
 *   dL/dx_tk = F'(u_tk) Σ_o g_to α_o β_t B(W_ok) + dL/dβ_t · sign(u_tk) / in
 *   dL/dW_ok = F'(W_ok) Σ_t g_to α_o (β_t B(u_tk) + c) + dL/dα_o · sign(W_ok) / in
 * </pre>
 */
public final class BinaryLinear implements Linear {
    private final LinearWeights w;
    private final Binarizer binarizer;
    private final int in;
    private final int out;
    private final float shift;
    private final float[][] xb;    // [T][in]  B(x − c)
    private final float[] beta;    // [T]
    private final float[] s;       // [T][out] binary dot
    private final float[] gs;      // [T][out] scratch: g·α·β
    private final float[] dxb;     // [T][in]  scratch: dL/dB(u)
    private final float[] dBetaIn; // [T]    scratch: (dL/dβ) / in
    private final MatMul matMul;
    private final long[] xbits;    // B(x − c) of one token, packed (BitPacking)
    private final float[] dAlpha;  // [out] accumulated until finishGradients
    private final float[] gAlpha;  // [out] Σ g·α, accumulated (only used when c ≠ 0)
    private float[] x;
    private int xOff;
    private int tokens;

    public BinaryLinear(LinearWeights weights, Binarizer binarizer, int maxTokens) {
        this.w = weights;
        this.binarizer = binarizer;
        this.in = weights.params.in;
        this.out = weights.params.out;
        this.shift = weights.params.actShift;
        this.xb = new float[maxTokens][in];
        this.matMul = new MatMul(Math.max(in, out));
        this.xbits = new long[weights.words];
        this.beta = new float[maxTokens];
        this.s = new float[maxTokens * out];
        this.gs = new float[maxTokens * out];
        this.dxb = new float[maxTokens * in];
        this.dBetaIn = new float[maxTokens];
        this.dAlpha = new float[out];
        this.gAlpha = new float[out];
    }

    @Override
    public void forward(float[] x, int xOff, int tokens, float[] y, int yOff) {
        this.x = x;
        this.xOff = xOff;
        this.tokens = tokens;
        float c = shift;
        for (int t = 0; t < tokens; t++) {
            int xr = xOff + t * in;
            float[] xbt = xb[t];
            beta[t] = Kernels.actScale(x, xr, in, c);
            for (int k = 0; k < in; k++) {
                xbt[k] = binarizer.apply(x[xr + k] - c);
            }
            if (binarizer == Binarizer.SIGN) {
                signDots(x, xr, t);
            } else {
                matMul.multiply(xbt, 0, in, w.transposed, 0, s, t * out, out, 1, in, out);
            }
        }
        float[] alpha = w.alpha, fold = w.foldedBias;
        for (int t = 0; t < tokens; t++) {
            int sr = t * out, yr = yOff + t * out;
            float bt = beta[t];
            for (int o = 0; o < out; o++) {
                y[yr + o] = Kernels.binaryOutput(alpha[o], bt, s[sr + o], fold[o]);
            }
        }
    }

    /**
     * Sign forward of one token: {@code s_o = in − 2·popcount(xbits XOR wbits_o)} on
     * {@link BitPacking}'s bits, the same exact integer the engine computes (and the float
     * matmul of the ±1 values would give).
     */
    private void signDots(float[] x, int xr, int t) {
        BitPacking.pack(x, xr, in, shift, xbits, 0);
        long[] wbits = w.signBits;
        int words = w.words, sr = t * out;
        for (int o = 0; o < out; o++) {
            s[sr + o] = BitPacking.dot(xbits, 0, wbits, o * words, in);
        }
    }

    @Override
    public void backward(float[] dy, int dyOff, float[] dx, int dxOff, LinearParams grad) {
        float c = shift;
        float[] alpha = w.alpha, rowSum = w.rowSum, db = grad.bias;
        for (int t = 0; t < tokens; t++) {
            int r = t * out, dr = dyOff + t * out;
            float bt = beta[t];
            float dBeta = 0f;
            for (int o = 0; o < out; o++) {
                float g = dy[dr + o];
                float st = s[r + o];
                db[o] += g;
                dAlpha[o] += g * (bt * st + c * rowSum[o]);
                dBeta += g * alpha[o] * st;
                gs[r + o] = g * alpha[o] * bt;
                gAlpha[o] += g * alpha[o];
            }
            // dL/dβ reaches x through β = mean|u|: dβ/du_k = sign(u_k) / in.
            dBetaIn[t] = dBeta / in;
        }
        // dL/dB(u) = gs · B(W)
        matMul.multiply(gs, 0, out, w.rows, 0, dxb, 0, in, tokens, out, in);
        for (int t = 0; t < tokens; t++) {
            int xr = xOff + t * in, br = t * in, dr = dxOff + t * in;
            float db2 = dBetaIn[t];
            for (int k = 0; k < in; k++) {
                float u = x[xr + k] - c;
                dx[dr + k] += dxb[br + k] * ApproxSign.grad(u) + db2 * Kernels.sign(u);
            }
        }
        // dL/dB(W) (without the c term, added in finishGradients) += gsᵀ · B(u)
        matMul.multiplyTransposedAdd(gs, 0, out, xb, 0, grad.weight, 0, in, out, tokens, in);
    }

    @Override
    public void finishGradients(LinearParams grad) {
        float c = shift;
        float[] lw = w.params.weight, gw = grad.weight;
        float invIn = 1f / in;
        for (int o = 0; o < out; o++) {
            int row = o * in;
            float extra = c * gAlpha[o];
            float da = dAlpha[o] * invIn;
            for (int k = 0; k < in; k++) {
                float wl = lw[row + k];
                gw[row + k] = (gw[row + k] + extra) * ApproxSign.grad(wl) + da * Kernels.sign(wl);
            }
            dAlpha[o] = 0f;
            gAlpha[o] = 0f;
        }
    }
}
