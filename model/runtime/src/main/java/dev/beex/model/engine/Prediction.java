package dev.beex.model.engine;

import java.util.Arrays;

/**
 * The answer for one record.
 *
 * @param labelIndex     index into the model's labels of the predicted class
 * @param label          the predicted class name
 * @param confidence     probability of the predicted class at the exit taken
 * @param probabilities  softmax of the exit taken, one entry per label
 * @param exitBlock      blocks run before the record left: the 1-based block after which it left,
 *                       or 0 when a lexical model's exit 0 answered with no block at all
 * @param blocks         blocks of the model
 * @param hard           true when the exit rule fired at no exit, the last included: the record answered at
 *                       the last exit still unsure (a hard example); reaching the last exit confident is not hard
 * @param exitEntropies  normalized entropies of the exits computed, the first exit first (exit 0 of
 *                       a lexical model, so {@code exitBlock + 1} entries; {@code exitBlock} for the paper network)
 */
public record Prediction(int labelIndex, String label, float confidence, float[] probabilities,
                         int exitBlock, int blocks, boolean hard, float[] exitEntropies) {

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.labelIndex == labelIndex && p.label.equals(label)
                && Float.compare(p.confidence, confidence) == 0 && Arrays.equals(p.probabilities, probabilities)
                && p.exitBlock == exitBlock && p.blocks == blocks && p.hard == hard
                && Arrays.equals(p.exitEntropies, exitEntropies);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * labelIndex + exitBlock) + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "Prediction[" + label + " p=" + confidence + " exit=" + exitBlock + "/" + blocks
                + (hard ? " hard" : "") + " probs=" + Arrays.toString(probabilities)
                + " entropies=" + Arrays.toString(exitEntropies) + "]";
    }
}
