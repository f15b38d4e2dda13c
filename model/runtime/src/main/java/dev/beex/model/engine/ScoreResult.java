package dev.beex.model.engine;

import java.util.Arrays;
import java.util.List;

/**
 * Reusable, mutable result of {@link InferenceEngine#score(String, ScoreResult)}: scoring into
 * the same instance again allocates nothing. Arrays are sized for the model once.
 */
public final class ScoreResult {
    /** Index of the predicted label. */
    public int labelIndex;
    /** Probability of the predicted label at the exit taken. */
    public float confidence;
    /** Softmax of the exit taken ({@code numLabels} entries). */
    public final float[] probabilities;
    /** 1-based block after which the record left. */
    public int exitBlock;
    /** Blocks of the model. */
    public final int blocks;
    /** Normalized entropy of each exit computed; entries {@code [0, exitBlock)} are valid. */
    public final float[] exitEntropies;
    /** Argmax label of each exit computed; entries {@code [0, exitBlock)} are valid. */
    public final int[] exitLabels;
    /** Largest probability of each exit computed (what a confidence floor checks); entries {@code [0, exitBlock)} are valid. */
    public final float[] exitConfidences;
    /**
     * True when the exit rule fired at no exit, the last one included: the record answered at the
     * last exit still unsure (a hard example). Reaching the last exit confident is not hard.
     */
    public boolean hard;
    /** Tokens the text was encoded to. */
    public int tokens;

    public ScoreResult(int numLabels, int blocks) {
        this.probabilities = new float[numLabels];
        this.blocks = blocks;
        this.exitEntropies = new float[blocks];
        this.exitLabels = new int[blocks];
        this.exitConfidences = new float[blocks];
    }

    /** True for a hard example: the rule fired nowhere, the record answered at the last exit still unsure. */
    public boolean hard() {
        return hard;
    }

    /** An immutable copy (allocates). */
    public Prediction toPrediction(List<String> labels) {
        return new Prediction(labelIndex, labels.get(labelIndex), confidence, probabilities.clone(),
                exitBlock, blocks, hard(), Arrays.copyOf(exitEntropies, exitBlock));
    }
}
