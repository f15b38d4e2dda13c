package dev.beex.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.testing.TestModels;
import dev.beex.operators.ModelUpdates;
import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.testing.EmbeddedKafkaExtension;
import dev.beex.pipeline.testing.Outputs;
import dev.beex.pipeline.testing.PipelineHarness;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.RolloutMode;
import dev.beex.schemas.ShadowComparison;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow and canary versions on a real broker and MiniCluster (two classifier subtasks): a shadow
 * never changes an output; its gate, judged once on the counts of every subtask, promotes it once
 * (one ACTIVE event, later records served by it, nothing repeated by a restart that replays the
 * control topic, the counts kept across a savepoint) or rejects it while the active version keeps
 * serving; a control message the job cannot apply is a REJECTED event, never a job failure; a
 * canary serves the same record ids before and after a restart.
 */
@Tag("e2e")
class ShadowRolloutEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = EmbeddedKafkaExtension.miniCluster(new Configuration(), 4);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Two seeded models that disagree on some records (the tests check it where it matters). */
    private static final ModelArtifact V1 = TestModels.seededModelHalfHard(1);
    private static final ModelArtifact V2 = TestModels.seededModelHalfHard(2);
    private static final Map<String, String> SMALL_WINDOWS = Map.of(JobConfig.SHADOW_FLUSH_RECORDS, "10",
            JobConfig.SHADOW_REPORT_RECORDS, "50");

    @Test
    void aPassingGatePromotesOnceAndTheShadowNeverChangedAnOutputBefore() throws Exception {
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "shadow-promote", 2, SMALL_WINDOWS);
        List<LabeledText> data = TestModels.testSentences(260);
        h.deploy(1, V1);
        h.whileRunning(out -> {
            publishAndAwaitAcceptance(h, out, ModelUpdates.shadow(v2As(2), null,
                    "agreement>=0,records>=150", null));
            assertThat(event(out, ModelEventType.ACCEPTED, 2).getMode()).isEqualTo(RolloutMode.SHADOW);
            h.produceTexts(data.subList(0, 180), true);
            out.awaitUntil(o -> o.hasEvent("ACTIVE", 2), WAIT);
            ModelEvent promotion = event(out, ModelEventType.ACTIVE, 2);
            assertThat(promotion.getPreviousVersion()).isEqualTo(1);
            assertThat(promotion.getReason()).startsWith("promoted by gate 'agreement>=0,records>=150'");
            ShadowComparison evidence = promotion.getComparison();
            assertThat(evidence.getRecords()).isBetween(150L, 180L);
            assertThat(evidence.getLabeled()).as("every record carried its label").isEqualTo(evidence.getRecords());
            assertThat(evidence.getShadowAccuracy()).isNotNull();
            assertThat(evidence.getAgreements()).as("the seeded models disagree somewhere, or the test proves little")
                    .isLessThan(evidence.getRecords());
            assertThat(out.modelEvents).filteredOn(e -> e.getType() == ModelEventType.SHADOW_REPORT).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.getVersion()).isEqualTo(2));

            // Records sent after the promotion is visible are served by version 2.
            h.produceTexts(data.subList(180, 220), true);
            out.awaitUntil(o -> ids(o.predictions).size() >= 220, WAIT).settle(Duration.ofSeconds(2));
            // Before the promotion the output is version 1's own answer, whatever the shadow said.
            assertEachIsItsVersionsOwnAnswer(out.predictions, data);
            Set<String> late = ids(data.subList(180, 220));
            assertThat(out.predictions).filteredOn(p -> late.contains(p.getId()))
                    .allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(2));
            assertThat(out.predictions).filteredOn(p -> p.getModelVersion() == 1).isNotEmpty();
            assertVersionChangesOncePerPartition(out.predictions);
        });
        Map<String, Long> eventsAfterFirstRun;
        try (Outputs out = h.outputs()) {
            eventsAfterFirstRun = eventCounts(out.settle(Duration.ofSeconds(2)).modelEvents);
        }
        assertThat(eventsAfterFirstRun).containsEntry("ACTIVE v2", 1L).containsEntry("ACCEPTED v2", 1L)
                .doesNotContainKey("REJECTED v2");

        // A restart without savepoint replays the control topic, the gate's PROMOTE included: v2 serves, no event repeats.
        h.whileRunning(out -> {
            h.produceTexts(data.subList(220, 260), true);
            out.awaitUntil(o -> ids(o.predictions).size() >= 260, WAIT).settle(Duration.ofSeconds(3));
            Set<String> last = ids(data.subList(220, 260));
            assertThat(out.predictions).filteredOn(p -> last.contains(p.getId()))
                    .allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(2));
            assertThat(eventCounts(out.modelEvents)).as("no model event is written twice").isEqualTo(eventsAfterFirstRun);
        });
    }

    @Test
    void aFailingGateRejectsTheShadowAndTheActiveVersionKeepsServing() throws Exception {
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "shadow-reject", 2, SMALL_WINDOWS);
        List<LabeledText> data = TestModels.testSentences(200);
        h.deploy(1, V1);
        h.whileRunning(out -> {
            // A shadow the job cannot apply (a bad gate, sent around the CLI's check) is a REJECTED event.
            h.publish(ModelUpdates.shadow(v2As(2), null, "agreement>>1", null));
            out.awaitUntil(o -> o.hasEvent("REJECTED", 2), WAIT);
            assertThat(event(out, ModelEventType.REJECTED, 2).getReason()).contains("gate 'agreement>>1'");

            // Version 3 disagrees with version 1 on some records: agreement < 1 fails the promotion gate first.
            publishAndAwaitAcceptance(h, out, ModelUpdates.shadow(v2As(3), 0.5, "agreement>=0.999,records>=60",
                    "agreement<0.999,records>=60"));
            h.produceTexts(data.subList(0, 160), false);
            out.awaitUntil(o -> o.hasEvent("REJECTED", 3), WAIT);
            ModelEvent rejection = event(out, ModelEventType.REJECTED, 3);
            assertThat(rejection.getReason()).startsWith("rejected by gate 'agreement<0.999,records>=60'");
            assertThat(rejection.getActiveVersion()).isEqualTo(1);
            assertThat(rejection.getComparison().getRecords()).isGreaterThanOrEqualTo(60);
            assertThat(rejection.getComparison().getLabeled()).isZero();
            assertThat(rejection.getComparison().getShadowAccuracy()).isNull();

            h.produceTexts(data.subList(160, 200), false);
            out.awaitUntil(o -> ids(o.predictions).size() >= 200, WAIT).settle(Duration.ofSeconds(2));
            assertThat(out.predictions).allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(1));
            assertThat(out.modelEvents).noneMatch(e -> e.getType() == ModelEventType.ACTIVE && e.getVersion() == 3);
            assertThat(out.modelEvents).filteredOn(e -> e.getType() == ModelEventType.REJECTED && e.getVersion() == 3)
                    .hasSize(1);
        });
    }

    @Test
    void theComparisonSurvivesASavepointAndTheGateCountsBothRuns(@TempDir Path dir) throws Exception {
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "shadow-restore", 2, SMALL_WINDOWS);
        List<LabeledText> data = TestModels.testSentences(180);
        h.deploy(1, V1);
        JobClient first = h.start();
        String savepoint;
        try (Outputs out = h.outputs()) {
            publishAndAwaitAcceptance(h, out, ModelUpdates.shadow(v2As(2), null, "records>=150", null));
            h.produceTexts(data.subList(0, 100), false);
            out.awaitUntil(o -> ids(o.predictions).size() >= 100 && o.hasEvent("SHADOW_REPORT", 2), WAIT);
            assertThat(out.hasEvent("ACTIVE", 2)).as("100 records compared: the gate waits for 150").isFalse();
        } finally {
            savepoint = PipelineHarness.stopWithSavepoint(first, dir);
        }
        // The restored job sees 80 records: only with the first run's counts can the gate reach 150.
        JobClient second = h.startFrom(savepoint);
        try (Outputs out = h.outputs()) {
            h.produceTexts(data.subList(100, 180), false);
            out.awaitUntil(o -> o.hasEvent("ACTIVE", 2), WAIT).settle(Duration.ofSeconds(2));
            ShadowComparison evidence = event(out, ModelEventType.ACTIVE, 2).getComparison();
            assertThat(evidence.getRecords()).isBetween(150L, 180L);
            assertThat(out.modelEvents).filteredOn(e -> e.getType() == ModelEventType.ACTIVE && e.getVersion() == 2)
                    .hasSize(1);
            assertThat(out.modelEvents).filteredOn(e -> e.getType() == ModelEventType.SHADOW_REPORT)
                    .extracting(ModelEvent::getEventId).doesNotHaveDuplicates();
        } finally {
            second.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCanaryServesTheSameKeysBeforeAndAfterARestart() throws Exception {
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "canary", 2, SMALL_WINDOWS);
        List<LabeledText> data = TestModels.testSentences(60);
        h.deploy(1, V1);
        h.whileRunning(out -> {
            publishAndAwaitAcceptance(h, out, ModelUpdates.canary(v2As(2), 0.4, null, null));
            assertThat(event(out, ModelEventType.ACCEPTED, 2).getMode()).isEqualTo(RolloutMode.CANARY);
            h.produceTexts(data, false);
            out.awaitUntil(o -> o.predictions.size() >= 60, WAIT);
        });
        // A restart without savepoint (the canary deploy replayed); the same records, same ids, again.
        h.whileRunning(out -> {
            h.produceTexts(data, false);
            out.awaitUntil(o -> o.predictions.size() >= 120, WAIT).settle(Duration.ofSeconds(2));
            Map<String, Set<Long>> versionsById = out.predictions.stream().collect(Collectors.groupingBy(
                    PredictionRecord::getId, Collectors.mapping(PredictionRecord::getModelVersion, Collectors.toSet())));
            assertThat(versionsById).hasSize(60).allSatisfy((id, versions) ->
                    assertThat(versions).as("versions that served " + id + " in both runs").hasSize(1));
            long canary = versionsById.values().stream().filter(v -> v.contains(2L)).count();
            assertThat(canary).as("records the 0.4 canary served").isBetween(10L, 40L);
            assertEachIsItsVersionsOwnAnswer(out.predictions, data);
        });
    }

    /** A deploy of V2's bytes under {@code version}. */
    private static ModelUpdate v2As(long version) {
        return ModelUpdates.deploy("test-model", version, V2.toBytes(), null);
    }

    private static void publishAndAwaitAcceptance(PipelineHarness h, Outputs out, ModelUpdate candidate) {
        h.publish(candidate);
        out.awaitUntil(o -> o.hasEvent("ACCEPTED", candidate.getVersion()), WAIT);
    }

    /** Every prediction is the label its version (V1 or V2) gives the text offline. */
    private static void assertEachIsItsVersionsOwnAnswer(List<PredictionRecord> predictions, List<LabeledText> data) {
        Map<Long, InferenceEngine> engines = Map.of(1L, V1.newEngine(), 2L, V2.newEngine());
        Map<String, String> textById = data.stream().collect(Collectors.toMap(LabeledText::id, LabeledText::text));
        for (PredictionRecord p : predictions) {
            assertThat(p.getLabel()).as(p.getId() + " by v" + p.getModelVersion())
                    .isEqualTo(engines.get(p.getModelVersion()).score(textById.get(p.getId())).label());
        }
    }

    /**
     * In offset order, each input partition is served by version 1 up to one boundary and by
     * version 2 after it: the promotion is one switch per partition, never back and forth.
     */
    private static void assertVersionChangesOncePerPartition(List<PredictionRecord> predictions) {
        Map<Integer, List<PredictionRecord>> byPartition = predictions.stream()
                .collect(Collectors.groupingBy(p -> p.getSource().getPartition()));
        byPartition.forEach((partition, list) -> {
            List<Long> versions = list.stream().sorted(java.util.Comparator.comparingLong(p -> p.getSource().getOffset()))
                    .map(PredictionRecord::getModelVersion).toList();
            assertThat(versions).as("versions of partition %d in offset order", partition).isSorted();
        });
    }

    private static ModelEvent event(Outputs out, ModelEventType type, long version) {
        return out.modelEvents.stream().filter(e -> e.getType() == type && e.getVersion() == version).findFirst()
                .orElseThrow();
    }

    private static Set<String> ids(List<?> items) {
        return items.stream().map(i -> i instanceof PredictionRecord p ? p.getId() : ((LabeledText) i).id())
                .collect(Collectors.toSet());
    }

    private static Map<String, Long> eventCounts(List<ModelEvent> events) {
        return events.stream().filter(e -> e.getType() != ModelEventType.SHADOW_REPORT)
                .collect(Collectors.groupingBy(e -> e.getType() + " v" + e.getVersion(), Collectors.counting()));
    }
}
