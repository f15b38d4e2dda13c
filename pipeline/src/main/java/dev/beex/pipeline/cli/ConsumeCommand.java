package dev.beex.pipeline.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beex.operators.AvroJson;
import dev.beex.pipeline.kafka.MessageSizes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints a beex topic as JSON lines: Avro records decoded by their schema fingerprint, other values as text. */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Prints the messages of a topic as JSON lines (one object per message) on stdout. "
            + "beex Avro values (any topic the job writes, AVRO input, control) are decoded by their schema fingerprint; "
            + "other values print as {\"key\",\"value\"} (UTF-8 text, else base64).")
public final class ConsumeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOptions connection = new ConfigOptions();

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic to read.")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest offset (default: only new messages).")
    boolean fromBeginning;

    @Option(names = "--max", paramLabel = "N", description = "Stop after N messages (default: no limit).")
    long max;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop when no message came for this long (default: never).")
    int timeoutSeconds;

    @Option(names = "--read-uncommitted", description = "Also show messages of open or aborted transactions (default: read_committed).")
    boolean readUncommitted;

    @Override
    public Integer call() {
        if (max < 0) {
            throw new UserException("--max must be >= 0, got " + max);
        }
        if (timeoutSeconds < 0) {
            throw new UserException("--timeout must be >= 0, got " + timeoutSeconds);
        }
        Properties p = connection.resolve(new HashMap<>()).kafkaClientProperties();
        p.setProperty("isolation.level", readUncommitted ? "read_uncommitted" : "read_committed");
        p.setProperty("enable.auto.commit", "false");
        p.setProperty("max.partition.fetch.bytes", String.valueOf(MessageSizes.MAX_PARTITION_FETCH_BYTES));
        long printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new UserException("topic '" + topic + "' does not exist at " + p.getProperty("bootstrap.servers"));
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            long idleSince = System.nanoTime();
            while (max == 0 || printed < max) {
                var batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty()) {
                    if (timeoutSeconds > 0 && System.nanoTime() - idleSince > timeoutSeconds * 1_000_000_000L) {
                        break;
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    System.out.println(line(r));
                    if (++printed == max) {
                        break;
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new UserException("reading '" + topic + "' at " + p.getProperty("bootstrap.servers") + " failed: " + e.getMessage());
        }
        System.out.flush();
        System.err.printf("%d messages from %s%n", printed, topic);
        return 0;
    }

    static String line(ConsumerRecord<byte[], byte[]> r) {
        ObjectNode value = AvroJson.decodeSingleObject(r.value());
        if (value == null) {
            value = jsonObject(r.value()); // JSON input or --output-format json: print as is
        }
        if (value == null) {
            value = JSON.createObjectNode();
            value.put("key", r.key() == null ? null : text(r.key()));
            value.put("value", r.value() == null ? null : text(r.value()));
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode jsonObject(byte[] bytes) {
        if (bytes == null || bytes.length == 0 || bytes[0] != '{') {
            return null;
        }
        try {
            return JSON.readTree(bytes) instanceof ObjectNode o ? o : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }
}
