package dev.beex.model.engine;

import static dev.beex.model.BlockLayer.F1;
import static dev.beex.model.BlockLayer.F2;
import static dev.beex.model.BlockLayer.G1;
import static dev.beex.model.BlockLayer.G2;
import static dev.beex.model.BlockLayer.K;
import static dev.beex.model.BlockLayer.O;
import static dev.beex.model.BlockLayer.Q;
import static dev.beex.model.BlockLayer.V;

import dev.beex.model.BitPacking;
import dev.beex.model.BlockLayer;
import dev.beex.model.LayerNormParams;
import dev.beex.model.ModelConfig;
import dev.beex.model.exit.Entropy;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.kernels.AttentionKernel;
import dev.beex.model.kernels.ExitKernel;
import dev.beex.model.kernels.Kernels;
import dev.beex.model.kernels.MatMul;
import dev.beex.model.text.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores texts with a BEExformer, one block at a time, stopping at the exit rule: an early exit
 * really skips every later block. Binary models run bit-packed kernels ({@link BinaryLinear});
 * only LayerNorm, attention scores and softmax, sigmoid/tanh, pooling and the exit heads are
 * float. The math is model/README.md's; the float parts call the training path's kernels
 * ({@link Kernels}, {@link AttentionKernel}, {@link ExitKernel}) so both round alike.
 *
 * <p><b>Threading:</b> NOT thread-safe. Every scratch buffer is sized once, for
 * {@code maxTokens}, when the engine is built, and reused by every call; scoring into a
 * {@link ScoreResult} allocates nothing. Use one engine per thread (per Flink subtask);
 * engines of the same model share the immutable {@link EngineModel}.
 */
public final class InferenceEngine {
    private final EngineModel model;
    private final Tokenizer tokenizer;
    /** This engine's own encoder (tokenizer scratch), not the tokenizer's thread-local one. */
    private final Tokenizer.Encoder encoder;
    private final List<String> labels;
    private final ExitRule exitRule;

    private final int d;
    private final int heads;
    private final int hidden;
    private final int numLabels;
    private final int blocks;
    private final int exits;
    private final int maxTokens;
    /** The lexical path and its exit 0 (null for the paper network). */
    private final LexicalExit lexical;

    // Scratch, sized once for maxTokens (see the threading note).
    private final int[] ids;
    private final float[] x;
    private final float[] q;
    private final float[] k;
    private final float[] v;
    private final float[] attn;
    private final float[] proj;
    private final float[] x1;
    private final float[] gate;
    private final float[] filter;
    private final float[] gateOut;
    private final float[] filterOut;
    private final AttentionKernel.Buffers attnBuffers;
    private final boolean binaryAttention;
    /** Products of the dense float kernels (holds their row scratch). */
    private final MatMul matMul;
    private final float[] pool;
    private final float[] probs;
    private final PackedActivations packed;
    /** The block activation {@link #packed} holds (null: none of this block yet). */
    private BlockLayer.Input packedInput;
    private final ScoreResult result;
    private long blocksRun;

    public InferenceEngine(EngineModel model, Tokenizer tokenizer, List<String> labels, ExitRule exitRule) {
        ModelConfig c = model.config;
        if (labels.size() != c.numLabels()) {
            throw new IllegalArgumentException(labels.size() + " labels for a model with " + c.numLabels());
        }
        if (tokenizer != null && tokenizer.maxTokens() > c.maxTokens()) {
            throw new IllegalArgumentException("tokenizer encodes up to " + tokenizer.maxTokens()
                    + " tokens, the model takes " + c.maxTokens());
        }
        this.model = model;
        this.tokenizer = tokenizer;
        this.encoder = tokenizer == null ? null : tokenizer.newEncoder();
        this.labels = List.copyOf(labels);
        this.exitRule = exitRule;
        this.d = c.dim();
        this.heads = c.heads();
        this.hidden = c.slfnHidden();
        this.numLabels = c.numLabels();
        this.blocks = c.blocks();
        this.exits = c.exits();
        this.maxTokens = c.maxTokens();
        this.lexical = model.lexical == null ? null : new LexicalExit(model.lexical);
        int td = maxTokens * d, th = maxTokens * hidden;
        this.ids = new int[maxTokens];
        this.x = new float[td];
        this.q = new float[td];
        this.k = new float[td];
        this.v = new float[td];
        this.attn = new float[td];
        this.proj = new float[td];
        this.x1 = new float[td];
        this.gate = new float[th];
        this.filter = new float[th];
        this.gateOut = new float[td];
        this.filterOut = new float[td];
        this.attnBuffers = new AttentionKernel.Buffers(d, heads, maxTokens);
        this.binaryAttention = c.binaryAttention();
        this.matMul = new MatMul(Math.max(d, hidden));
        this.pool = new float[c.blockExitInput()];   // [pool ; lex]
        this.probs = new float[numLabels];
        this.packed = new PackedActivations(maxTokens, Math.max(d, hidden));
        this.result = new ScoreResult(numLabels, blocks, exits);
    }

    public ModelConfig config() {
        return model.config;
    }

