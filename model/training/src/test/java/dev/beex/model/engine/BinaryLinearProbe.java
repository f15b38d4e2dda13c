package dev.beex.model.engine;

/** Test-side access to a packed layer and its activation scratch (benchmarks live in another package). */
public final class BinaryLinearProbe {
    private final BinaryLinear layer;
    private final PackedActivations packed;
    private final int in;

    public BinaryLinearProbe(float[] weight, float[] bias, int in, int out, int maxTokens) {
        this(weight, bias, in, out, maxTokens, BitKernel.selected());
    }

    public BinaryLinearProbe(float[] weight, float[] bias, int in, int out, int maxTokens, BitKernel kernel) {
        this.layer = new BinaryLinear(BinaryMatrix.binarize(weight, out, in), bias, 0f, kernel);
        this.packed = new PackedActivations(maxTokens, in, out);
        this.in = in;
    }

    public void pack(float[] x, int n) {
        packed.pack(x, n, in, 0f);
    }

    public void forward(int n, float[] y) {
        layer.forward(null, packed, null, n, y);
    }
}
