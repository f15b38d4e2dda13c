package dev.beex.model.exit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Locale;

/**
 * When a record may leave the network. Evaluated after every exit b (0-based: exit 0 is the
 * lexical exit of a lexical model, before any block, else the exit after block 1) with the
 * normalized entropies {@code H[0..b]} and predicted labels {@code label[0..b]} of the exits
 * computed so far. "Block" below reads "exit": the rule only sees the sequence of exits. Stateless and allocation-free, so the engine, the evaluator and every
 * Flink subtask decide identically.
 *
 * <ul>
 *   <li>{@link Kind#ENTROPY_REDUCTION} (default, BEExformer): from the second block on,
 *       {@code r_b = (H_{b-1} − H_b) / max(H_{b-1}, ε)}; exit at the first block with
 *       {@code r_b < δ} (entropy stopped falling). δ = {@code threshold}.</li>
 *   <li>{@link Kind#ABSOLUTE_ENTROPY} (DeeBERT): exit at the first block with {@code H_b < S}.</li>
 *   <li>{@link Kind#PATIENCE} (PABEE): exit once the predicted label has stayed the same for
 *       {@code threshold} consecutive blocks after its first appearance.</li>
 *   <li>{@link Kind#NONE}: always run every block.</li>
 * </ul>
 * A record the rule never stops runs all blocks; reaching the last block makes it a hard example.
 */
public record ExitRule(Kind kind, float threshold) {

    public enum Kind { ENTROPY_REDUCTION, ABSOLUTE_ENTROPY, PATIENCE, NONE }

    /** Guards the division in the reduction ratio when an exit is already certain. */
    public static final float EPSILON = 1e-6f;

    public static final ExitRule FULL_DEPTH = new ExitRule(Kind.NONE, 0f);

    public ExitRule {
        if (kind == null) {
            throw new IllegalArgumentException("exit rule kind is required");
        }
        if (Float.isNaN(threshold)) {
            throw new IllegalArgumentException("exit rule threshold is NaN");
        }
        if (kind == Kind.PATIENCE && (threshold < 1 || threshold != Math.rint(threshold))) {
            throw new IllegalArgumentException("patience must be a whole number >= 1, got " + threshold);
        }
    }

    public static ExitRule entropyReduction(float delta) {
        return new ExitRule(Kind.ENTROPY_REDUCTION, delta);
    }

    public static ExitRule absoluteEntropy(float maxEntropy) {
        return new ExitRule(Kind.ABSOLUTE_ENTROPY, maxEntropy);
    }

    public static ExitRule patience(int blocks) {
        return new ExitRule(Kind.PATIENCE, blocks);
    }

    /**
     * True when the record should leave after block {@code block} (0-based).
     *
     * @param entropies normalized entropies of exits 0..block
     * @param labels    argmax labels of exits 0..block
     */
    public boolean shouldExit(int block, float[] entropies, int[] labels) {
        switch (kind) {
            case ENTROPY_REDUCTION: {
                if (block < 1) {
                    return false;
                }
                float prev = entropies[block - 1];
                float reduction = (prev - entropies[block]) / Math.max(prev, EPSILON);
                return reduction < threshold;
            }
            case ABSOLUTE_ENTROPY:
                return entropies[block] < threshold;
            case PATIENCE: {
                int need = (int) threshold;
                if (block < need) {
                    return false;
                }
                for (int i = block - need; i < block; i++) {
                    if (labels[i] != labels[block]) {
                        return false;
                    }
                }
                return true;
            }
            case NONE:
            default:
                return false;
        }
    }

    /**
     * The block (0-based) where a record with these full-depth exit outputs leaves: the first
     * block where {@link #shouldExit} holds, else the last block.
     */
    public int exitBlock(float[] entropies, int[] labels, int blocks) {
        for (int b = 0; b < blocks - 1; b++) {
            if (shouldExit(b, entropies, labels)) {
                return b;
            }
        }
        return blocks - 1;
    }

    /** Parses {@code reduction:0.05}, {@code entropy:0.3}, {@code patience:2} or {@code none}. */
    public static ExitRule parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("none") || s.equals("full")) {
            return FULL_DEPTH;
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "exit rule '" + spec + "': expected reduction:<delta>, entropy:<max>, patience:<n> or none");
        }
        String name = s.substring(0, colon);
        float value;
        try {
            value = Float.parseFloat(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("exit rule '" + spec + "': '" + s.substring(colon + 1) + "' is not a number");
        }
        switch (name) {
            case "reduction":
            case "fer":
                return entropyReduction(value);
            case "entropy":
            case "deebert":
                return absoluteEntropy(value);
            case "patience":
            case "pabee":
                return new ExitRule(Kind.PATIENCE, value);
            default:
                throw new IllegalArgumentException(
                        "exit rule '" + spec + "': unknown kind '" + name + "' (reduction, entropy, patience, none)");
        }
    }

    @Override
    public String toString() {
        switch (kind) {
            case ENTROPY_REDUCTION: return "reduction:" + threshold;
            case ABSOLUTE_ENTROPY: return "entropy:" + threshold;
            case PATIENCE: return "patience:" + (int) threshold;
            default: return "none";
        }
    }

    public void write(DataOutput out) throws IOException {
        out.writeByte(kind.ordinal());
        out.writeFloat(threshold);
    }

    public static ExitRule read(DataInput in) throws IOException {
        int k = in.readUnsignedByte();
        if (k >= Kind.values().length) {
            throw new IOException("unknown exit rule code " + k);
        }
        float t = in.readFloat();
        try {
            return new ExitRule(Kind.values()[k], t);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid exit rule: " + e.getMessage(), e);
        }
    }
}