    public List<String> labels() {
        return labels;
    }

    public ExitRule exitRule() {
        return exitRule;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Blocks this engine has run since it was built (shows that early exits skip work). */
    public long blocksRun() {
        return blocksRun;
    }

    /** Scores one text (allocates the returned {@link Prediction}). */
    public Prediction score(String text) {
        score(text, result);
        return result.toPrediction(labels);
    }

    /**
     * Scores one text into {@code reuse}; allocates nothing. A lexical model asks exit 0 before the
     * text is tokenized: a record that leaves there is never tokenized ({@code reuse.tokens} = 0),
     * which on long texts is most of what exit 0 would otherwise cost.
     */
    public void score(String text, ScoreResult reuse) {
        if (lexical == null) {
            run(ids, encode(text), exitRule, reuse, null);
            return;
        }
        prepareLexical(text);
        reuse.tokens = 0;
        if (exitZero(exitRule, reuse, null)) {
            return;
        }
        int n = encode(text);
        reuse.tokens = n;
        runBlocks(ids, n, 1, exitRule, reuse, null);
    }

    /**
     * Scores {@code text} already encoded to {@code ids[0..n)} by the caller (its lexical features
     * come from {@code text}) into {@code reuse} with the engine's exit rule; allocates nothing.
     */
    public void scoreEncoded(String text, int[] tokenIds, int n, ScoreResult reuse) {
        checkLength(n);
        prepareLexical(text);
        run(tokenIds, n, exitRule, reuse, null);
    }

    /** Scores token ids {@code ids[0..n)} into {@code reuse} (paper network only: a lexical model needs the text). */
    public void score(int[] tokenIds, int n, ScoreResult reuse) {
        checkLength(n);
        requireNoLexical();
        run(tokenIds, n, exitRule, reuse, null);
    }

    /** Scores a batch, one record after another (each leaves at its own exit). */
    public List<Prediction> score(List<String> texts) {
        List<Prediction> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(score(t));
        }
        return out;
    }

    /** Full depth, every exit's probabilities {@code [exits][numLabels]} (for evaluation and parity). */
    public float[][] scoreAllExits(String text) {
        int n = encode(text);
        return allExits(text, ids, n);
    }

    /** Full depth over token ids {@code ids[0..n)} (paper network only): {@code [exits][numLabels]}. */
    public float[][] allExits(int[] tokenIds, int n) {
        requireNoLexical();
        return allExits(null, tokenIds, n);
    }

    /**
     * Full depth over {@code text}'s token ids {@code ids[0..n)} (encoded by the caller) and, for a
     * lexical model, its lexical features: {@code [exits][numLabels]}, exit 0 first.
     */
    public float[][] allExits(String text, int[] tokenIds, int n) {
        checkLength(n);
        prepareLexical(text);
        float[][] all = new float[exits][numLabels];
        run(tokenIds, n, ExitRule.FULL_DEPTH, result, all);
        return all;
    }

    private void prepareLexical(String text) {
        if (lexical != null) {
            if (text == null) {
                throw new IllegalStateException("this model has a lexical path: score the text, not token ids");
            }
            lexical.prepare(text);
            lexical.appendTo(pool, d);
        }
    }

    private void requireNoLexical() {
        if (lexical != null) {
            throw new IllegalStateException("this model has a lexical path: score the text, not token ids");
        }
    }

    private int encode(String text) {
        if (encoder == null) {
            throw new IllegalStateException("this engine was built without a tokenizer: score token ids");
        }
        return encoder.encode(text, ids);
    }

    private void checkLength(int n) {
        if (n < 1 || n > maxTokens) {
            throw new IllegalArgumentException("token count " + n + " outside [1, " + maxTokens + "]");
        }
    }

    /**
     * Exit 0 on the lexical vector (lexical models, prepared by the caller), then embeds and runs
     * block after block until {@code rule} fires (or the last exit: hard if it did not fire there).
     */
    private void run(int[] tokenIds, int n, ExitRule rule, ScoreResult r, float[][] allProbs) {
        r.tokens = n;
        if (lexical != null && exitZero(rule, r, allProbs)) {
            return;
        }
        runBlocks(tokenIds, n, lexical == null ? 0 : 1, rule, r, allProbs);
    }

    /** Exit 0 on the prepared lexical vector; true when the record leaves there. */
    private boolean exitZero(ExitRule rule, ScoreResult r, float[][] allProbs) {
        lexical.exitProbabilities(probs);
        return leave(0, 0, rule, r, allProbs);
    }

    /** Embeds and runs block after block, exits from {@code firstExit} on, until {@code rule} fires or the last exit. */
    private void runBlocks(int[] tokenIds, int n, int firstExit, ExitRule rule, ScoreResult r, float[][] allProbs) {
        int e = firstExit;
        embed(tokenIds, n);
        for (int b = 0; b < blocks; b++) {
            block(b, n);
            blocksRun++;
            exitHead(b, n, probs);
            if (leave(e++, b + 1, rule, r, allProbs)) {
                return;
            }
        }
    }

