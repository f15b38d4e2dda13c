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
    /** 0-based exit the record left at (exit 0 is the lexical exit of a lexical model). */
    public int exit;
    /**
     * Blocks the record ran before it left: {@code exit + 1} for the paper network, {@code exit}
     * for a lexical model (0 = answered by the lexical exit alone).
     */
    public int exitBlock;
    /** Blocks of the model. */
    public final int blocks;
    /** Exits of the model ({@code blocks}, or {@code blocks + 1} with the lexical path). */
    public final int exits;
    /** Normalized entropy of each exit computed; entries {@code [0, exit]} are valid. */
    public final float[] exitEntropies;
    /** Argmax label of each exit computed; entries {@code [0, exit]} are valid. */
    public final int[] exitLabels;
    /** Largest probability of each exit computed (what a confidence floor checks); entries {@code [0, exit]} are valid. */
    public final float[] exitConfidences;
    /**
     * True when the exit rule fired at no exit, the last one included: the record answered at the
     * last exit still unsure (a hard example). Reaching the last exit confident is not hard.
     */
    public boolean hard;
    /** Tokens the text was encoded to; 0 when a lexical model answered at exit 0, before tokenizing. */
    public int tokens;

    /** A result sized for a model of this config (its exits: {@code blocks + 1} with the lexical path). */
    public static ScoreResult forModel(dev.beex.model.ModelConfig config) {
        return new ScoreResult(config.numLabels(), config.blocks(), config.exits());
    }


    /** {@code exits} = {@code blocks + 1} for a lexical model (exit 0 before block 1). */
    ScoreResult(int numLabels, int blocks, int exits) {   // sized by ScoreResult.forModel(config)
        this.probabilities = new float[numLabels];
        this.blocks = blocks;
        this.exits = exits;
        this.exitEntropies = new float[exits];
        this.exitLabels = new int[exits];
        this.exitConfidences = new float[exits];
    }

    /** True for a hard example: the rule fired nowhere, the record answered at the last exit still unsure. */
    public boolean hard() {
        return hard;
    }

    /** An immutable copy (allocates). */
    public Prediction toPrediction(List<String> labels) {
        return new Prediction(labelIndex, labels.get(labelIndex), confidence, probabilities.clone(),
                exitBlock, blocks, hard(), Arrays.copyOf(exitEntropies, exit + 1));
    }
}
