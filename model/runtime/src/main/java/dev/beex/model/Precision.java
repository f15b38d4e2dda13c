package dev.beex.model;

/** Whether the linear layers inside the blocks (and the token embedding) are 1-bit or float. */
public enum Precision {
    /** BEExformer: sign weights with per-row scale, sign activations with per-token scale. */
    BINARY,
    /** The same network in float32: the baseline every figure is compared with. */
    FLOAT
}
