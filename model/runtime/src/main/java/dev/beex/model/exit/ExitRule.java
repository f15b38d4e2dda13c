package dev.beex.model.exit;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.util.Locale;

/**
 * When a record may leave the network. Evaluated after every exit e (0-based, E exits in all)
 * with the normalized entropies {@code H[0..e]}, argmax labels {@code label[0..e]} and
 * confidences (largest probability) {@code p[0..e]} of the exits computed so far. Exit 0 is the
 * lexical exit of a lexical model (before any block, E = blocks + 1), else the exit after block 1
 * (E = blocks): the rule only sees the sequence of exits. Stateless and
 * allocation-free, so the engine, the evaluator and every Flink subtask decide identically.
 *
 * <ul>
 *   <li>{@link Kind#ENTROPY_REDUCTION} (default, BEExformer): from the second exit on,
 *       {@code r_e = (H_{e-1} − H_e) / max(H_{e-1}, ε)}; fires at the first exit with
 *       {@code r_e < δ} (entropy stopped falling). δ = {@code threshold}.</li>
 *   <li>{@link Kind#ABSOLUTE_ENTROPY} (DeeBERT): fires at the first exit with {@code H_e < S}.</li>
 *   <li>{@link Kind#PATIENCE} (PABEE): fires once the predicted label has stayed the same for
 *       {@code threshold} consecutive exits after its first appearance.</li>
 *   <li>{@link Kind#NONE}: never fires: every exit runs.</li>
 * </ul>
 * <b>Confidence floor</b> (optional, {@code floor} in [0, 1], 0 = none): the rule fires at exit e
 * only if also {@code p_e >= floor}.
 *
 * <p>The rule is evaluated at every exit, the last one included. A record leaves at the first
 * exit where it fires; a record it fires at nowhere runs to the last exit, answers there and is
 * a <b>hard example</b> (still unsure at full depth). A record the rule fires for at the last
 * exit also runs everything but is not hard.
 *
 * <p>Serializable, so a job's settings can carry the parsed rule instead of its text.
 */
public record ExitRule(Kind kind, float threshold, float floor) implements Serializable {

    public enum Kind { ENTROPY_REDUCTION, ABSOLUTE_ENTROPY, PATIENCE, NONE }

    /** Guards the division in the reduction ratio when an exit is already certain. */
    public static final float EPSILON = 1e-6f;

    /** Marks a stored kind code followed by a floor (older readers reject the code instead of ignoring the floor). */
    private static final int FLOOR_FLAG = 0x80;

