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
 * @param devOutputs  the same teacher's outputs over the dev file, or null (then the teacher cannot
 *                    be judged and is only used {@code always})
 * @param judged      judge the teacher on dev before using it ({@link TeacherGate}: its head against the
 *                    pre-trained lexical exit 0), and train without it when it is not clearly better;
 *                    false = always use it
 * @param lexPretrainEpochs passes of lexical pre-training when the teacher is used (0: the table trains
 *                    jointly, so the blocks keep a loss to learn the teacher's knowledge from)
 */
public record Teacher(TeacherCache.Outputs outputs, boolean init, boolean distill, float lambda, float temperature,
                      TeacherCache.Outputs devOutputs, boolean judged, int lexPretrainEpochs) {
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
        if (judged && devOutputs == null) {
            throw new IllegalArgumentException("the teacher is judged on the dev split before it is used, and the"
                    + " teacher cache has no outputs for the dev file");
        }
        if (lexPretrainEpochs < 0) {
            throw new IllegalArgumentException("lexical pre-training passes must be >= 0, not " + lexPretrainEpochs);
        }
    }
}
