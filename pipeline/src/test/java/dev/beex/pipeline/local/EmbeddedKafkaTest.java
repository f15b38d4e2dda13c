package dev.beex.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("e2e")
class EmbeddedKafkaTest {

    @Test
    void servesProduceAndConsumeOnLoopbackAndDeletesItsDirOnClose() throws Exception {
        Path logDir;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            kafka.createTopic("t", 2);
            kafka.createTopic("t", 2); // idempotent

            Properties pp = new Properties();
            pp.put("bootstrap.servers", kafka.bootstrapServers());
            pp.put("enable.idempotence", "true");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(pp, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("t", i % 2, "k" + i, "v" + i)).get();
                }
            }
            Properties cp = new Properties();
            cp.put("bootstrap.servers", kafka.bootstrapServers());
            cp.put("group.id", "g");
            cp.put("auto.offset.reset", "earliest");
            List<String> values = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("t"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (values.size() < 10 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
            }
            assertThat(values).hasSize(10).contains("v0", "v9");
            logDir = kafka.dataDir();
            assertThat(Files.list(logDir.resolve("logs"))).isNotEmpty();
        }
        assertThat(logDir).doesNotExist();
    }
}
