package dev.beex.model.train;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.text.Tokenizer;
import java.util.List;

/**
 * A model to continue training from ({@code beex train --init M.beex}): its parameters, tokenizer
 * and labels are kept, so the next version has the same shape, token ids and label order as the
 * one it replaces. Binary weights restart from their stored form (sign times the row scale), which
 * binarizes back to exactly the stored model: training resumes from what was served.
 */
public record WarmStart(ModelParams params, Tokenizer tokenizer, List<String> labels, String source) {

    public WarmStart {
        if (params.config.numLabels() != labels.size()) {
            throw new IllegalArgumentException(labels.size() + " labels for a model with " + params.config.numLabels() + " classes");
        }
        labels = List.copyOf(labels);
    }

    /** The parameters as the artifact stores them (float16 and 1-bit values decoded). */
    public static WarmStart of(ModelArtifact artifact, String source) {
        return new WarmStart(artifact.params(), artifact.tokenizer(), artifact.labels(), source);
    }

    public ModelConfig config() {
        return params.config;
    }
}
