package dev.beex.model.exit;

/** Entropy of an exit's softmax, normalized by log C so it lies in [0, 1] for any label count. */
public final class Entropy {
    private Entropy() {
    }

    /** {@code −Σ p log p / log C} over the first {@code numLabels} entries of {@code probs}. */
    public static float normalized(float[] probs, int numLabels) {
        double h = 0;
        for (int c = 0; c < numLabels; c++) {
            float p = probs[c];
            if (p > 0f) {
                h -= p * Math.log(p);
            }
        }
        return (float) (h / Math.log(numLabels));
    }

    /** Index of the largest probability (first one on ties). */
    public static int argmax(float[] probs, int numLabels) {
        int best = 0;
        for (int c = 1; c < numLabels; c++) {
            if (probs[c] > probs[best]) {
                best = c;
            }
        }
        return best;
    }
}
