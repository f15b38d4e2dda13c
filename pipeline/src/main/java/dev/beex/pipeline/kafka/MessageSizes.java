package dev.beex.pipeline.kafka;

import dev.beex.operators.ClassifyOptions;

/**
 * The Kafka message sizes beex relies on, stated once (docs/pipeline-and-deploy.md, "Message sizes").
 *
 * <ul>
 *   <li>Models travel inline in control messages, so the largest control message bounds the
 *       largest inline artifact: {@link #MAX_CONTROL_MESSAGE_BYTES}.</li>
 *   <li>Every producer beex configures (the control producer and the job's sinks) may send a
 *       message that large, {@link #MAX_REQUEST_BYTES}; the job's output bounds never exceed it.</li>
 *   <li>Every consumer beex configures fetches at least two such messages per partition,
 *       {@link #MAX_PARTITION_FETCH_BYTES}.</li>
 *   <li>{@link ClassifyOptions#DEFAULT_MAX_ARTIFACT_BYTES} (64 MiB) is larger on purpose: it
 *       bounds artifacts fetched by URI, which do not travel through Kafka.</li>
 * </ul>
 */
public final class MessageSizes {
    /**
     * Largest control message (an inline artifact and its envelope). Brokers and the control
     * topic must accept it: {@code message.max.bytes} of the demo's broker and deploy/kafka.
     */
    public static final int MAX_CONTROL_MESSAGE_BYTES = 8 * 1024 * 1024;
    /** {@code max.request.size} of every beex producer: a control message fits. */
    public static final int MAX_REQUEST_BYTES = MAX_CONTROL_MESSAGE_BYTES;
    /** {@code max.partition.fetch.bytes} of every beex consumer: two largest control messages. */
    public static final int MAX_PARTITION_FETCH_BYTES = 2 * MAX_CONTROL_MESSAGE_BYTES;

    private MessageSizes() {
    }
}
