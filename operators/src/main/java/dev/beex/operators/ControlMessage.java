package dev.beex.operators;

import dev.beex.schemas.ModelUpdate;

/**
 * One control-topic message on its way through the control path (decode, fetch, decide).
 * Every message, even an undecodable one, travels to the decision so that the decision knows
 * how far the control topic has been applied (that is what the bootstrap waits for).
 *
 * @param update    the decoded update; null when the message did not decode
 * @param topic     control topic
 * @param partition control partition
 * @param offset    control offset
 * @param problem   why it cannot be applied: the decode or fetch failure; null when fine
 * @param fetched   the artifact bytes fetched for a URI deploy; null otherwise
 */
public record ControlMessage(ModelUpdate update, String topic, int partition, long offset, String problem,
                             byte[] fetched) {

    /** {@code topic-partition-offset}: names the message in events and logs. */
    public String position() {
        return topic + "-" + partition + "-" + offset;
    }

    /** Whether the fetch step has to fetch an artifact by URI for this message. */
    boolean needsFetch() {
        return update != null && problem == null && fetched == null
                && (update.getArtifact() == null || update.getArtifact().remaining() == 0)
                && update.getUri() != null && !update.getUri().isBlank();
    }

    ControlMessage withFetched(byte[] bytes) {
        return new ControlMessage(update, topic, partition, offset, null, bytes);
    }

    ControlMessage withProblem(String why) {
        return new ControlMessage(update, topic, partition, offset, why, null);
    }
}
