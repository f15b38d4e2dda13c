package dev.beex.model.nn;

import dev.beex.model.ModelConfig;
import dev.beex.model.ModelParams;

/**
 * The whole BEExformer for one record at a time: embedding, blocks, an exit head after every
 * block. One instance per thread; all buffers are sized once for {@code maxTokens}.
 * Training: {@link #forward} then {@link #backward} per record, {@link #finishGradients}
 * once per step.
 */
public final class Network {
    private final PreparedModel model;
    private final ModelConfig config;
    private final Embedding embedding;
    private final Block[] blocks;
    private final ExitHead[] exits;
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
        this.exits = new ExitHead[config.blocks()];
        this.xs = new float[config.blocks()][td];
        for (int b = 0; b < blocks.length; b++) {
            blocks[b] = new Block(model, b, maxTokens);
            exits[b] = new ExitHead(model.params.exitHeads[b]);
        }
        this.x0 = new float[td];
        this.gradA = new float[td];
        this.gradB = new float[td];
        this.exitLoss = new float[config.blocks()];
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Runs all blocks on {@code ids[0..n)} (n is cut to maxTokens). Returns
     * {@code Σ_b weights[b]·CE_b} for {@code label >= 0} (0 otherwise). Dropout only when
     * {@code rng != null}.
     */
    public float forward(int[] ids, int n, int label, float[] exitWeights, float dropoutRate, Rng rng) {
        return forward(ids, n, label, exitWeights, dropoutRate, rng, null, 0f, 1f);
    }

    /**
     * As {@link #forward(int[], int, int, float[], float, Rng)} with a distillation term at every
     * exit: each exit's loss is {@code (1−λ)·CE + λ·T²·KL(teacher ‖ softmax(logits/T))}
     * ({@link ExitHead}); {@code teacher} = the teacher's probabilities at temperature T, or null.
     */
    public float forward(int[] ids, int n, int label, float[] exitWeights, float dropoutRate, Rng rng,
                         float[] teacher, float lambda, float temperature) {
        if (n < 1) {
            throw new IllegalArgumentException("a record needs at least one token");
        }
        n = Math.min(n, config.maxTokens());
        this.ids = ids;
        this.n = n;
        embedding.forward(ids, n, x0);
        float[] x = x0;
        float loss = 0f;
        for (int b = 0; b < blocks.length; b++) {
            blocks[b].forward(x, n, dropoutRate, rng, xs[b]);
            exitLoss[b] = exits[b].forward(xs[b], n, label, teacher, lambda, temperature);
            if (label >= 0 && exitWeights != null) {
                loss += exitWeights[b] * exitLoss[b];
            }
            x = xs[b];
        }
        return loss;
    }

    /** Softmax of exit {@code block} from the last forward (a live buffer: copy to keep). */
    public float[] probabilities(int block) {
        return exits[block].probs;
    }

    /** Loss of exit {@code block} from the last forward (cross-entropy, or with the distillation term). */
    public float exitLoss(int block) {
        return exitLoss[block];
    }

    /** Accumulates d(Σ_b weights[b]·L_b)/dθ of the last forward (L_b its exit loss) into {@code grad}. */
    public void backward(int label, float[] exitWeights, ModelParams grad) {
        int td = n * config.dim();
        float[] dx2 = gradA, dx = gradB;
        java.util.Arrays.fill(dx2, 0, td, 0f);
        for (int b = blocks.length - 1; b >= 0; b--) {
            exits[b].backward(label, exitWeights[b], dx2, grad.exitHeads[b]);
            blocks[b].backward(dx2, dx, grad.blocks[b]);
            float[] t = dx2;
            dx2 = dx;
            dx = t;
        }
        embedding.backward(ids, n, dx2, grad);
    }

    /** Completes the binarized layers' deferred weight gradients (once per step, see {@link Linear}). */
    public void finishGradients(ModelParams grad) {
        for (int b = 0; b < blocks.length; b++) {
            blocks[b].finishGradients(grad.blocks[b]);
        }
    }
}
