package dev.beex.operators;

import dev.beex.model.artifact.ArtifactReader;
import dev.beex.model.artifact.InvalidArtifactException;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.ScoreResult;
import dev.beex.model.exit.ExitRule;
import dev.beex.schemas.StoredModel;
import java.util.List;

/**
 * One model version decoded for one classifier subtask: its engine, the engine's reusable result
 * (scoring allocates nothing), its labels and identity. The active version and a shadow version
 * each get one.
 */
final class ServingEngine {
    final InferenceEngine engine;
    final ScoreResult result;
    final List<String> labels;
    final String modelName;
    final long version;
    final String rule;

    private ServingEngine(InferenceEngine engine, ScoreResult result, List<String> labels, String modelName,
                          long version, String rule) {
        this.engine = engine;
        this.result = result;
        this.labels = labels;
        this.modelName = modelName;
        this.version = version;
        this.rule = rule;
    }

    /**
     * Decodes {@code model} from its bytes (or takes the artifact another subtask of this JVM
     * already decoded). The control path validated it, and built an engine from it, once.
     */
    static ServingEngine load(StoredModel model, ClassifyOptions options) {
        ModelArtifact artifact = SharedArtifacts.get(model.getSha256());
        if (artifact == null) {
            try {
                artifact = ArtifactReader.fromBytes(ModelValidator.copy(model.getArtifact()));
            } catch (InvalidArtifactException e) {
                // It passed validation when accepted: unreadable now means corrupted state, not user input.
                throw new IllegalStateException("model v" + model.getVersion() + " in broadcast state no longer decodes: "
                        + e.getMessage(), e);
            }
        }
        // The stored rule is the control message's text (validated by ModelValidator); state holds text, not objects.
        ExitRule messageRule = model.getExitRule() == null ? null : ExitRule.parse(model.getExitRule());
        ExitRule rule = options.servingRule(messageRule, artifact.exitRule());
        artifact = SharedArtifacts.share(artifact);   // subtasks of this JVM share the compiled kernels
        return new ServingEngine(artifact.newEngine(rule),
                ScoreResult.forModel(artifact.config()),   // exits, not blocks: a lexical model has one more
                List.copyOf(artifact.labels()), model.getModelName(), model.getVersion(), String.valueOf(rule));
    }
}
