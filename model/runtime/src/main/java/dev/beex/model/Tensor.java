package dev.beex.model;

/**
 * One named parameter array of a {@link ModelParams}. {@code binarized} marks latent weights
 * that the forward pass sees only through their signs (the optimizer clips them to [-1, 1]).
 */
public record Tensor(String name, float[] data, boolean binarized) {
}
