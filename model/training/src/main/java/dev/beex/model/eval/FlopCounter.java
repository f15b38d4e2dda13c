package dev.beex.model.eval;

import dev.beex.model.BlockLayer;
import dev.beex.model.ModelConfig;
import dev.beex.model.Precision;

/**
 * Analytic FLOPs of one forward pass (model/README.md) for a {@link ModelConfig} and a record
 * of n tokens. Conventions, so numbers are comparable with the BNN literature:
 * <ul>
 *   <li>every float add, subtract, multiply, divide, compare-free transcendental (exp, tanh,
 *       log, sqrt) is 1 FLOP; a multiply-add is 2;</li>
 *   <li>a binary dot product of length K (XNOR/XOR + popcount over ⌈K/64⌉ words) is
 *       {@code K/64} FLOPs: Bi-Real Net's convention, FLOPs = BOPs/64 + float FLOPs;</li>
 *   <li>binarized linear K→O, per token: {@code O·K/64} (dots) + {@code 3·O} (α·β·s and the bias)
 *       + {@code K+1} (β = mean|x−c|) + {@code K} more when the input is shifted (c ≠ 0, G2);</li>
 *   <li>float linear K→O, per token: {@code 2·K·O + O};</li>
 *   <li>attention over n tokens: scores {@code 2·n²·d}, scale {@code H·n²}, softmax
 *       {@code 4·H·n²} (subtract max, exp, sum, divide), weighted sum {@code 2·n²·d};</li>
 *   <li>LayerNorm {@code 8·d} per token (mean d, variance 3d, normalize and affine 4d); residual
 *       add d; sigmoid and tanh 4 per element; gate product d;</li>
 *   <li>embedding {@code 2·d} per token (α·sign(E) + P; float: d for the add);</li>
 *   <li>exit head: mean pool {@code n·d + d}, linear {@code 2·K·C + C} with K = d (+ D with the
 *       lexical path: the head reads {@code [pool ; lex]}), softmax {@code 4·C}, normalized entropy
 *       {@code 3·C + 1}; every block that runs pays for its exit;</li>
 *   <li>lexical path (paid by every record of a lexical model, before block 1): the sum of m
 *       feature rows {@code m·D} (binary: each is a sign-selected ±α, counted as 1 add per element),
 *       α lookups {@code m}, the 1/m scaling {@code D + 1}; exit 0: linear {@code 2·D·C + C},
 *       softmax {@code 4·C}, entropy {@code 3·C + 1}. Hashing the features is not counted (as
 *       tokenization is not).</li>
 * </ul>
 * Comparisons, sign extraction and bit packing are not counted (as in the papers compared with).
 */
public final class FlopCounter {
    private static final int SOFTMAX_PER_ELEMENT = 4;
    private static final int ACTIVATION_PER_ELEMENT = 4;
    private static final int LAYER_NORM_PER_ELEMENT = 8;

    private final ModelConfig config;

    public FlopCounter(ModelConfig config) {
        this.config = config;
    }

    public ModelConfig config() {
        return config;
    }

    /** The same architecture at float32: the baseline of the paper's FLOP comparison. */
    public FlopCounter floatBaseline() {
        return new FlopCounter(new ModelConfig(config.dim(), config.heads(), config.blocks(), config.slfnHidden(),
                config.maxTokens(), config.vocabSize(), config.numLabels(), Precision.FLOAT, config.lexBuckets(),
                config.lexDim()));
    }

    /** One linear layer, one token. */
    public double linear(int in, int out, boolean shiftedInput) {
        if (!config.binary()) {
            return 2.0 * in * out + out;
        }
        double dots = (double) out * in / 64.0;
        double scale = 3.0 * out;
        double beta = in + 1.0 + (shiftedInput ? in : 0);
        return dots + scale + beta;
    }

    /** Token plus position embedding of n tokens. */
    public double embedding(int n) {
        return (config.binary() ? 2.0 : 1.0) * n * config.dim();
    }

