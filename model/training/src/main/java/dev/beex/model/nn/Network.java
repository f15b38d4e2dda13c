package dev.beex.model.nn;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;

/**
 * The whole BEExformer for one record at a time: embedding, blocks, an exit head after every
 * block, and with the lexical path ({@link ModelConfig#lexical()}) the lexical vector, its exit 0
 * before block 1, and the lexical vector as extra input of every block exit. Exits are indexed
 * e = 0..E-1 ({@link ModelConfig#exits()}). One instance per thread; all buffers are sized once
 * for {@code maxTokens}. Training: {@link #forward} then {@link #backward} per record,
 * {@link #finishGradients} once per step.
 */
public final class Network {
    private final PreparedModel model;
    private final ModelConfig config;
    private final Embedding embedding;
    private final Block[] blocks;
    /** Exit heads in exit order (exit 0 = the lexical head when the model has one). */
    private final ExitHead[] exits;
    /** First exit that follows a block: 1 with the lexical path, else 0. */
    private final int firstBlockExit;
    private final LexicalPath lexical;
    private boolean lexicalFrozen;
    private final float[] lex;
    private final float[] dLex;
    private final float[] x0;
    private final float[][] xs;     // block outputs
    private final float[] gradA;
    private final float[] gradB;
    private int[] ids;
    private int n;
    private final float[] exitLoss;

