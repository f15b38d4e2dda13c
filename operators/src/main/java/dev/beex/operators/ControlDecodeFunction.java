package dev.beex.operators;

import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelUpdate;
import java.time.Instant;
import org.apache.avro.AvroRuntimeException;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes control-topic messages (Avro single-object {@link ModelUpdate}). A message that does not
 * decode becomes a REJECTED {@link ModelEvent} on {@link OutputTags#MODEL_EVENTS} naming its
 * position, instead of failing the job. Runs before the broadcast, so each bad message is
 * reported once.
 */
public final class ControlDecodeFunction extends ProcessFunction<RawRecord, ModelUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ModelUpdate> out) {
        String problem;
        if (raw.value() == null) {
            problem = "message has no value (tombstone)";
        } else {
            try {
                out.collect(ModelUpdate.getDecoder().decode(raw.value()));
                return;
            } catch (java.io.IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
                problem = "not an Avro single-object ModelUpdate: " + e.getMessage();
            }
        }
        ctx.output(OutputTags.MODEL_EVENTS, ModelEvent.newBuilder()
                .setType(ModelEventType.REJECTED)
                .setModelName("")
                .setVersion(0)
                .setReason("undecodable control message at " + raw.position() + ": " + problem)
                .setActiveVersion(-1) // unknown here: decoding runs before the classifier
                .setPreviousVersion(-1)
                .setTime(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setSubtask(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask())
                .build());
    }
}