    /** Records exit {@code e}'s outputs ({@link #probs}); true when the record leaves there. */
    private boolean leave(int e, int blocksDone, ExitRule rule, ScoreResult r, float[][] allProbs) {
        if (allProbs != null) {
            System.arraycopy(probs, 0, allProbs[e], 0, numLabels);
        }
        r.exitEntropies[e] = Entropy.normalized(probs, numLabels);
        r.exitLabels[e] = Entropy.argmax(probs, numLabels);
        r.exitConfidences[e] = probs[r.exitLabels[e]];
        // The rule is asked at the last exit too: a record it never fires for is a hard example.
        boolean fired = rule.shouldExit(e, r.exitEntropies, r.exitLabels, r.exitConfidences);
        if (fired || e == exits - 1) {
            r.exit = e;
            r.exitBlock = blocksDone;
            r.hard = !fired;
            r.labelIndex = r.exitLabels[e];
            r.confidence = probs[r.labelIndex];
            System.arraycopy(probs, 0, r.probabilities, 0, numLabels);
            return true;
        }
        return false;
    }

    /** {@code x_j = α_t·sign(E_t) + P_j} (binary) or {@code E_t + P_j} (float). */
    private void embed(int[] tokenIds, int n) {
        float[] pos = model.position;
        int vocab = model.config.vocabSize();
        for (int j = 0; j < n; j++) {
            int t = tokenIds[j];
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("token id " + t + " outside the vocabulary [0, " + vocab + ")");
            }
            int xo = j * d;
            if (model.embedBits != null) {
                BinaryMatrix e = model.embedBits;
                float a = model.embedAlpha[t];
                long[] bits = e.bits;
                int wo = t * e.words;
                for (int c = 0; c < d; c++) {
                    x[xo + c] = BitPacking.scaledSign(bits, wo, c, a) + pos[xo + c];
                }
            } else {
                float[] e = model.embedFloat;
                int eo = t * d;
                for (int c = 0; c < d; c++) {
                    x[xo + c] = e[eo + c] + pos[xo + c];
                }
            }
        }
    }

    /** One post-LN block, in place on {@link #x}. */
    private void block(int b, int n) {
        packedInput = null;   // a new block: x has changed
        // Q, K, V read the same input x: it is binarized once (see linear).
        linear(b, Q, x, n, q);
        linear(b, K, x, n, k);
        linear(b, V, x, n, v);
        if (binaryAttention) {
            AttentionKernel.attendBinary(q, k, v, n, d, heads, attnBuffers, attn);
        } else {
            AttentionKernel.attend(q, k, v, n, d, heads, attnBuffers, attn);
        }
        linear(b, O, attn, n, proj);
        for (int i = 0; i < n * d; i++) {
            proj[i] += x[i];
        }
        layerNorm(proj, n, model.norm1[b], x1);
        // SLFN: g = G2(sigmoid(G1 x1)), f = F2(tanh(F1 x1)), x2 = LN2(x1 + g ⊙ f).
        linear(b, G1, x1, n, gate);
        linear(b, F1, x1, n, filter);
        int nh = n * hidden;
        // One array per loop: HotSpot vectorizes the rational tanh/sigmoid (Kernels).
        for (int i = 0; i < nh; i++) {
            gate[i] = Kernels.sigmoid(gate[i]);
        }
        for (int i = 0; i < nh; i++) {
            filter[i] = Kernels.tanh(filter[i]);
        }
        linear(b, G2, gate, n, gateOut);
        linear(b, F2, filter, n, filterOut);
        for (int i = 0; i < n * d; i++) {
            proj[i] = x1[i] + gateOut[i] * filterOut[i];
        }
        layerNorm(proj, n, model.norm2[b], x);
    }

    /** LayerNorm of each token row (the training path's kernel, so both round alike). */
    private void layerNorm(float[] z, int n, LayerNormParams p, float[] out) {
        for (int t = 0; t < n; t++) {
            Kernels.layerNorm(z, t * d, out, t * d, d, p, null, 0);
        }
    }

    /**
     * Runs {@code layer} of block {@code b} on {@code in} (the activation {@link BlockLayer#input()}
     * names). A binary layer binarizes it first unless the last packing was of the same input
     * in this block (K, V after Q; F1 after G1); the kernel refuses a packing at another shift.
     */
    private void linear(int b, BlockLayer layer, float[] in, int n, float[] out) {
        LinearKernel kernel = model.linear(b, layer);
        if (kernel.binary() && packedInput != layer.input()) {
            packed.pack(in, n, kernel.in(), kernel.shift());
            packedInput = layer.input();
        }
        kernel.forward(in, packed, matMul, n, out);
    }

    /**
     * Mean-pools x over the n tokens into {@code pool[0..d)} (a lexical model's vector sits in
     * {@code pool[d..d+D)}), applies the exit head of block {@code b}, softmax into {@code p}.
     */
    private void exitHead(int b, int n, float[] p) {
        ExitKernel.pool(x, n, d, pool);
        ExitKernel.probabilities(model.exitHeads[b], pool, p);
    }
}
