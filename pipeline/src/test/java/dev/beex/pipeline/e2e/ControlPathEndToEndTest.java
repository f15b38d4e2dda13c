package dev.beex.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.operators.ModelUpdates;
import dev.beex.pipeline.testing.EmbeddedKafkaExtension;
import dev.beex.pipeline.testing.Outputs;
import dev.beex.pipeline.testing.PipelineHarness;
import dev.beex.model.testing.TestModels;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.PredictionRecord;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The control path on a real broker and MiniCluster: a start serves only the latest decision,
 * decisions are made once (one fetch per URI model, whatever the parallelism) and their events
 * are written once, also across a restart without savepoint.
 */
@Tag("e2e")
class ControlPathEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = EmbeddedKafkaExtension.miniCluster(new Configuration(), 4);

    private static final Duration WAIT = Duration.ofSeconds(90);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void aFreshStartServesOnlyTheLatestDecisionAndARestartRepeatsNoModelEvent() throws Exception {
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "bootstrap", 2, Map.of());
        List<LabeledText> data = TestModels.testSentences(160);
        // The history a fresh job finds: v1, v2, a rollback of v2 (to v1), then v3.
        h.deploy(1, TestModels.seededModelHalfHard(1));
        h.deploy(2, TestModels.seededModelHalfHard(2));
        h.publish(ModelUpdates.rollback("test-model", 0));
        h.deploy(3, TestModels.seededModelHalfHard(3));
        h.produceTexts(data.subList(0, 100)); // waiting before the job starts

        h.whileRunning(out -> {
            out.awaitUntil(o -> o.predictions.size() >= 100, WAIT).settle(Duration.ofSeconds(2));
            assertThat(versions(out.predictions)).as("versions that served").isEqualTo(Map.of(3L, 100L));
        });
        Map<String, Long> eventsAfterFirstRun;
        try (Outputs out = h.outputs()) {
            eventsAfterFirstRun = eventCounts(out.settle(Duration.ofSeconds(2)).modelEvents);
        }
        assertThat(eventsAfterFirstRun).isEqualTo(Map.of(
                "ACCEPTED v1", 1L, "ACCEPTED v2", 1L, "ROLLED_BACK v1", 1L, "ACCEPTED v3", 1L,
                "ACTIVE v1", 2L, "ACTIVE v2", 1L, "ACTIVE v3", 1L));

        // A restart without savepoint: the control topic is replayed, the text group resumes.
        h.whileRunning(out -> {
            h.produceTexts(data.subList(100, 160));
            out.awaitUntil(o -> o.predictions.stream().map(PredictionRecord::getId).distinct().count() >= 160, WAIT)
                    .settle(Duration.ofSeconds(3));
            assertThat(versions(out.predictions).keySet()).containsOnly(3L);
            assertThat(eventCounts(out.modelEvents)).as("no model event is written twice").isEqualTo(eventsAfterFirstRun);
        });
    }

    @Test
    void aUriModelIsFetchedAndValidatedOnceWhateverTheParallelism() throws Exception {
        ModelArtifact model = TestModels.seededModelHalfHard(1);
        byte[] bytes = model.toBytes();
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/m.beex", ex -> {
            fetches.incrementAndGet();
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "fetch-once", 3, Map.of());
        List<LabeledText> data = TestModels.testSentences(90);
        try {
            h.whileRunning(out -> {
                h.publish(ModelUpdates.deployUri("test-model", 1, "http://127.0.0.1:" + server.getAddress().getPort()
                        + "/m.beex", ModelUpdates.sha256Hex(bytes), null, null));
                h.produceTexts(data);
                out.awaitUntil(o -> o.predictions.size() >= data.size(), WAIT).settle(Duration.ofSeconds(1));
                assertThat(versions(out.predictions)).isEqualTo(Map.of(1L, 90L));
                assertThat(fetches.get()).as("HTTP fetches of the artifact by a 3-subtask job").isEqualTo(1);
            });
        } finally {
            server.stop(0);
        }
    }

    private static Map<Long, Long> versions(List<PredictionRecord> predictions) {
        return predictions.stream().collect(Collectors.groupingBy(PredictionRecord::getModelVersion, TreeMap::new,
                Collectors.counting()));
    }

    private static Map<String, Long> eventCounts(List<ModelEvent> events) {
        return events.stream().collect(Collectors.groupingBy(e -> e.getType() + " v" + e.getVersion(), TreeMap::new,
                Collectors.counting()));
    }
}
