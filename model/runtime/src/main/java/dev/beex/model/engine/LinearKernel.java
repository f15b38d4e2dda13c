package dev.beex.model.engine;

import dev.beex.model.kernels.MatMul;

/** One linear layer of the engine, applied to {@code n} token rows at once. Immutable; shared. */
interface LinearKernel {
    int in();

    int out();

    /** True when the layer reads its input as bits ({@link PackedActivations}), not floats. */
    boolean binary();

    /** Activation shift c the input is binarized around (binary layers). */
    float shift();

    /**
     * {@code y[t·out + o]} for {@code t < n}. A binary layer reads {@code packed} (the input
     * binarized around {@link #shift()}); a float layer reads {@code x[t·in + k]} and uses
     * multiplies with {@code matMul} (wide enough for out, owned by the calling engine).
     */
    void forward(float[] x, PackedActivations packed, MatMul matMul, int n, float[] y);
}