    public Network(PreparedModel model) {
        this.model = model;
        this.config = model.params.config;
        int maxTokens = config.maxTokens();
        int td = maxTokens * config.dim();
        this.embedding = new Embedding(model.params, model.binarizer);
        this.blocks = new Block[config.blocks()];
        this.exits = new ExitHead[config.exits()];
        this.firstBlockExit = config.lexical() ? 1 : 0;
        this.xs = new float[config.blocks()][td];
        if (config.lexical()) {
            exits[0] = new ExitHead(model.params.lexHead, 0);
            this.lexical = new LexicalPath(model.params.lexTable, config.lexBuckets(), config.lexDim(),
                    config.binary(), model.binarizer);
        } else {
            this.lexical = null;
        }
        this.lex = new float[config.lexDim()];
        this.dLex = new float[config.lexDim()];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = new Block(model, b, maxTokens);
            exits[firstBlockExit + b] = new ExitHead(model.params.exitHeads[b], config.dim());
        }
        this.x0 = new float[td];
        this.gradA = new float[td];
        this.gradB = new float[td];
        this.exitLoss = new float[config.exits()];
    }

    public ModelConfig config() {
        return config;
    }

    /** The paper network's forward (no lexical features); see {@link #forward(int[], int, int[], int, int, float[], float, Rng)}. */
    public float forward(int[] ids, int n, int label, float[] exitWeights, float dropoutRate, Rng rng) {
        return forward(ids, n, null, 0, label, exitWeights, dropoutRate, rng, null, 0f, 1f);
    }

    /** {@link #forward(int[], int, int[], int, int, float[], float, Rng, float[], float, float)} without a teacher. */
    public float forward(int[] ids, int n, int[] lexRows, int lexCount, int label, float[] exitWeights,
                         float dropoutRate, Rng rng) {
        return forward(ids, n, lexRows, lexCount, label, exitWeights, dropoutRate, rng, null, 0f, 1f);
    }

    /**
     * Runs the lexical path on feature rows {@code lexRows[0..lexCount)} (lexical models only)
     * and all blocks on {@code ids[0..n)} (n is cut to maxTokens). Returns
     * {@code Σ_e weights[e]·L_e} over all exits for {@code label >= 0} (0 otherwise), where
     * {@code L_e} is the exit's cross-entropy, or with {@code teacher} (the teacher's
     * probabilities at temperature T) {@code (1−λ)·CE + λ·T²·KL(teacher ‖ softmax(logits/T))}
     * ({@link ExitHead}) at every exit, the lexical exit 0 included. Dropout only when {@code rng != null}.
     */
    public float forward(int[] ids, int n, int[] lexRows, int lexCount, int label, float[] exitWeights,
                         float dropoutRate, Rng rng, float[] teacher, float lambda, float temperature) {
        if (n < 1) {
            throw new IllegalArgumentException("a record needs at least one token");
        }
        n = Math.min(n, config.maxTokens());
        this.ids = ids;
        this.n = n;
        float loss = 0f;
        if (lexical != null) {
            if (lexRows == null || lexCount < 1) {
                throw new IllegalArgumentException("a lexical model needs the record's lexical features");
            }
            lexical.forward(lexRows, lexCount, lex);
            exitLoss[0] = exits[0].forward(null, 0, lex, label, teacher, lambda, temperature);
            if (label >= 0 && exitWeights != null) {
                loss += exitWeights[0] * exitLoss[0];
            }
        }
        embedding.forward(ids, n, x0);
        float[] x = x0;
        for (int b = 0; b < blocks.length; b++) {
            int e = firstBlockExit + b;
            blocks[b].forward(x, n, dropoutRate, rng, xs[b]);
            exitLoss[e] = exits[e].forward(xs[b], n, lex, label, teacher, lambda, temperature);
            if (label >= 0 && exitWeights != null) {
                loss += exitWeights[e] * exitLoss[e];
            }
            x = xs[b];
        }
        return loss;
    }

    /**
     * The lexical path and exit 0 alone (no token is embedded, no block runs): the forward of the
     * lexical pre-training stage and of exit-0 evaluation. Returns exit 0's loss for
     * {@code label >= 0} (0 otherwise); {@link #probabilities(int) probabilities(0)} holds its softmax.
     */
    public float forwardLexical(int[] lexRows, int lexCount, int label, float[] teacher, float lambda, float temperature) {
        if (lexical == null) {
            throw new IllegalStateException("the paper network has no lexical path");
        }
        if (lexRows == null || lexCount < 1) {
            throw new IllegalArgumentException("a lexical model needs the record's lexical features");
        }
        lexical.forward(lexRows, lexCount, lex);
        exitLoss[0] = exits[0].forward(null, 0, lex, label, teacher, lambda, temperature);
        return label >= 0 ? exitLoss[0] : 0f;
    }

    /** Accumulates d(weight·L_0)/dθ of the last {@link #forwardLexical} into the lexical table and exit 0's head. */
    public void backwardLexical(int label, float weight, ModelParams grad) {
        java.util.Arrays.fill(dLex, 0f);
        exits[0].backward(label, weight, null, dLex, grad.lexHead);
        lexical.backward(dLex, grad.lexTable);
    }

    /** Softmax of exit {@code exit} from the last forward (a live buffer: copy to keep). */
    public float[] probabilities(int exit) {
        return exits[exit].probs;
    }

    /** Loss of exit {@code exit} from the last forward (cross-entropy, or with the distillation term). */
    public float exitLoss(int exit) {
        return exitLoss[exit];
    }

    /**
     * Freezes the lexical path and exit 0 for {@link #backward}: their gradient is not computed
     * (the blocks' exits still read the lexical vector). Used after lexical pre-training.
     */
    public void freezeLexical(boolean frozen) {
        this.lexicalFrozen = frozen;
    }

    /** The lexical path (null for the paper network): its touched rows drive the sparse update. */
    public LexicalPath lexicalPath() {
        return lexical;
    }

    /** Accumulates d(Σ_e weights[e]·L_e)/dθ of the last forward (L_e its exit loss) into {@code grad}. */
    public void backward(int label, float[] exitWeights, ModelParams grad) {
        int td = n * config.dim();
        float[] dx2 = gradA, dx = gradB;
        java.util.Arrays.fill(dx2, 0, td, 0f);
        java.util.Arrays.fill(dLex, 0f);
        for (int b = blocks.length - 1; b >= 0; b--) {
            int e = firstBlockExit + b;
            exits[e].backward(label, exitWeights[e], dx2, dLex, grad.exitHeads[b]);
            blocks[b].backward(dx2, dx, grad.blocks[b]);
            float[] t = dx2;
            dx2 = dx;
            dx = t;
        }
        embedding.backward(ids, n, dx2, grad);
        if (lexical != null && !lexicalFrozen) {
            exits[0].backward(label, exitWeights[0], null, dLex, grad.lexHead);
            lexical.backward(dLex, grad.lexTable);
        }
    }

    /** Completes the binarized layers' deferred weight gradients (once per step, see {@link Linear}). */
    public void finishGradients(ModelParams grad) {
        for (int b = 0; b < blocks.length; b++) {
            blocks[b].finishGradients(grad.blocks[b]);
        }
    }
}
