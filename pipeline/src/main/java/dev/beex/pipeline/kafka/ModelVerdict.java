package dev.beex.pipeline.kafka;

import dev.beex.operators.TopicSchemaHistory;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Waits for the job's verdict on one control message: the model event whose id names the
 * message's position ({@code topic-partition-offset/TYPE}), read with read_committed.
 */
public final class ModelVerdict {

    private ModelVerdict() {
    }

    /** The ACCEPTED, ROLLED_BACK or REJECTED event for the control message at {@code position}, if it comes in time. */
    public static Optional<ModelEvent> await(Properties client, String eventsTopic, String position, Duration timeout) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("auto.offset.reset", "earliest");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty()) {
                for (PartitionInfo info : consumer.partitionsFor(eventsTopic, timeout)) {
                    partitions.add(new TopicPartition(eventsTopic, info.partition()));
                }
                if (partitions.isEmpty() && !sleepUntil(deadline)) {
                    return Optional.empty(); // the job never wrote an event: the topic does not exist
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    ModelEvent e;
                    try {
                        e = TopicSchemaHistory.decoder(ModelEvent.class).decode(r.value());
                    } catch (Exception ex) {
                        continue;
                    }
                    if (e.getEventId() != null && e.getEventId().startsWith(position + "/")
                            && e.getType() != ModelEventType.ACTIVE) {
                        return Optional.of(e);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean sleepUntil(long deadline) {
        if (System.nanoTime() >= deadline) {
            return false;
        }
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }
}
