package dev.beex.model.nn;

import dev.beex.model.kernels.Kernels;

/**
 * What the forward pass puts in place of a latent value: {@link #SIGN} when training and
 * serving, {@link #RELAXED} (ApproxSign F) only in gradient checks, whose finite differences
 * need a differentiable forward. The backward pass always uses F'.
 */
public enum Binarizer {
    SIGN,
    RELAXED;

    public float apply(float u) {
        return this == SIGN ? Kernels.sign(u) : ApproxSign.value(u);
    }
}
