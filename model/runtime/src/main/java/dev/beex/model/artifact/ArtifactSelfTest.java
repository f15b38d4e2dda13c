package dev.beex.model.artifact;

import dev.beex.model.ModelConfig;
import dev.beex.model.engine.EngineModel;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.ScoreResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The self-test vectors an artifact carries: outputs the engine gave for fixed texts when the
 * artifact was made. A loader runs them through a fresh engine ({@link #verify}); any difference
 * (a tampered weight that still passes the checksum, an engine that computes differently on this
 * JVM) rejects the model.
 */
public final class ArtifactSelfTest {
    /** Probabilities must match the stored vectors this closely (platform exp/tanh may differ by an ulp). */
    public static final float TOLERANCE = 1e-5f;

    /** Texts whose outputs are stored: empty, short, typical, and over-long. */
    static final List<String> TEXTS = List.of(
            "",
            "good",
            "This is terrible, I want my money back.",
            "Great phone, the battery lasts all day and the screen is sharp.",
            "Congratulations! You have WON a free prize, click here now to claim your cash reward!!!",
            ("a long text that runs past the maximum number of tokens so it is cut, " + "again and again ").repeat(40));

    /** One stored input with the outputs the engine gave for it when the artifact was made. */
    record Vector(String text, int exitBlock, int labelIndex, float[] probabilities, float[][] allExits) {
    }

    private ArtifactSelfTest() {
    }

    /** The vectors to store: {@code engine}'s outputs for every text in {@link #TEXTS}. */
    static List<Vector> record(InferenceEngine engine) {
        List<Vector> vectors = new ArrayList<>(TEXTS.size());
        for (String text : TEXTS) {
            vectors.add(run(engine, text));
        }
        return vectors;
    }

    private static Vector run(InferenceEngine engine, String text) {
        ScoreResult r = ScoreResult.forModel(engine.config());
        engine.score(text, r);
        return new Vector(text, r.exitBlock, r.labelIndex, r.probabilities.clone(), engine.scoreAllExits(text));
    }

    /** Runs every stored self-test text through a fresh engine; any difference rejects the model. */
    public static void verify(ModelArtifact artifact) throws InvalidArtifactException {
        List<Vector> stored = artifact.selfTests();
        if (stored.isEmpty()) {
            throw new InvalidArtifactException("artifact has no self-test vectors");
        }
        // a fresh compile, not the artifact's shared one: the check covers compiling too
        InferenceEngine engine = new InferenceEngine(EngineModel.compile(artifact.packed()), artifact.tokenizer(),
                artifact.labels(), artifact.exitRule());
        for (int i = 0; i < stored.size(); i++) {
            Vector want = stored.get(i);
            String why = difference(artifact.config(), artifact.labels(), run(engine, want.text()), want);
            if (why != null) {
                throw new InvalidArtifactException("self-test " + (i + 1) + " of " + stored.size() + " failed: " + why);
            }
        }
    }

    /** Why {@code got} differs from {@code want}, or null when it does not. */
    private static String difference(ModelConfig config, List<String> labels, Vector got, Vector want) {
        if (got.exitBlock() != want.exitBlock()) {
            return "exit block " + got.exitBlock() + ", stored " + want.exitBlock();
        }
        if (got.labelIndex() != want.labelIndex()) {
            return "label " + labels.get(got.labelIndex()) + ", stored " + labels.get(want.labelIndex());
        }
        for (int e = 0; e < config.exits(); e++) {
            for (int c = 0; c < config.numLabels(); c++) {
                float diff = Math.abs(got.allExits()[e][c] - want.allExits()[e][c]);
                if (!(diff <= TOLERANCE)) {
                    // exits are named 1-based for the paper network (as before), 0-based with exit 0
                    int name = config.lexical() ? e : e + 1;
                    return "exit " + name + " probability of " + labels.get(c) + " is "
                            + got.allExits()[e][c] + ", stored " + want.allExits()[e][c];
                }
            }
        }
        return null;
    }
}
