package dev.beex.model.teacher;

/**
 * Pretrained knowledge for one training run, read from the teacher cache of the training file
 * (training-time only: nothing of the teacher enters the model artifact beyond the parameters
 * it helped train).
 *
 * @param outputs     the teacher's outputs over the training file (records in file order, terms)
 * @param init        initialize the token embedding from the teacher's term vectors ({@link EmbeddingInit})
 * @param distill     add the distillation term to every exit's loss, with soft labels from a
 *                    {@link TeacherHead} fit (cross-fitted) on the record embeddings
 * @param lambda      weight λ of the distillation term, in [0, 1]
 * @param temperature T &gt; 0 of the distillation term
 * @param devOutputs  the same teacher's outputs over the dev file, or null: only to report how
 *                    accurate the teacher head alone is on dev
 */
public record Teacher(TeacherCache.Outputs outputs, boolean init, boolean distill, float lambda, float temperature,
                      TeacherCache.Outputs devOutputs) {
    public static final float DEFAULT_LAMBDA = 0.5f;
    public static final float DEFAULT_TEMPERATURE = 2f;
    /** Folds of the cross-fitted teacher head. */
    public static final int FOLDS = 5;

    public Teacher {
        if (outputs == null) {
            throw new IllegalArgumentException("teacher outputs are required");
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("distillation weight must be in [0, 1], not " + lambda);
        }
        if (!(temperature > 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("distillation temperature must be > 0, not " + temperature);
        }
    }
}
