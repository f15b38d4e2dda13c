package dev.beex.pipeline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beex.model.exit.ExitRule;
import dev.beex.operators.InputFormat;
import dev.beex.operators.ShadowOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    @Test
    void defaultsAreExactlyOnceAvroOnLocalhost() {
        JobConfig c = JobConfig.defaults();
        assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(c.topics()).isEqualTo(Topics.DEFAULT);
        assertThat(c.delivery()).isEqualTo(DeliveryGuarantee.EXACTLY_ONCE);
        assertThat(c.inputFormat()).isEqualTo(InputFormat.AVRO);
        assertThat(c.parallelism()).isZero();
        assertThat(c.exitRule()).isNull();
        assertThat(c.kafkaProperties()).isEmpty();
    }

    @Test
    void readsEveryKeyFromAFileAndRoundTripsThroughProperties(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, String.join("\n",
                "bootstrap.servers=broker-1:9093,broker-2:9093",
                "topic.text=in", "topic.control=ctl", "topic.predictions=out", "topic.hard-examples=hard",
                "topic.dead-letters=dlq", "topic.model-events=events",
                "group.id=g1", "parallelism=3", "checkpoint.interval.ms=2500", "checkpoint.dir=file:///tmp/ckpt",
                "delivery=at-least-once", "transactional.id.prefix=tx", "input.format=JSON",
                "max.text.bytes=1000", "hold.buffer.size=7", "trusted.keys=a.pub, b.pub",
                "exit.rule=entropy:0.3", "shadow.flush.records=20", "shadow.flush.ms=250", "shadow.report.records=500",
                "kafka.security.protocol=SASL_SSL", "kafka.sasl.mechanism=PLAIN"));
        JobConfig c = JobConfig.load(file);
        assertThat(c.bootstrapServers()).isEqualTo("broker-1:9093,broker-2:9093");
        assertThat(c.topics()).isEqualTo(new Topics("in", "ctl", "out", "hard", "dlq", "events"));
        assertThat(c.groupId()).isEqualTo("g1");
        assertThat(c.parallelism()).isEqualTo(3);
        assertThat(c.checkpointInterval()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.checkpointDir()).isEqualTo("file:///tmp/ckpt");
        assertThat(c.delivery()).isEqualTo(DeliveryGuarantee.AT_LEAST_ONCE);
        assertThat(c.transactionalIdPrefix()).isEqualTo("tx");
        assertThat(c.inputFormat()).isEqualTo(InputFormat.JSON);
        assertThat(c.maxTextBytes()).isEqualTo(1000);
        assertThat(c.holdBufferSize()).isEqualTo(7);
        assertThat(c.trustedKeys()).containsExactly(Path.of("a.pub"), Path.of("b.pub"));
        assertThat(c.exitRule()).isEqualTo(ExitRule.absoluteEntropy(0.3f));
        assertThat(c.shadow()).isEqualTo(new ShadowOptions(20, Duration.ofMillis(250), 500));
        assertThat(c.kafkaProperties()).containsExactlyInAnyOrderEntriesOf(
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN"));
        Properties client = c.kafkaClientProperties();
        assertThat(client.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(client.getProperty("bootstrap.servers")).isEqualTo("broker-1:9093,broker-2:9093");

        assertThat(JobConfig.fromProperties(c.toProperties())).isEqualTo(c);
        assertThat(c.with(Map.of("parallelism", "1")).parallelism()).isEqualTo(1);
    }

    @Test
    void rejectsTyposAndBadValuesWithTheKeyInTheMessage() {
        assertThatThrownBy(() -> JobConfig.fromProperties(props("topics.text", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'topics.text'");
        assertThatThrownBy(() -> JobConfig.fromProperties(props("parallelism", "two")))
                .hasMessageContaining("parallelism must be an integer");
        assertThatThrownBy(() -> JobConfig.fromProperties(props("delivery", "maybe")))
                .hasMessageContaining("exactly-once or at-least-once");
        assertThatThrownBy(() -> JobConfig.fromProperties(props("input.format", "xml")))
                .hasMessageContaining("xml");
        assertThatThrownBy(() -> JobConfig.fromProperties(props("exit.rule", "sometimes")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JobConfig.fromProperties(props("topic.control", "beex.text")))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> JobConfig.fromProperties(props("shadow.flush.records", "0")))
                .hasMessageContaining("shadow.flush.records and shadow.report.records must be >= 1");
        assertThatThrownBy(() -> JobConfig.load(Path.of("/nonexistent/job.properties")))
                .hasMessageContaining("config file not found: /nonexistent/job.properties");
    }

    private static Properties props(String key, String value) {
        Properties p = new Properties();
        p.setProperty(key, value);
        return p;
    }
}
