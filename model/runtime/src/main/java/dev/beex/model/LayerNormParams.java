package dev.beex.model;

import java.util.Arrays;

/** LayerNorm gain and shift (always float). Epsilon is {@link #EPS}. */
public final class LayerNormParams {
    public static final float EPS = 1e-5f;

    public final float[] gamma;
    public final float[] beta;

    public LayerNormParams(int dim) {
        this.gamma = new float[dim];
        this.beta = new float[dim];
        Arrays.fill(gamma, 1f);
    }
}
