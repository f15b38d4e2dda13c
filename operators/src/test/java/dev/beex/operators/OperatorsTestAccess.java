package dev.beex.operators;

import dev.beex.model.artifact.ModelArtifact;
import java.util.List;

/** Test fixtures for the benchmarks, which live in another package. */
public final class OperatorsTestAccess {

    private OperatorsTestAccess() {
    }

    public static ModelArtifact model(long seed, int dim, int heads, int blocks, int hidden, int maxTokens) {
        return TestModels.model(seed, dim, heads, blocks, hidden, maxTokens);
    }

    public static List<String> texts(int n) {
        return TestModels.texts(n);
    }
}
