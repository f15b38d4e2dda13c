package dev.beex.operators;

import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.ModelUpdate;

/** Package-private operator internals for the benchmarks, which live in another package. */
public final class OperatorsTestAccess {

    private OperatorsTestAccess() {
    }

    /** What the control path broadcasts after deciding {@code update} on a fresh job. */
    public static ModelRegistry decide(ModelUpdate update) {
        return new ModelControl(ClassifyOptions.defaults()).apply(null, update).registry();
    }
}
