package dev.beex.model.exit;

/**
 * What every exit said about every record of a labeled data set, from one full-depth pass: per
 * record r and exit e the normalized entropy, argmax label and confidence (largest probability),
 * plus the gold label index, the token count and the number of lexical features (0 for the paper
 * network: the FLOPs of a lexical model's path depend on it). The number of exits E is the length
 * of the per-exit rows (taken from the probability rows, never assumed to equal the block count:
 * a lexical model has E = blocks + 1, its exit 0 before block 1).
 * Replaying an {@link ExitRule} on these gives exactly the engine's early-exit decision.
 */
public record ExitOutputs(float[][] entropies, int[][] labels, float[][] confidences, int[] gold, int[] tokens,
                          int[] lexFeatures) {

    public ExitOutputs {
        int n = gold.length;
        if (entropies.length != n || labels.length != n || confidences.length != n || tokens.length != n
                || lexFeatures.length != n) {
            throw new IllegalArgumentException("exit outputs: every per-record array needs " + n + " rows");
        }
        for (int r = 0; r < n; r++) {
            int e = entropies[0].length;
            if (entropies[r].length != e || labels[r].length != e || confidences[r].length != e) {
                throw new IllegalArgumentException("exit outputs: record " + r + " does not have " + e + " exits");
            }
        }
    }

    /** Outputs of a model without the lexical path (no lexical features). */
    public ExitOutputs(float[][] entropies, int[][] labels, float[][] confidences, int[] gold, int[] tokens) {
        this(entropies, labels, confidences, gold, tokens, new int[gold.length]);
    }

    /** Empty rows for {@code records} records with {@code exits} exits each, to fill with {@link #set}. */
    public static ExitOutputs allocate(int records, int exits) {
        return new ExitOutputs(new float[records][exits], new int[records][exits], new float[records][exits],
                new int[records], new int[records], new int[records]);
    }

    /**
     * Record {@code r}'s row from its per-exit probabilities {@code probs[e][c]} (E rows of
     * {@code numLabels}), computed exactly as the engine computes them ({@link Entropy}).
     */
    public void set(int r, float[][] probs, int numLabels, int goldLabel, int tokenCount) {
        set(r, probs, numLabels, goldLabel, tokenCount, 0);
    }

    /** {@link #set(int, float[][], int, int, int)} with the record's lexical feature count. */
    public void set(int r, float[][] probs, int numLabels, int goldLabel, int tokenCount, int lexFeatureCount) {
        for (int e = 0; e < probs.length; e++) {
            float[] p = probs[e];
            entropies[r][e] = Entropy.normalized(p, numLabels);
            int label = Entropy.argmax(p, numLabels);
            labels[r][e] = label;
            confidences[r][e] = p[label];
        }
        gold[r] = goldLabel;
        tokens[r] = tokenCount;
        lexFeatures[r] = lexFeatureCount;
    }

    public int records() {
        return gold.length;
    }

    /** Exits per record (E). */
    public int exits() {
        return entropies.length == 0 ? 0 : entropies[0].length;
    }

    /** See {@link ExitRule#firstFiring}: {@link #exits()} means the rule fired nowhere (hard). */
    public int firstFiring(ExitRule rule, int r) {
        return rule.firstFiring(entropies[r], labels[r], confidences[r], exits());
    }

    /** The exit record {@code r} leaves at under {@code rule}. */
    public int exitIndex(ExitRule rule, int r) {
        return Math.min(firstFiring(rule, r), exits() - 1);
    }

    /** The label record {@code r} answers with under {@code rule}. */
    public int answer(ExitRule rule, int r) {
        return labels[r][exitIndex(rule, r)];
    }
}