    public static final ExitRule FULL_DEPTH = new ExitRule(Kind.NONE, 0f, 0f);

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
        if (!(floor >= 0f && floor <= 1f)) {
            throw new IllegalArgumentException("confidence floor must be in [0, 1], got " + floor);
        }
        if (kind == Kind.NONE && floor != 0f) {
            throw new IllegalArgumentException("the rule none never fires: it takes no confidence floor");
        }
        floor = floor == 0f ? 0f : floor;   // one "no floor" (-0 would make equals and the stored form differ)
    }

    /** A rule without a confidence floor. */
    public ExitRule(Kind kind, float threshold) {
        this(kind, threshold, 0f);
    }

    public static ExitRule entropyReduction(float delta) {
        return new ExitRule(Kind.ENTROPY_REDUCTION, delta);
    }

    public static ExitRule absoluteEntropy(float maxEntropy) {
        return new ExitRule(Kind.ABSOLUTE_ENTROPY, maxEntropy);
    }

    public static ExitRule patience(int exits) {
        return new ExitRule(Kind.PATIENCE, exits);
    }

    /** This rule with confidence floor {@code f} (0 = none). */
    public ExitRule withFloor(float f) {
        return new ExitRule(kind, threshold, f);
    }

    public boolean hasFloor() {
        return floor > 0f;
    }

    /**
     * True when the rule fires at exit {@code exit} (0-based).
     *
     * @param entropies   normalized entropies of exits 0..exit
     * @param labels      argmax labels of exits 0..exit
     * @param confidences largest probability of exits 0..exit
     */
    public boolean shouldExit(int exit, float[] entropies, int[] labels, float[] confidences) {
        if (floor > 0f && !(confidences[exit] >= floor)) {
            return false;
        }
        switch (kind) {
            case ENTROPY_REDUCTION: {
                if (exit < 1) {
                    return false;
                }
                float prev = entropies[exit - 1];
                float reduction = (prev - entropies[exit]) / Math.max(prev, EPSILON);
                return reduction < threshold;
            }
            case ABSOLUTE_ENTROPY:
                return entropies[exit] < threshold;
            case PATIENCE: {
                int need = (int) threshold;
                if (exit < need) {
                    return false;
                }
                for (int i = exit - need; i < exit; i++) {
                    if (labels[i] != labels[exit]) {
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
     * The first exit (0-based) where the rule fires for a record with these full-depth exit
     * outputs, or {@code exits} when it fires at none: then the record answers at the last exit
     * and is a hard example. The engine, stopping early, takes exactly this decision.
     */
    public int firstFiring(float[] entropies, int[] labels, float[] confidences, int exits) {
        for (int e = 0; e < exits; e++) {
            if (shouldExit(e, entropies, labels, confidences)) {
                return e;
            }
        }
        return exits;
    }

    /** The exit (0-based) a record leaves at: the first where the rule fires, else the last. */
    public int exitIndex(float[] entropies, int[] labels, float[] confidences, int exits) {
        return Math.min(firstFiring(entropies, labels, confidences, exits), exits - 1);
    }

    /**
     * Parses {@code reduction:0.05}, {@code entropy:0.3}, {@code patience:2} or {@code none}, each
     * optionally followed by {@code ,floor:0.9} (exit only if the top probability is also at least 0.9).
     */
    public static ExitRule parse(String spec) {
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        float floor = 0f;
        int comma = s.indexOf(',');
        if (comma >= 0) {
            String tail = s.substring(comma + 1).trim();
            s = s.substring(0, comma).trim();
            if (!tail.startsWith("floor:")) {
                throw new IllegalArgumentException("exit rule '" + spec + "': expected ',floor:<p>' after the rule");
            }
            floor = number(spec, tail.substring("floor:".length()));
            if (!(floor >= 0f && floor <= 1f)) {
                throw new IllegalArgumentException("exit rule '" + spec + "': the floor must be in [0, 1]");
            }
        }
        if (s.equals("none") || s.equals("full")) {
            if (floor != 0f) {
                throw new IllegalArgumentException("exit rule '" + spec + "': none takes no floor");
            }
            return FULL_DEPTH;
        }
        int colon = s.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("exit rule '" + spec
                    + "': expected reduction:<delta>, entropy:<max>, patience:<n> or none, optionally ,floor:<p>");
        }
        String name = s.substring(0, colon);
        float value = number(spec, s.substring(colon + 1));
        switch (name) {
            case "reduction":
            case "fer":
                return new ExitRule(Kind.ENTROPY_REDUCTION, value, floor);
            case "entropy":
            case "deebert":
                return new ExitRule(Kind.ABSOLUTE_ENTROPY, value, floor);
            case "patience":
            case "pabee":
                return new ExitRule(Kind.PATIENCE, value, floor);
            default:
                throw new IllegalArgumentException(
                        "exit rule '" + spec + "': unknown kind '" + name + "' (reduction, entropy, patience, none)");
        }
    }

    private static float number(String spec, String text) {
        try {
            return Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("exit rule '" + spec + "': '" + text.trim() + "' is not a number");
        }
    }

    @Override
    public String toString() {
        String base;
        switch (kind) {
            case ENTROPY_REDUCTION: base = "reduction:" + threshold; break;
            case ABSOLUTE_ENTROPY: base = "entropy:" + threshold; break;
            case PATIENCE: base = "patience:" + (int) threshold; break;
            default: return "none";
        }
        return hasFloor() ? base + ",floor:" + floor : base;
    }

    /**
     * Kind code (u8) and threshold (f32), as before floors existed; with a floor the kind code
     * carries {@code 0x80} and the floor (f32) follows. A rule without a floor is stored byte for
     * byte as older versions stored it; a reader that predates floors rejects a rule with one
     * ("unknown exit rule code") rather than serving it without its floor.
     */
    public void write(DataOutput out) throws IOException {
        out.writeByte(kind.ordinal() | (hasFloor() ? FLOOR_FLAG : 0));
        out.writeFloat(threshold);
        if (hasFloor()) {
            out.writeFloat(floor);
        }
    }

    public static ExitRule read(DataInput in) throws IOException {
        int code = in.readUnsignedByte();
        int k = code & ~FLOOR_FLAG;
        if (k >= Kind.values().length) {
            throw new IOException("unknown exit rule code " + code);
        }
        float t = in.readFloat();
        float f = (code & FLOOR_FLAG) != 0 ? in.readFloat() : 0f;
        if ((code & FLOOR_FLAG) != 0 && !(f > 0f)) {
            throw new IOException("invalid exit rule: stored floor " + f + " must be > 0");
        }
        try {
            return new ExitRule(Kind.values()[k], t, f);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid exit rule: " + e.getMessage(), e);
        }
    }
}
