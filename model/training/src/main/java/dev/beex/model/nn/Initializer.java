package dev.beex.model.nn;

import dev.beex.model.BlockParams;
import dev.beex.model.LayerNormParams;
import dev.beex.model.LinearParams;
import dev.beex.model.ModelParams;
import java.util.Arrays;

/**
 * Deterministic initialization from a seed.
 * <ul>
 *   <li>linear weights (binarized or float): uniform ±1/sqrt(in) (Xavier-like). For latent
 *       binarized weights this keeps every |W| &lt; 1, where ApproxSign's F' is non-zero, and
 *       small enough that Adam steps flip signs early in training; biases 0;</li>
 *   <li>token embedding: uniform ±0.1; position embedding: uniform ±0.02;</li>
 *   <li>LayerNorm: γ = 1, β = 0; exit heads: uniform ±1/sqrt(in), bias 0;</li>
 *   <li>lexical path (drawn last, so the paper network's draws are unchanged): table uniform
 *       ±{@link #LEX_TABLE_BOUND}, exit 0's head like the other exit heads.</li>
 * </ul>
 */
public final class Initializer {
    private Initializer() {
    }

    public static void init(ModelParams p, long seed) {
        Rng rng = new Rng(seed);
        fill(p.tokenEmbedding, 0.1f, rng);
        fill(p.positionEmbedding, 0.02f, rng);
        for (BlockParams b : p.blocks) {
            for (LinearParams l : b.linears()) {
                linear(l, rng);
            }
            norm(b.norm1);
            norm(b.norm2);
        }
        for (LinearParams h : p.exitHeads) {
            linear(h, rng);
        }
        if (p.config.lexical()) {
            fill(p.lexTable, LEX_TABLE_BOUND, rng);
            linear(p.lexHead, rng);
        }
    }

    /** Initial latent values of the lexical table: as the token embedding. */
    public static final float LEX_TABLE_BOUND = 0.1f;

    private static void linear(LinearParams l, Rng rng) {
        fill(l.weight, (float) (1.0 / Math.sqrt(l.in)), rng);
        Arrays.fill(l.bias, 0f);
    }

    private static void norm(LayerNormParams n) {
        Arrays.fill(n.gamma, 1f);
        Arrays.fill(n.beta, 0f);
    }

    private static void fill(float[] a, float bound, Rng rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.uniform(-bound, bound);
        }
    }
}
