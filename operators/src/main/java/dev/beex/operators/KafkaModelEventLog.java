package dev.beex.operators;

import dev.beex.schemas.ModelEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** {@link ModelEventLog} read from the model-events topic (read_committed, up to its end offsets at call time). */
public final class KafkaModelEventLog implements ModelEventLog {
    private static final long serialVersionUID = 1L;

    private final Properties client;
    private final String topic;

    public KafkaModelEventLog(Properties client, String topic) {
        this.client = new Properties();
        this.client.putAll(client);
        this.topic = topic;
    }

    @Override
    public Set<String> existingEventIds() {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.remove("group.id");
        Set<String> ids = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(60));
            if (infos == null || infos.isEmpty()) {
                return ids; // not created yet: nothing was written
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(60));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read model events topic '" + topic + "' to its end within 2 min");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        String id = TopicSchemaHistory.decoder(ModelEvent.class).decode(r.value()).getEventId();
                        if (id != null) {
                            ids.add(id);
                        }
                    } catch (Exception e) {
                        // not a beex event (or an older one without an id): nothing to suppress
                    }
                }
            }
        }
        return ids;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(60)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
