package dev.beex.operators;

import dev.beex.schemas.ModelUpdate;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Decodes control-topic messages (Avro single-object {@link ModelUpdate}) into
 * {@link ControlMessage}s with their position. A message that does not decode is passed on with
 * its problem (the decision turns it into one REJECTED event) instead of failing the job, and so
 * that the decision still counts it as applied.
 */
public final class ControlDecodeFunction extends ProcessFunction<RawRecord, ControlMessage> {
    private static final long serialVersionUID = 1L;
    private static final BinaryMessageDecoder<ModelUpdate> UPDATES = TopicSchemaHistory.decoder(ModelUpdate.class);

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ControlMessage> out) {
        out.collect(decode(raw));
    }

    static ControlMessage decode(RawRecord raw) {
        ModelUpdate update = null;
        String problem = null;
        if (raw.value() == null) {
            problem = "message has no value (tombstone)";
        } else {
            try {
                update = UPDATES.decode(raw.value());
            } catch (java.io.IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
                problem = "not an Avro single-object ModelUpdate: " + e.getMessage();
            }
        }
        if (problem != null) {
            problem = "undecodable control message at " + raw.position() + ": " + problem;
        }
        return new ControlMessage(update, raw.topic(), raw.partition(), raw.offset(), problem, null);
    }
}
