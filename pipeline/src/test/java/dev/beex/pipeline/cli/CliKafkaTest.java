package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.model.artifact.ArtifactSignature;
import dev.beex.operators.ModelUpdates;
import dev.beex.pipeline.demo.DemoData;
import dev.beex.pipeline.local.EmbeddedKafka;
import dev.beex.pipeline.testing.EmbeddedKafkaExtension;
import dev.beex.schemas.ModelAction;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.TextRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code beex publish} and {@code beex produce} against a real broker: what lands on the topics. */
@Tag("e2e")
class CliKafkaTest {

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void publishSendsTheSignedArtifactInlineAndRollbackNamesTheVersion(@TempDir Path dir) throws Exception {
        KAFKA.kafka().createTopic("ctl", 1);
        byte[] artifact = DemoData.modelBytes(DemoData.MODEL_V1);
        Path model = Files.write(dir.resolve("spam.beex"), artifact);
        KeyPair keys = ArtifactSignature.generateKeyPair();
        Path key = dir.resolve("signing.key");
        ArtifactSignature.writePrivateKey(keys.getPrivate(), key);

        assertThat(BeexMain.run("publish", "--model", model.toString(), "--version", "7", "--sign-key", key.toString(),
                "--bootstrap-servers", KAFKA.kafka().bootstrapServers(), "--topic", "ctl")).isZero();
        CliRun.Result rolledBack = CliRun.run("publish", "--rollback", "--name", "spam", "--version", "5",
                "--bootstrap-servers", KAFKA.kafka().bootstrapServers(), "--topic", "ctl");
        assertThat(rolledBack.code()).as(rolledBack.err()).isZero();
        assertThat(rolledBack.out()).startsWith("sent rollback of spam to version 5 (control topic ctl-0@1 on ");

        List<ConsumerRecord<byte[], byte[]>> records = read("ctl", 2);
        ModelUpdate deploy = ModelUpdate.getDecoder().decode(records.get(0).value());
        assertThat(deploy.getAction()).isEqualTo(ModelAction.DEPLOY);
        assertThat(deploy.getModelName()).isEqualTo("spam");
        assertThat(deploy.getVersion()).isEqualTo(7L);
        assertThat(deploy.getSha256()).isEqualTo(ModelUpdates.sha256Hex(artifact));
        byte[] inline = new byte[deploy.getArtifact().remaining()];
        deploy.getArtifact().get(inline);
        assertThat(inline).isEqualTo(artifact);
        byte[] signature = new byte[deploy.getSignature().remaining()];
        deploy.getSignature().get(signature);
        assertThat(ArtifactSignature.verify(artifact, signature, keys.getPublic())).isTrue();
        assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("spam");

        ModelUpdate rollback = ModelUpdate.getDecoder().decode(records.get(1).value());
        assertThat(rollback.getAction()).isEqualTo(ModelAction.ROLLBACK);
        assertThat(rollback.getVersion()).isEqualTo(5L);
    }

    @Test
    void produceWritesEachFormatTheJobDecodes(@TempDir Path dir) throws Exception {
        Path data = Files.writeString(dir.resolve("d.jsonl"), String.join("\n",
                "{\"id\":\"a\",\"text\":\"win a free cruise\",\"label\":\"spam\"}",
                "{\"id\":\"b\",\"text\":\"lunch at noon?\",\"label\":\"ham\"}",
                "{\"id\":\"c\",\"text\":\"caf\u00e9 \u2615 tomorrow\",\"label\":\"ham\"}"));
        for (String format : List.of("avro", "json", "text")) {
            String topic = "in-" + format;
            KAFKA.kafka().createTopic(topic, 1);
            assertThat(BeexMain.run("produce", "--data", data.toString(), "--topic", topic, "--format", format,
                    "--bootstrap-servers", KAFKA.kafka().bootstrapServers(), "--label-attribute")).isZero();
            List<ConsumerRecord<byte[], byte[]>> got = read(topic, 3);
            List<String> texts = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : got) {
                String id = new String(r.key(), StandardCharsets.UTF_8);
                switch (format) {
                    case "avro" -> {
                        TextRecord t = TextRecord.getDecoder().decode(r.value());
                        assertThat(t.getId()).isEqualTo(id);
                        assertThat(t.getAttributes()).containsKey("label");
                        texts.add(t.getText());
                    }
                    case "json" -> {
                        JsonNode n = new ObjectMapper().readTree(r.value());
                        assertThat(n.get("id").asText()).isEqualTo(id);
                        assertThat(n.get("attributes").get("label").asText()).isIn("spam", "ham");
                        texts.add(n.get("text").asText());
                    }
                    default -> texts.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
            assertThat(texts).as(format).containsExactly("win a free cruise", "lunch at noon?", "caf\u00e9 \u2615 tomorrow");
        }
    }

    @Test
    void produceRidesOutABrokerOutageLongerThan20SecondsAndReportsTheCount(@TempDir Path dir) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append("{\"id\":\"r").append(i).append("\",\"text\":\"record ").append(i).append("\",\"label\":\"ham\"}\n");
        }
        Path data = Files.writeString(dir.resolve("d.jsonl"), lines);
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        // No broker yet: the producer has to wait it out (the old producer gave up after 20 s).
        var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> CliRun.run("produce", "--data", data.toString(),
                "--topic", "late", "--format", "text", "--bootstrap-servers", "127.0.0.1:" + port, "--timeout", "120"));
        Thread.sleep(24_000);
        assertThat(run).isNotDone();
        try (EmbeddedKafka late = EmbeddedKafka.start(port, java.util.Map.of())) {
            late.createTopic("late", 1);
            CliRun.Result r = run.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("sent 20 records (20 acknowledged)");

            // --skip resumes: only the records after the first 15.
            CliRun.Result resumed = CliRun.run("produce", "--data", data.toString(), "--topic", "late", "--format", "text",
                    "--bootstrap-servers", late.bootstrapServers(), "--skip", "15");
            assertThat(resumed.code()).as(resumed.err()).isZero();
            assertThat(resumed.out()).contains("sent 5 records (5 acknowledged)");
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int n) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", KAFKA.kafka().bootstrapServers());
        p.setProperty("max.partition.fetch.bytes", String.valueOf(16 * 1024 * 1024));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < n && System.currentTimeMillis() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertThat(out).hasSize(n);
        return out;
    }
}
