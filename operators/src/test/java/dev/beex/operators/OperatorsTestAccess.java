package dev.beex.operators;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.ModelUpdate;
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

    /** What the control path broadcasts after deciding {@code update} on a fresh job. */
    public static ModelRegistry decide(ModelUpdate update) {
        return new ModelControl(ClassifyOptions.defaults()).apply(null, update).registry();
    }
}
