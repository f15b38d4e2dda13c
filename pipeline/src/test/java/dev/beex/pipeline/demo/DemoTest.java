package dev.beex.pipeline.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The demo as a user runs it (smaller): bundled models, real spam records, its own Kafka and Flink. */
@Tag("e2e")
class DemoTest {

    @Test
    void accountsForEveryRecordAndPromotesTheShadowModelMidStream() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DemoSummary s = new Demo(new Demo.Options(400, Duration.ofSeconds(100), 2, 100),
                new PrintStream(log, true, StandardCharsets.UTF_8)).run();

        assertThat(s.complete()).as(log.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(s.recordsIn()).isEqualTo(104);
        assertThat(s.malformedIn()).isEqualTo(4);
        assertThat(s.predictions()).isEqualTo(100);
        assertThat(s.deadLetters()).isEqualTo(4);
        assertThat(s.duplicates()).isZero();
        assertThat(s.deadLetterReasons()).containsOnlyKeys("UNDECODABLE", "EMPTY_TEXT", "TEXT_TOO_LARGE");
        assertThat(s.modelVersions()).containsOnlyKeys(1L, 2L);
        // v2 ran in shadow from the middle and its gate (records >= 12 of the 25 it sees first) promoted it.
        assertThat(s.promotions()).isEqualTo(1);
        assertThat(s.shadowRecords()).isGreaterThanOrEqualTo(12);
        assertThat(s.agreement()).isGreaterThanOrEqualTo(0.9);
        assertThat(s.modelVersions().get(1L)).as("v1 served until the promotion: the first three quarters at least")
                .isGreaterThanOrEqualTo(75);
        // The bundled models are trained: far better than the majority class (ham, ~2/3).
        assertThat(s.accuracy()).isGreaterThan(0.85);
        assertThat(s.exitBlocks().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);

        JsonNode json = new ObjectMapper().readTree(s.toJson());
        for (String key : new String[] {"recordsIn", "predictions", "deadLetters", "hardExamples", "modelVersions", "accuracy",
                "shadowRecords", "agreement", "promotions"}) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("predictions").asLong() + json.get("deadLetters").asLong())
                .isEqualTo(json.get("recordsIn").asLong());
    }
}
