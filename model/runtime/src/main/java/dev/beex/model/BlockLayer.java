package dev.beex.model;

/**
 * The eight linear layers of a block, declared in the one order that parameters, the
 * artifact's tensors and binary matrices, training and the engine all use (the ordinal is the
 * index). Each layer names its tensors and says which activation it reads, so the shapes and
 * the binarization shift of its input follow from here rather than from position numbers.
 *
 * <p>Block math (model/README.md): {@code x1 = LN1(x + O(attn(Q x, K x, V x)))},
 * {@code x2 = LN2(x1 + G2(σ(G1 x1)) ⊙ F2(tanh(F1 x1)))}.
 */
public enum BlockLayer {
    Q("q", Input.BLOCK_INPUT),
    K("k", Input.BLOCK_INPUT),
    V("v", Input.BLOCK_INPUT),
    O("o", Input.ATTENTION),
    G1("g1", Input.NORMED),
    G2("g2", Input.GATE),
    F1("f1", Input.NORMED),
    F2("f2", Input.FILTER);

    /** Number of linear layers per block. */
    public static final int COUNT = values().length;

    private static final BlockLayer[] BY_INDEX = values();

    /** The activations a layer can read. Layers reading the same one may share its binarization. */
    public enum Input {
        /** The block input x (width d). */
        BLOCK_INPUT(false, 0f),
        /** The attention output (width d). */
        ATTENTION(false, 0f),
        /** {@code x1 = LN1(...)}, the SLFN's input (width d). */
        NORMED(false, 0f),
        /**
         * {@code σ(G1 x1)} (width h). Sigmoid outputs are all positive: binarized around 0 they
         * would all be +1, so they are binarized around 0.5 (see {@link LinearParams}).
         */
        GATE(true, 0.5f),
        /** {@code tanh(F1 x1)} (width h). */
        FILTER(true, 0f);

        private final boolean hidden;
        private final float binaryShift;

        Input(boolean hidden, float binaryShift) {
            this.hidden = hidden;
            this.binaryShift = binaryShift;
        }

        /** Width of this activation per token: d, or the SLFN hidden width h. */
        public int width(ModelConfig c) {
            return hidden ? c.slfnHidden() : c.dim();
        }

        /** Shift c a binary model binarizes this activation around ({@code sign(x − c)}). */
        public float binaryShift() {
            return binaryShift;
        }
    }

    private final String tensorName;
    private final Input input;

    BlockLayer(String tensorName, Input input) {
        this.tensorName = tensorName;
        this.input = input;
    }

    /** The layer at {@code index} of the block order. */
    public static BlockLayer at(int index) {
        return BY_INDEX[index];
    }

    /** Name inside the block's tensor names ({@code block<i>.<name>.weight}); stable across versions. */
    public String tensorName() {
        return tensorName;
    }

    /** The activation this layer reads. */
    public Input input() {
        return input;
    }

    /** Input width. */
    public int in(ModelConfig c) {
        return input.width(c);
    }

    /** Output width: G1 and F1 widen d to h, every other layer outputs d. */
    public int out(ModelConfig c) {
        return this == G1 || this == F1 ? c.slfnHidden() : c.dim();
    }

    /** Activation shift of this layer in a model of the given config (0 for float models: unused). */
    public float actShift(ModelConfig c) {
        return c.binary() ? input.binaryShift() : 0f;
    }
}
