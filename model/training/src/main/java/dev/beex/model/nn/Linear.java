package dev.beex.model.nn;

import dev.beex.model.LinearParams;

/**
 * A linear layer applied to every token row of a sequence, with its backward pass. One
 * instance per thread: it keeps what the backward pass needs from the last forward call.
 */
public interface Linear {
    /** {@code y[yOff + t·out ..] = layer(x[xOff + t·in ..])} for t < tokens. Keeps a reference to x. */
    void forward(float[] x, int xOff, int tokens, float[] y, int yOff);

    /**
     * Given dL/dy of the last forward call, ADDS dL/dx into {@code dx} and accumulates the
     * parameter gradients into {@code grad} (binarized weights: see {@link #finishGradients}).
     */
    void backward(float[] dy, int dyOff, float[] dx, int dxOff, LinearParams grad);

    /**
     * Turns what backward accumulated over any number of samples into dL/dW of the latent
     * weights (binarized layers defer the elementwise F'(W) and α terms to here: they are the
     * same for every sample of a step). Call once after the last backward of a step.
     */
    void finishGradients(LinearParams grad);

    static Linear create(LinearWeights weights, Binarizer binarizer, int maxTokens) {
        return weights.params.binarized
                ? new BinaryLinear(weights, binarizer, maxTokens)
                : new FloatLinear(weights, maxTokens);
    }
}
