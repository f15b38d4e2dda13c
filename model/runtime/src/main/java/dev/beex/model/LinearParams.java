package dev.beex.model;

/**
 * Weights of one linear layer {@code y = W·x + b}, W stored row-major as {@code [out][in]}.
 *
 * <p>When {@code binarized}, the forward pass uses {@code α_o·sign(W_o)} (α_o = mean|W_o|) and
 * binarizes its input around {@code actShift}: {@code x ≈ actShift + β·sign(x − actShift)},
 * β = mean|x − actShift| per token. The shift is 0 except where the input is one-signed
 * (the SLFN gate's sigmoid output, shift 0.5): binarizing it around 0 would give all +1.
 */
public final class LinearParams {
    public final int in;
    public final int out;
    public final float[] weight;
    public final float[] bias;
    public final boolean binarized;
    public final float actShift;

    public LinearParams(int in, int out, boolean binarized, float actShift) {
        this.in = in;
        this.out = out;
        this.weight = new float[in * out];
        this.bias = new float[out];
        this.binarized = binarized;
        this.actShift = actShift;
    }
}