    /**
     * Multi-head attention scores, softmax and weighted sum (no projections). Binary scores: the
     * signs of q and k (2·n·d), one XOR + popcount per 64 columns of a head and token pair, and a
     * softmax of a table lookup, a sum and a scale per element instead of scale, max, exp, sum, scale.
     */
    public double attention(int n) {
        double nn = (double) n * n;
        int d = config.dim(), h = config.heads();
        if (config.binaryAttention()) {
            double words = h * Math.ceil(config.headDim() / 64.0);
            return 2.0 * n * d + nn * words + 3.0 * h * nn + 2 * nn * d;
        }
        return 2 * nn * d + h * nn + SOFTMAX_PER_ELEMENT * h * nn + 2 * nn * d;
    }

    /** One block over n tokens. */
    public double block(int n) {
        int d = config.dim(), hid = config.slfnHidden();
        double perToken = 0;
        for (BlockLayer layer : BlockLayer.values()) {   // Q, K, V, O, G1, G2 (input around 0.5), F1, F2
            perToken += linear(layer.in(config), layer.out(config), layer.input().binaryShift() != 0f);
        }
        perToken += d + LAYER_NORM_PER_ELEMENT * d                 // residual + LN1
                + 2 * ACTIVATION_PER_ELEMENT * hid                  // sigmoid after G1, tanh after F1
                + d + d + LAYER_NORM_PER_ELEMENT * d;               // g ⊙ f, residual, LN2
        return n * perToken + attention(n);
    }

    /** Pooling, exit linear, softmax and entropy after one block. */
    public double exitHead(int n) {
        int d = config.dim(), k = config.blockExitInput(), c = config.numLabels();
        return (double) n * d + d + 2.0 * k * c + c + SOFTMAX_PER_ELEMENT * c + 3.0 * c + 1;
    }

    /** The lexical vector of m features and exit 0 on it (0 for the paper network). */
    public double lexical(int features) {
        if (!config.lexical()) {
            return 0;
        }
        int dl = config.lexDim(), c = config.numLabels();
        return (double) features * dl + features + dl + 1
                + 2.0 * dl * c + c + SOFTMAX_PER_ELEMENT * c + 3.0 * c + 1;
    }

    /**
     * A record of n tokens and {@code features} lexical features (ignored by the paper network)
     * that leaves at exit {@code exit} (0-based; {@link ModelConfig#exits()}).
     */
    public double atExit(int n, int features, int exit) {
        if (exit < 0 || exit >= config.exits()) {
            throw new IllegalArgumentException("exit " + exit + " outside [0, " + config.exits() + ")");
        }
        return record(n, config.blocksAtExit(exit), features);
    }

    /**
     * A record of n tokens that runs {@code blocksRun} blocks, each with its exit, after the
     * lexical path of {@code features} features (lexical models only: 0 blocks = answered by exit
     * 0 alone, which costs {@link #lexical(int)}; the paper network ignores {@code features} and
     * runs 1..blocks blocks).
     */
    public double record(int n, int blocksRun, int features) {
        int min = config.lexical() ? 0 : 1;
        if (blocksRun < min || blocksRun > config.blocks()) {
            throw new IllegalArgumentException("blocksRun " + blocksRun + " outside [" + min + ", " + config.blocks() + "]");
        }
        return lexical(features) + (blocksRun == 0 ? 0 : embedding(n) + blocksRun * (block(n) + exitHead(n)));
    }

    /**
     * Paper network: a record of n tokens that runs {@code blocksRun} blocks (1..blocks), each with
     * its exit. A lexical model's cost depends on the record's lexical feature count: use
     * {@link #record(int, int, int)}.
     */
    public double record(int n, int blocksRun) {
        if (config.lexical()) {
            throw new IllegalArgumentException("a lexical model's cost needs the record's lexical feature count");
        }
        return record(n, blocksRun, 0);
    }

    /** A record of n tokens through every block (paper network; see {@link #record(int, int, int)}). */
    public double fullDepth(int n) {
        return record(n, config.blocks());
    }

    /** A record of n tokens and {@code features} lexical features through every block. */
    public double fullDepth(int n, int features) {
        return record(n, config.blocks(), features);
    }
}
