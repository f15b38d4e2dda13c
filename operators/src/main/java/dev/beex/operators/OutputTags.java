package dev.beex.operators;

import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ShadowComparison;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/** Side outputs of the beex functions, each typed with its Avro class (no Kryo fallback). */
public final class OutputTags {

    /** Records that ran every block ({@link ClassifyFunction}); they also get a normal prediction. */
    public static final OutputTag<HardExample> HARD_EXAMPLES =
            new OutputTag<>("beex-hard-examples", new AvroTypeInfo<>(HardExample.class));

    /** Input that could not be processed ({@link DecodeFunction}, and the hold-buffer overflow of {@link ClassifyFunction}). */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("beex-dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    /** What happened to control messages: one set of events per message, from {@link ModelControlFunction}. */
    public static final OutputTag<ModelEvent> MODEL_EVENTS =
            new OutputTag<>("beex-model-events", new AvroTypeInfo<>(ModelEvent.class));

    /** Partial active-vs-shadow counts of one classifier subtask ({@link ClassifyFunction}), for {@link ShadowGateFunction}. */
    public static final OutputTag<ShadowComparison> SHADOW_COMPARISONS =
            new OutputTag<>("beex-shadow-comparisons", new AvroTypeInfo<>(ShadowComparison.class));

    private OutputTags() {
    }
}
