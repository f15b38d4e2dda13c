package dev.beex.model.artifact;

import dev.beex.model.ModelParams;
import dev.beex.model.Tensor;
import dev.beex.model.engine.BinaryMatrix;
import dev.beex.model.engine.PackedParams;
import java.util.ArrayList;
import java.util.List;

/**
 * The precision an artifact stores parameters in: every α and float parameter rounded to
 * binary16 (round to nearest even). {@link ArtifactWriter} rounds the model BEFORE computing the
 * self-tests, so the stored model, {@link ModelArtifact#params()} and the engine are exactly the
 * model that was tested.
 */
final class StoredPrecision {
    private StoredPrecision() {
    }

    /**
     * {@code p} with every α and float parameter rounded to binary16. A value outside
     * ±{@value Float16#MAX_VALUE} or not finite is rejected rather than stored as infinity.
     */
    static PackedParams round(PackedParams p) {
        ModelParams floats = new ModelParams(p.config());
        floats.copyFrom(p.decoded());
        for (Tensor t : ArtifactFormat.floatTensors(floats)) {
            float[] data = t.data();
            for (int i = 0; i < data.length; i++) {
                data[i] = half(data[i], t.name(), i);
            }
        }
        List<BinaryMatrix> binary = new ArrayList<>(p.binary().size());
        for (int m = 0; m < p.binary().size(); m++) {
            BinaryMatrix b = p.binary().get(m);
            float[] alpha = new float[b.rows];
            for (int r = 0; r < b.rows; r++) {
                alpha[r] = half(b.alpha[r], "scale of binary tensor " + m, r);
            }
            binary.add(new BinaryMatrix(b.rows, b.cols, alpha, b.bits));
        }
        return PackedParams.withBinary(floats, binary);
    }

    private static float half(float v, String tensor, int index) {
        if (!Float16.fits(v)) {
            throw new IllegalArgumentException(tensor + "[" + index + "] = " + v
                    + " does not fit the artifact's float16 range (±" + Float16.MAX_VALUE + ")");
        }
        return Float16.round(v);
    }
}
