package dev.beex.pipeline.kafka;

import dev.beex.operators.TopicSchemaHistory;
import dev.beex.pipeline.job.Topics;
import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.PredictionRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the job's four output topics from the beginning with {@code read_committed} (so only
 * what an exactly-once job committed is seen) and decodes their Avro single-object values.
 * Used by the demo and the end-to-end tests; not thread-safe.
 */
public final class OutputConsumer implements AutoCloseable {

    /** What one poll returned, by topic; {@code receivedAtMillis} is the wall clock after the poll. */
    public record Batch(List<PredictionRecord> predictions, List<HardExample> hardExamples,
                        List<DeadLetter> deadLetters, List<ModelEvent> modelEvents, long receivedAtMillis) {
        public boolean isEmpty() {
            return predictions.isEmpty() && hardExamples.isEmpty() && deadLetters.isEmpty() && modelEvents.isEmpty();
        }
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topics topics;

    public OutputConsumer(Properties clientProperties, Topics topics) {
        this.topics = topics;
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("auto.offset.reset", "earliest");
        p.setProperty("max.partition.fetch.bytes", String.valueOf(MessageSizes.MAX_PARTITION_FETCH_BYTES));
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics.outputs()) {
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        // Assign, not subscribe: no group rebalance to wait for, every partition from offset 0.
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public Batch poll(Duration timeout) {
        List<PredictionRecord> predictions = new ArrayList<>();
        List<HardExample> hard = new ArrayList<>();
        List<DeadLetter> dead = new ArrayList<>();
        List<ModelEvent> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            String t = r.topic();
            if (t.equals(topics.predictions())) {
                predictions.add(decode(TopicSchemaHistory.decoder(PredictionRecord.class), r));
            } else if (t.equals(topics.hardExamples())) {
                hard.add(decode(TopicSchemaHistory.decoder(HardExample.class), r));
            } else if (t.equals(topics.deadLetters())) {
                dead.add(decode(TopicSchemaHistory.decoder(DeadLetter.class), r));
            } else if (t.equals(topics.modelEvents())) {
                events.add(decode(TopicSchemaHistory.decoder(ModelEvent.class), r));
            }
        }
        return new Batch(predictions, hard, dead, events, System.currentTimeMillis());
    }

    private static <T> T decode(BinaryMessageDecoder<T> decoder, ConsumerRecord<byte[], byte[]> r) {
        try {
            return decoder.decode(r.value());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode " + r.topic() + "-" + r.partition() + "@" + r.offset(), e);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
