package dev.beex.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.data.LabeledText;
import dev.beex.pipeline.kafka.TextEncoder;
import dev.beex.pipeline.testing.EmbeddedKafkaExtension;
import dev.beex.pipeline.testing.Outputs;
import dev.beex.pipeline.testing.PipelineHarness;
import dev.beex.model.testing.TestModels;
import dev.beex.schemas.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** No input record can stop the job: outputs are bounded by the topics' own limits. */
@Tag("e2e")
class BoundedOutputsEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = EmbeddedKafkaExtension.miniCluster(new Configuration(), 4);

    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aDeadLetterLargerThanItsTopicAllowsCannotStopTheJob() throws Exception {
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "bounded", 1, Map.of("input.format", "json"),
                Map.of("max.message.bytes", "50000"));
        List<LabeledText> good = TestModels.testSentences(20);
        TextEncoder encoder = new TextEncoder(h.format());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (LabeledText t : good.subList(0, 10)) {
            records.add(encoder.record(h.topics.text(), t.id(), t.text(), Instant.now(), null));
        }
        byte[] huge = ("{\"id\":\"huge\",\"text\":\"" + "spam ".repeat(14_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        records.add(new ProducerRecord<>(h.topics.text(), "huge".getBytes(StandardCharsets.UTF_8), huge));
        for (LabeledText t : good.subList(10, 20)) {
            records.add(encoder.record(h.topics.text(), t.id(), t.text(), Instant.now(), null));
        }
        h.whileRunning(out -> {
            h.deploy(1, TestModels.seededModelHalfHard(1));
            h.produce(records);
            out.awaitUntil(o -> o.predictions.size() >= 20 && o.deadLetters.size() >= 1, WAIT)
                    .settle(Duration.ofSeconds(1));

            assertThat(out.predictions).hasSize(20);
            assertThat(out.deadLetters).hasSize(1);
            DeadLetter d = out.deadLetters.get(0);
            assertThat(d.getReason()).isEqualTo("TEXT_TOO_LARGE");
            assertThat(d.getValue().remaining()).isPositive().isLessThan(50_000);
            assertThat(huge.length).isGreaterThan(70_000);
        });
    }

    @Test
    void contentFreeTextAndNonStrictJsonAreDeadLettersAndABomIsAccepted() throws Exception {
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "strict", 1, Map.of("input.format", "json"));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String v : List.of(
                "{\"id\":\"zw\",\"text\":\"\\u200B\\u200B\"}",
                "{\"id\":\"nbsp\",\"text\":\"\u00A0\u00A0\"}",
                "{\"id\":\"punct\",\"text\":\"?!...\"}",
                "{\"id\":\"trailing\",\"text\":\"hello\"} garbage",
                "{\"id\":\"twice\",\"text\":\"one\",\"text\":\"two\"}",
                "\uFEFF{\"id\":\"bom\",\"text\":\"a fine sentence\"}")) {
            records.add(new ProducerRecord<>(h.topics.text(), v.getBytes(StandardCharsets.UTF_8)));
        }
        h.whileRunning(out -> {
            h.deploy(1, TestModels.seededModelHalfHard(1));
            h.produce(records);
            out.awaitUntil(o -> o.predictions.size() + o.deadLetters.size() >= records.size(), WAIT)
                    .settle(Duration.ofSeconds(1));
            assertThat(out.predictions).extracting(p -> p.getId()).containsExactly("bom");
            assertThat(out.deadLetters).extracting(DeadLetter::getReason).containsExactly(
                    "NO_CONTENT", "NO_CONTENT", "NO_CONTENT", "UNDECODABLE", "UNDECODABLE");
        });
    }
}
