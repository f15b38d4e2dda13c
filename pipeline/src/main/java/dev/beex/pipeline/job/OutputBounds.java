package dev.beex.pipeline.job;

import dev.beex.operators.RecordLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RecordLimits} a job runs with: the configured bounds, lowered where an output topic's
 * {@code max.message.bytes} (or the sinks' {@code max.request.size}, {@link BeexJob#maxRequestBytes})
 * is smaller, so that no message the job writes can be refused by its producer or its topic (one
 * refused message would fail the sink's transaction and the job, forever).
 *
 * <ul>
 *   <li>dead letters: value prefix <= dead-letter topic limit - {@link RecordLimits#DEAD_LETTER_OVERHEAD_BYTES};</li>
 *   <li>predictions hold the id twice (key, field) and the attributes, all from the input message:
 *       input messages <= (predictions limit - {@link #OUTPUT_OVERHEAD_BYTES}) / 2;</li>
 *   <li>hard examples add the text (cut to the dead-letter prefix): input messages <=
 *       (hard-examples limit - overhead - text) / 2.</li>
 * </ul>
 * With {@code output.format=json} the input-derived parts count 6 times (JSON escapes).
 */
public final class OutputBounds {

    private static final Logger LOG = LoggerFactory.getLogger(OutputBounds.class);

    /** Room for labels, probabilities, entropies, model name, source position and Avro framing. */
    public static final int OUTPUT_OVERHEAD_BYTES = 16 * 1024;
    /** Kafka's default {@code max.message.bytes}, assumed when the broker's cannot be read. */
    public static final int KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
    private static final int SMALLEST_RECORD_BYTES = 1024;

    private OutputBounds() {
    }

    /** Reads the output topics' limits from the brokers and derives the job's bounds. */
    public static RecordLimits of(JobConfig config) {
        Topics t = config.topics();
        Map<String, Integer> limits = maxMessageBytes(config, List.of(t.predictions(), t.hardExamples(), t.deadLetters()));
        return derive(config, limits.get(t.predictions()), limits.get(t.hardExamples()), limits.get(t.deadLetters()));
    }

    static RecordLimits derive(JobConfig config, int predictionsTopicLimit, int hardTopicLimit, int deadLetterTopicLimit) {
        // A message must pass the sink's producer as well as its topic.
        int producerLimit = BeexJob.maxRequestBytes(config);
        int predictionsLimit = Math.min(predictionsTopicLimit, producerLimit);
        int hardLimit = Math.min(hardTopicLimit, producerLimit);
        int deadLetterLimit = Math.min(deadLetterTopicLimit, producerLimit);
        int deadLetterValue = Math.min(config.deadLetterValueBytes(), deadLetterLimit - RecordLimits.DEAD_LETTER_OVERHEAD_BYTES);
        if (deadLetterValue < 0) {
            throw new IllegalArgumentException("dead-letter topic '" + config.topics().deadLetters() + "' allows "
                    + deadLetterLimit + " bytes per message; a dead letter needs at least "
                    + RecordLimits.DEAD_LETTER_OVERHEAD_BYTES + " (raise its max.message.bytes)");
        }
        int hardText = Math.min(config.maxTextBytes(), deadLetterValue);
        int x = config.outputFormat().expansion(); // JSON output may take up to 6 bytes per input byte
        int record = Math.min(config.maxRecordBytes(), Math.min(
                (predictionsLimit - OUTPUT_OVERHEAD_BYTES) / (2 * x),
                (hardLimit - OUTPUT_OVERHEAD_BYTES - x * hardText) / (2 * x)));
        if (record < SMALLEST_RECORD_BYTES) {
            throw new IllegalArgumentException("output topics allow too little per message (predictions "
                    + predictionsLimit + ", hard examples " + hardLimit + " bytes): input messages would be limited to "
                    + record + " bytes (raise their max.message.bytes)");
        }
        RecordLimits limits = new RecordLimits(config.maxTextBytes(), record, deadLetterValue);
        if (record < config.maxRecordBytes() || deadLetterValue < config.deadLetterValueBytes()) {
            LOG.warn("Output topics' max.message.bytes lower the bounds to {} (configured: max.record.bytes {},"
                    + " dead-letter.max.value.bytes {})", limits, config.maxRecordBytes(), config.deadLetterValueBytes());
        }
        return limits;
    }

    /** How long a just-created topic may stay unknown to the broker answering (metadata propagates asynchronously). */
    static final long UNKNOWN_TOPIC_WAIT_MS = 5_000;

    /**
     * {@code max.message.bytes} of each topic. A topic the brokers do not know (yet) is asked again
     * for up to {@link #UNKNOWN_TOPIC_WAIT_MS} (it may just have been created); a topic that still does
     * not exist gets the broker's {@code message.max.bytes}, what it will have when it is created.
     */
    private static Map<String, Integer> maxMessageBytes(JobConfig config, List<String> topics) {
        Map<String, Integer> out = new HashMap<>();
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            List<String> unknown = new ArrayList<>(topics);
            long deadline = System.nanoTime() + UNKNOWN_TOPIC_WAIT_MS * 1_000_000;
            while (true) {
                List<String> still = new ArrayList<>();
                for (String topic : unknown) {
                    Integer limit = describe(admin, config, new ConfigResource(ConfigResource.Type.TOPIC, topic),
                            "max.message.bytes");
                    if (limit == null) {
                        still.add(topic);
                    } else {
                        out.put(topic, limit);
                    }
                }
                unknown = still;
                if (unknown.isEmpty() || System.nanoTime() > deadline) {
                    break;
                }
                Thread.sleep(200);
            }
            if (!unknown.isEmpty()) {
                int brokerLimit = brokerMessageMaxBytes(admin, config);
                LOG.info("Topics {} do not exist yet: assuming the broker's message.max.bytes {}", unknown, brokerLimit);
                unknown.forEach(t -> out.put(t, brokerLimit));
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalArgumentException("no Kafka broker answered at " + config.bootstrapServers() + " within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return out;
    }

    /** The integer config {@code key} of {@code resource}; null when the topic is unknown. */
    private static Integer describe(Admin admin, JobConfig config, ConfigResource resource, String key)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            Config c = admin.describeConfigs(List.of(resource)).values().get(resource).get(30, TimeUnit.SECONDS);
            ConfigEntry e = c.get(key);
            return e == null || e.value() == null ? null : Integer.parseInt(e.value());
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw new IllegalArgumentException("cannot read the configuration of " + resource.type().name().toLowerCase()
                    + " '" + resource.name() + "' at " + config.bootstrapServers() + ": " + ex.getCause().getMessage(), ex);
        }
    }

    private static int brokerMessageMaxBytes(Admin admin, JobConfig config)
            throws InterruptedException, java.util.concurrent.TimeoutException {
        try {
            var nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            if (!nodes.isEmpty()) {
                Integer v = describe(admin, config, new ConfigResource(ConfigResource.Type.BROKER,
                        String.valueOf(nodes.iterator().next().id())), "message.max.bytes");
                if (v != null) {
                    return v;
                }
            }
        } catch (ExecutionException e) {
            LOG.warn("Cannot read the broker's message.max.bytes: {}", e.getCause().toString());
        }
        return KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
    }
}
