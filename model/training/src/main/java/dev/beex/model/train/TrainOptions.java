package dev.beex.model.train;

import dev.beex.model.ModelConfig;
import dev.beex.model.Precision;
import dev.beex.model.exit.ExitSweep;
import dev.beex.model.text.TokenizerOptions;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Everything that shapes a training run. {@link #defaults()} is the one set of defaults used
 * for every data set (tuned on the dev splits, see docs).
 *
 * @param dim            model width d
 * @param heads          attention heads
 * @param blocks         transformer blocks (= exits)
 * @param slfnHidden     SLFN hidden width
 * @param maxTokens      longest token sequence
 * @param maxVocab       tokenizer vocabulary budget
 * @param minCount       tokenizer: minimum count of a kept word or piece
 * @param precision      BINARY (BEExformer) or FLOAT (baseline)
 * @param epochs         passes over the training split; 0 = auto: {@link #epochsFor(int)}
 * @param batchSize      records per optimizer step
 * @param learningRate   peak Adam learning rate
 * @param warmup         fraction of all steps with a linear warmup (then cosine decay to 0)
 * @param weightDecay    decoupled weight decay on float matrices (AdamW); 0 = off
 * @param gradClip       global gradient-norm clip (0 = off)
 * @param dropout        dropout rate on the SLFN output
 * @param tokenDropout   training only: each input token is left out of the sequence with this
 *                       probability (word dropout; at least one token is kept)
 * @param exitWeights    soft-routing loss weights: "linear" (w_i ∝ i), "uniform", or a comma list
 * @param seed           seeds initialization, shuffling and dropout
 * @param threads        worker threads (data-parallel over each mini-batch)
 * @param exitTolerance  exit-rule calibration: accuracy tolerance of {@code ExitSweep.calibrate}
 * @param hardBudget     exit-rule calibration: about this fraction of dev records should reach the last
 *                       exit still unsure (hard examples, sent to review); 0 = none
 * @param lexical        the hashed lexical path with its exit 0 ({@link LexicalOptions#NONE}: the paper's network)
 * @param binaryAttention attention scores from the signs of q and k ({@link dev.beex.model.ModelConfig#binaryAttention()})
 */
public record TrainOptions(int dim, int heads, int blocks, int slfnHidden, int maxTokens, int maxVocab,
                           int minCount, Precision precision, int epochs, int batchSize, float learningRate,
                           float warmup, float weightDecay, float gradClip, float dropout, float tokenDropout, String exitWeights,
                           long seed, int threads, double exitTolerance, double hardBudget, LexicalOptions lexical,
                           boolean binaryAttention) {

    public TrainOptions {
        require(dim > 0 && heads > 0 && dim % heads == 0, "dim must be a positive multiple of heads");
        require(blocks >= 1, "blocks must be >= 1");
        require(slfnHidden > 0, "hidden must be > 0");
        require(maxTokens > 0, "max-tokens must be > 0");
        require(epochs >= 0, "epochs must be >= 1 (or 0 = auto)");
        require(batchSize >= 1, "batch must be >= 1");
        require(learningRate > 0 && Float.isFinite(learningRate), "lr must be > 0");
        require(warmup >= 0 && warmup < 1, "warmup must be in [0, 1)");
        require(weightDecay >= 0, "weight decay must be >= 0");
        require(gradClip >= 0, "grad clip must be >= 0");
        require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1)");
        require(tokenDropout >= 0 && tokenDropout < 1, "token dropout must be in [0, 1)");
        require(threads >= 1, "threads must be >= 1");
        require(exitTolerance >= 0, "exit tolerance must be >= 0");
        require(hardBudget >= 0 && hardBudget < 1, "hard budget must be in [0, 1)");
        require(precision != null, "precision is required");
        new TokenizerOptions(maxTokens, maxVocab, minCount);   // validates the tokenizer settings
        require(lexical != null, "lexical options are required");
        exitWeights(exitWeights, blocks + (lexical.enabled() ? 1 : 0));   // validates the spec
        require(!binaryAttention || precision == Precision.BINARY, "binary attention needs binary precision");
    }

    public static TrainOptions defaults() {
        return new TrainOptions(ModelConfig.DEFAULT_DIM, ModelConfig.DEFAULT_HEADS, ModelConfig.DEFAULT_BLOCKS,
                ModelConfig.DEFAULT_SLFN_HIDDEN, ModelConfig.DEFAULT_MAX_TOKENS, TokenizerOptions.DEFAULT_MAX_VOCAB,
                TokenizerOptions.DEFAULT_MIN_COUNT, Precision.BINARY, AUTO_EPOCHS, 32, 3e-3f, 0.1f, 0f, 1f, 0.1f,
                DEFAULT_TOKEN_DROPOUT, "linear", 42L, Runtime.getRuntime().availableProcessors(), ExitSweep.DEFAULT_TOLERANCE,
                ExitSweep.DEFAULT_HARD_BUDGET, LexicalOptions.defaults(), DEFAULT_BINARY_ATTENTION);
    }

    /**
     * Attention scores of the defaults (the lexical architecture at binary precision; the paper's
     * network and float precision keep float scores): binary (the signs of q and k). On the dev splits it was as
     * accurate as float scores (sentences seeds 42/1/2: 0.842 vs 0.840 mean with the rule; spam
     * 0.9913 both) and removes the float q·kᵀ and the exp per score from every block
     * (docs/training.md, docs/engine.md).
     */
    public static final boolean DEFAULT_BINARY_ATTENTION = true;

    /**
     * Word dropout of the defaults. Training loss falls below 0.05 by the fourth pass over a small
     * set (sentences) while dev accuracy stalls; leaving 10% of the tokens out of each training
     * sequence raised the mean last-exit dev accuracy over seeds 42/1/2 from 0.777 to 0.789
     * (0.2 gave 0.782; docs/training.md).
     */
    public static final float DEFAULT_TOKEN_DROPOUT = 0.1f;

    /** {@code epochs} value meaning "choose from the training-set size". */
    public static final int AUTO_EPOCHS = 0;
    /** Auto epochs: about this many records are seen in all (small sets get more passes). */
    public static final int AUTO_RECORD_BUDGET = 12_000;
    public static final int AUTO_MAX_EPOCHS = 8;

    /**
     * Epochs for a training split of {@code records}: the given number, or with {@link #AUTO_EPOCHS}
     * {@code clamp(AUTO_RECORD_BUDGET / records, 1, AUTO_MAX_EPOCHS)} — so a small set gets several
     * passes and a large one a single pass, keeping wall time roughly bounded on a small machine.
     */
    public int epochsFor(int records) {
        if (epochs != AUTO_EPOCHS) {
            return epochs;
        }
        return Math.max(1, Math.min(AUTO_MAX_EPOCHS, AUTO_RECORD_BUDGET / Math.max(1, records)));
    }

    public TokenizerOptions tokenizerOptions() {
        return new TokenizerOptions(maxTokens, maxVocab, minCount);
    }

    /** Exits of the trained network: blocks, plus exit 0 with the lexical path. */
    public int exits() {
        return blocks + (lexical.enabled() ? 1 : 0);
    }

    /** Normalized (sum 1) soft-routing weights, one per exit (exit 0 first). */
    public float[] exitWeightValues() {
        return exitWeights(exitWeights, exits());
    }

    public TrainOptions withLexical(LexicalOptions lexical) {
        return with(o -> o.lexical = lexical);
    }

    /** The paper's network ({@code --arch paper}), unchanged: no lexical path, one exit per block, float attention scores. */
    public TrainOptions paper() {
        return withLexical(LexicalOptions.NONE).withBinaryAttention(false);
    }

    static float[] exitWeights(String spec, int blocks) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        float[] w = new float[blocks];
        if (s.equals("linear")) {
            for (int i = 0; i < blocks; i++) {
                w[i] = i + 1;
            }
        } else if (s.equals("uniform")) {
            java.util.Arrays.fill(w, 1f);
        } else if (s.equals("last")) {
            w[blocks - 1] = 1f;
        } else {
            String[] parts = s.split(",");
            if (parts.length != blocks) {
                throw new IllegalArgumentException("exit weights '" + spec + "': expected linear, uniform, last or "
                        + blocks + " comma-separated numbers (one per exit)");
            }
            for (int i = 0; i < blocks; i++) {
                try {
                    w[i] = Float.parseFloat(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("exit weights '" + spec + "': '" + parts[i].trim() + "' is not a number");
                }
                require(w[i] >= 0 && Float.isFinite(w[i]), "exit weights '" + spec + "': weights must be >= 0");
            }
        }
        float sum = 0f;
        for (float v : w) {
            sum += v;
        }
        require(sum > 0, "exit weights '" + spec + "': at least one weight must be > 0");
        for (int i = 0; i < blocks; i++) {
            w[i] /= sum;
        }
        return w;
    }

    public TrainOptions withShape(int dim, int heads, int blocks, int slfnHidden, int maxTokens) {
        return with(o -> {
            o.dim = dim;
            o.heads = heads;
            o.blocks = blocks;
            o.slfnHidden = slfnHidden;
            o.maxTokens = maxTokens;
        });
    }

    /**
     * These options with the shape of {@code model} (width, heads, blocks, SLFN, tokens, precision,
     * lexical table) and no lexical pre-training: what a warm start from that model trains with.
     * The tokenizer settings are unused then (the model's tokenizer is kept).
     */
    public TrainOptions withShapeOf(ModelConfig model) {
        LexicalOptions lex = !model.lexical() ? LexicalOptions.NONE : new LexicalOptions(model.lexBuckets(), model.lexDim(),
                lexical.enabled() ? lexical.lrScale() : LexicalOptions.DEFAULT_LR_SCALE, 0);
        return withLexical(lex).withShape(model.dim(), model.heads(), model.blocks(), model.slfnHidden(), model.maxTokens())
                .withPrecision(model.precision()).withBinaryAttention(model.binaryAttention());
    }

    public TrainOptions withBinaryAttention(boolean binary) {
        return with(o -> o.binaryAttention = binary);
    }

    /** These options at precision {@code p}; float precision has float attention scores. */
    public TrainOptions withPrecision(Precision p) {
        return with(o -> {
            o.precision = p;
            o.binaryAttention &= p == Precision.BINARY;
        });
    }

    public TrainOptions withSchedule(int epochs, int batchSize, float learningRate) {
        return with(o -> {
            o.epochs = epochs;
            o.batchSize = batchSize;
            o.learningRate = learningRate;
        });
    }

    public TrainOptions withSeed(long seed) {
        return with(o -> o.seed = seed);
    }

    public TrainOptions withThreads(int threads) {
        return with(o -> o.threads = threads);
    }

    public TrainOptions withRegularization(float dropout, float weightDecay, float gradClip) {
        return with(o -> {
            o.dropout = dropout;
            o.weightDecay = weightDecay;
            o.gradClip = gradClip;
        });
    }

    public TrainOptions withTokenDropout(float tokenDropout) {
        return with(o -> o.tokenDropout = tokenDropout);
    }

    public TrainOptions withExitWeights(String spec) {
        return with(o -> o.exitWeights = spec);
    }

    public TrainOptions withVocabulary(int maxVocab, int minCount) {
        return with(o -> {
            o.maxVocab = maxVocab;
            o.minCount = minCount;
        });
    }

    public TrainOptions withWarmup(float warmup) {
        return with(o -> o.warmup = warmup);
    }

    public TrainOptions withExitTolerance(double tolerance) {
        return with(o -> o.exitTolerance = tolerance);
    }

    public TrainOptions withHardBudget(double budget) {
        return with(o -> o.hardBudget = budget);
    }

    /** These options with {@code change} applied, validated again. */
    private TrainOptions with(Consumer<Fields> change) {
        Fields o = new Fields(this);
        change.accept(o);
        return o.build();
    }

    /** The components as mutable fields: a wither changes a few and builds a new record. */
    private static final class Fields {
        int dim, heads, blocks, slfnHidden, maxTokens, maxVocab, minCount;
        Precision precision;
        int epochs, batchSize;
        float learningRate, warmup, weightDecay, gradClip, dropout, tokenDropout;
        String exitWeights;
        long seed;
        int threads;
        double exitTolerance, hardBudget;
        LexicalOptions lexical;
        boolean binaryAttention;

        Fields(TrainOptions o) {
            binaryAttention = o.binaryAttention;
            dim = o.dim;
            heads = o.heads;
            blocks = o.blocks;
            slfnHidden = o.slfnHidden;
            maxTokens = o.maxTokens;
            maxVocab = o.maxVocab;
            minCount = o.minCount;
            precision = o.precision;
            epochs = o.epochs;
            batchSize = o.batchSize;
            learningRate = o.learningRate;
            warmup = o.warmup;
            weightDecay = o.weightDecay;
            gradClip = o.gradClip;
            dropout = o.dropout;
            tokenDropout = o.tokenDropout;
            exitWeights = o.exitWeights;
            seed = o.seed;
            threads = o.threads;
            exitTolerance = o.exitTolerance;
            hardBudget = o.hardBudget;
            lexical = o.lexical;
        }

        TrainOptions build() {
            return new TrainOptions(dim, heads, blocks, slfnHidden, maxTokens, maxVocab, minCount, precision, epochs,
                    batchSize, learningRate, warmup, weightDecay, gradClip, dropout, tokenDropout, exitWeights, seed,
                    threads, exitTolerance, hardBudget, lexical, binaryAttention);
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
