package dev.beex.model.nn;

/**
 * The relaxed sign of BAT's backward pass (model/README.md, "Training (BAT) backward"): the
 * forward uses sign, the gradient is that of this function. Training only; the engine never needs it.
 */
public final class ApproxSign {
    private ApproxSign() {
    }

    /**
     * Bi-Real Net's ApproxSign F: {@code -1 (u<-1); 2u+u² (-1<=u<0); 2u−u² (0<=u<1); 1 (u>=1)},
     * written branch-free as {@code 2v − v|v|} with v = clamp(u, −1, 1).
     */
    public static float value(float u) {
        float v = Math.max(-1f, Math.min(1f, u));
        return 2f * v - v * Math.abs(v);
    }

    /** F'(u) = 2 + 2u on [-1, 0), 2 − 2u on [0, 1), 0 elsewhere; i.e. max(0, 2 − 2|u|). */
    public static float grad(float u) {
        return Math.max(0f, 2f - 2f * Math.abs(u));
    }
}
