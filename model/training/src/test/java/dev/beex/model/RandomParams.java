package dev.beex.model;

import dev.beex.model.nn.Initializer;
import java.util.Random;

/** Test parameters in which every tensor matters (random biases, LayerNorm, confident exit heads). */
public final class RandomParams {
    private RandomParams() {
    }

    /** Initializer weights plus random biases and LayerNorm parameters, so folded biases matter. */
    public static ModelParams of(ModelConfig c, long seed) {
        ModelParams p = new ModelParams(c);
        Initializer.init(p, seed);
        Random r = new Random(seed);
        for (BlockParams b : p.blocks) {
            for (LinearParams l : b.linears()) {
                for (int i = 0; i < l.bias.length; i++) {
                    l.bias[i] = (float) r.nextGaussian() * 0.3f;
                }
            }
            for (LayerNormParams n : new LayerNormParams[] {b.norm1, b.norm2}) {
                for (int i = 0; i < n.gamma.length; i++) {
                    n.gamma[i] = 1f + (float) r.nextGaussian() * 0.2f;
                    n.beta[i] = (float) r.nextGaussian() * 0.2f;
                }
            }
        }
        for (LinearParams h : p.exitHeads) {
            for (int i = 0; i < h.weight.length; i++) {
                h.weight[i] *= 4f;   // confident enough heads that exit rules fire at varied blocks
            }
            for (int i = 0; i < h.bias.length; i++) {
                h.bias[i] = (float) r.nextGaussian() * 0.5f;
            }
        }
        if (p.lexHead != null) {
            for (int i = 0; i < p.lexHead.weight.length; i++) {
                p.lexHead.weight[i] *= 4f;
            }
            for (int i = 0; i < p.lexHead.bias.length; i++) {
                p.lexHead.bias[i] = (float) r.nextGaussian() * 0.5f;
            }
        }
        return p;
    }
}
