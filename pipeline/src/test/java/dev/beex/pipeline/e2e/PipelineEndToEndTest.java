package dev.beex.pipeline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.engine.Prediction;
import dev.beex.operators.ModelUpdates;
import dev.beex.pipeline.local.EmbeddedKafka;
import dev.beex.pipeline.local.LocalFlink;
import dev.beex.pipeline.testing.Outputs;
import dev.beex.pipeline.testing.PipelineHarness;
import dev.beex.pipeline.testing.TamperedArtifacts;
import dev.beex.pipeline.testing.TestModels;
import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.HardExample;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.PredictionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job against a real Kafka broker (in process, KRaft) and a real Flink MiniCluster,
 * both on 127.0.0.1. Outputs are read with read_committed: only what exactly-once committed.
 */
@Tag("e2e")
class PipelineEndToEndTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(LocalFlink.loopback(new Configuration()))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(4)
                    .build());

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static EmbeddedKafka kafka;
    private static ModelArtifact v1;
    private static ModelArtifact v2;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        v1 = TestModels.artifact(1);
        v2 = TestModels.artifact(2);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void everyRecordGetsExactlyOnePredictionWithTheEnginesOfflineLabel() throws Exception {
        PipelineHarness h = new PipelineHarness(kafka, "exactly", 2, Map.of());
        List<LabeledText> data = TestModels.sentences(200);
        JobClient job = h.start();
        try (Outputs out = h.outputs()) {
            h.deploy(1, v1);
            h.produceTexts(data);
            out.awaitUntil(o -> o.predictions.size() >= data.size(), WAIT).settle(Duration.ofSeconds(2));

            assertThat(out.predictions).hasSize(data.size());
            assertThat(ids(out.predictions)).containsExactlyInAnyOrderElementsOf(
                    data.stream().map(LabeledText::id).toList());
            InferenceEngine engine = v1.newEngine();
            Map<String, String> textById = data.stream().collect(Collectors.toMap(LabeledText::id, LabeledText::text));
            for (PredictionRecord p : out.predictions) {
                Prediction offline = engine.score(textById.get(p.getId()));
                assertThat(p.getLabel()).as(p.getId()).isEqualTo(offline.label());
                assertThat(p.getExitBlock()).as(p.getId()).isEqualTo(offline.exitBlock());
                assertThat(p.getModelVersion()).isEqualTo(1L);
                assertThat(p.getSource().getTopic()).isEqualTo(h.topics.text());
            }
            assertThat(out.deadLetters).isEmpty();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void hardExamplesAreExactlyTheRecordsThatReachedTheLastBlock() throws Exception {
        PipelineHarness h = new PipelineHarness(kafka, "hard", 2, Map.of());
        List<LabeledText> data = TestModels.sentences(150);
        JobClient job = h.start();
        try (Outputs out = h.outputs()) {
            h.deploy(1, v1);
            h.produceTexts(data);
            out.awaitUntil(o -> o.predictions.size() >= data.size(), WAIT).settle(Duration.ofSeconds(1));

            int blocks = v1.config().blocks();
            Set<String> reachedLast = out.predictions.stream().filter(p -> p.getExitBlock() == blocks)
                    .map(PredictionRecord::getId).collect(Collectors.toSet());
            // The test model is set up so that both kinds occur.
            assertThat(reachedLast).isNotEmpty().hasSizeLessThan(data.size());
            assertThat(out.predictions).allSatisfy(p -> assertThat(p.getHard()).isEqualTo(p.getExitBlock() == blocks));
            assertThat(out.hardExamples.stream().map(e -> e.getPrediction().getId()).toList())
                    .containsExactlyInAnyOrderElementsOf(reachedLast);
            Map<String, String> textById = data.stream().collect(Collectors.toMap(LabeledText::id, LabeledText::text));
            for (HardExample e : out.hardExamples) {
                assertThat(e.getText()).isEqualTo(textById.get(e.getPrediction().getId()));
                assertThat(e.getExitEntropies()).hasSize(blocks);
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aModelSwapMidStreamChangesTheVersionOncePerPartitionAndNeverBack() throws Exception {
        PipelineHarness h = new PipelineHarness(kafka, "swap", 2, Map.of());
        List<LabeledText> data = TestModels.sentences(280);
        JobClient job = h.start();
        try (Outputs out = h.outputs()) {
            h.deploy(1, v1);
            h.produceTexts(data.subList(0, 140));
            out.awaitUntil(o -> o.predictions.size() >= 100, WAIT);
            h.deploy(2, v2);
            out.awaitUntil(o -> o.hasEvent("ACTIVE", 2) || o.hasEvent("ACCEPTED", 2), WAIT);
            Thread.sleep(500); // the broadcast reaches every subtask; subtask 0 reports it
            h.produceTexts(data.subList(140, 280));
            out.awaitUntil(o -> o.predictions.size() >= data.size(), WAIT).settle(Duration.ofSeconds(2));

            assertThat(out.predictions).hasSize(data.size());
            assertThat(ids(out.predictions)).doesNotHaveDuplicates();
            Map<Integer, List<PredictionRecord>> byPartition = new TreeMap<>();
            for (PredictionRecord p : out.predictions) {
                byPartition.computeIfAbsent(p.getSource().getPartition(), k -> new ArrayList<>()).add(p);
            }
            assertThat(byPartition).hasSize(2);
            for (List<PredictionRecord> partition : byPartition.values()) {
                partition.sort(Comparator.comparingLong(p -> p.getSource().getOffset()));
                List<Long> versions = partition.stream().map(PredictionRecord::getModelVersion).toList();
                int changes = 0;
                for (int i = 1; i < versions.size(); i++) {
                    assertThat(versions.get(i)).as("version never goes back").isGreaterThanOrEqualTo(versions.get(i - 1));
                    changes += versions.get(i).equals(versions.get(i - 1)) ? 0 : 1;
                }
                assertThat(changes).isEqualTo(1);
                assertThat(versions.get(0)).isEqualTo(1L);
                assertThat(versions.get(versions.size() - 1)).isEqualTo(2L);
            }
            Map<String, String> textById = data.stream().collect(Collectors.toMap(LabeledText::id, LabeledText::text));
            Map<Long, InferenceEngine> engines = Map.of(1L, v1.newEngine(), 2L, v2.newEngine());
            for (PredictionRecord p : out.predictions) {
                assertThat(p.getLabel()).isEqualTo(engines.get(p.getModelVersion()).score(textById.get(p.getId())).label());
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void malformedInputGoesToDeadLettersWithItsReasonWhileGoodRecordsAreClassified() throws Exception {
        PipelineHarness h = new PipelineHarness(kafka, "dead", 1,
                Map.of("input.format", "json", "max.text.bytes", "300"));
        List<LabeledText> good = TestModels.sentences(36);
        // Valid UTF-8 (else it would be INVALID_UTF8) but no JSON: control characters and stray braces.
        byte[] garbage = "\u0001\u0002 }{ not json \u0000".getBytes(StandardCharsets.UTF_8);
        byte[] invalidUtf8 = "{\"id\":\"bad-utf8\",\"text\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
        byte[] randomBytes = new byte[64];
        new java.util.Random(7).nextBytes(randomBytes); // not UTF-8: rejected before JSON parsing
        List<Map.Entry<String, byte[]>> bad = List.of(
                Map.entry("UNDECODABLE", garbage),
                Map.entry("INVALID_UTF8", randomBytes),
                Map.entry("INVALID_UTF8", invalidUtf8),
                Map.entry("EMPTY_TEXT", "{\"id\":\"empty\",\"text\":\"  \"}".getBytes(StandardCharsets.UTF_8)),
                Map.entry("TEXT_TOO_LARGE", ("{\"id\":\"big\",\"text\":\"" + "spam ".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8)),
                Map.entry("MISSING_TEXT", "{\"id\":\"no-text\",\"body\":\"hello\"}".getBytes(StandardCharsets.UTF_8)));

        var encoder = new dev.beex.pipeline.kafka.TextEncoder(h.format());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<Long, String> reasonByOffset = new HashMap<>();
        int i = 0;
        for (Map.Entry<String, byte[]> b : bad) {
            for (int k = 0; k < 6; k++) { // good records around every bad one
                LabeledText t = good.get(i++);
                records.add(encoder.record(h.topics.text(), t.id(), t.text(), Instant.now(), null));
            }
            reasonByOffset.put((long) records.size(), b.getKey());
            records.add(new ProducerRecord<>(h.topics.text(), "bad".getBytes(StandardCharsets.UTF_8), b.getValue()));
        }
        JobClient job = h.start();
        try (Outputs out = h.outputs()) {
            h.deploy(1, v1);
            h.produce(records);
            out.awaitUntil(o -> o.predictions.size() + o.deadLetters.size() >= records.size(), WAIT)
                    .settle(Duration.ofSeconds(1));

            assertThat(out.predictions).hasSize(good.size());
            assertThat(out.deadLetters).hasSize(bad.size());
            for (DeadLetter d : out.deadLetters) {
                assertThat(d.getSource().getTopic()).isEqualTo(h.topics.text());
                assertThat(d.getReason()).isEqualTo(reasonByOffset.get(d.getSource().getOffset()));
                assertThat(d.getDetail()).isNotBlank();
                assertThat(d.getValue()).isNotNull();
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void badModelsAreRejectedWithAnEventWhileTheOldModelKeepsServing() throws Exception {
        PipelineHarness h = new PipelineHarness(kafka, "reject", 2, Map.of());
        List<LabeledText> data = TestModels.sentences(60);
        byte[] good = v2.toBytes();
        JobClient job = h.start();
        try (Outputs out = h.outputs()) {
            h.deploy(1, v1);
            var wrongHash = ModelUpdates.deploy("test-model", 2, good, null);
            wrongHash.setSha256(ModelUpdates.sha256Hex(v1.toBytes()));
            h.publish(wrongHash);
            h.publish(ModelUpdates.deploy("test-model", 3, TamperedArtifacts.truncated(good, good.length / 2), null));
            h.publish(ModelUpdates.deploy("test-model", 4, TamperedArtifacts.foreignSelfTests(good, v1.toBytes()), null));
            out.awaitUntil(o -> o.hasEvent("REJECTED", 2) && o.hasEvent("REJECTED", 3) && o.hasEvent("REJECTED", 4), WAIT);
            h.produceTexts(data);
            out.awaitUntil(o -> o.predictions.size() >= data.size(), WAIT);

            assertThat(out.predictions).allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(1L));
            Map<Long, String> reasons = out.modelEvents.stream().filter(e -> e.getType().name().equals("REJECTED"))
                    .collect(Collectors.toMap(ModelEvent::getVersion, e -> String.valueOf(e.getReason()), (a, b) -> a));
            assertThat(reasons.get(2L)).containsIgnoringCase("sha");
            assertThat(reasons.get(3L)).isNotBlank();
            assertThat(reasons.get(4L)).containsIgnoringCase("self-test");
            assertThat(out.modelEvents.stream().filter(e -> e.getType().name().equals("REJECTED")))
                    .allSatisfy(e -> assertThat(e.getActiveVersion()).isEqualTo(1L));
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void recordsSentBeforeAnyModelAreAllClassifiedOnceOneArrives() throws Exception {
        PipelineHarness h = new PipelineHarness(kafka, "held", 2, Map.of());
        List<LabeledText> data = TestModels.sentences(120);
        JobClient job = h.start();
        try (Outputs out = h.outputs()) {
            h.produceTexts(data);
            // Let the job read (and hold) them, across a few checkpoints, before any model exists.
            out.settle(Duration.ofSeconds(3));
            assertThat(out.predictions).isEmpty();
            h.deploy(1, v1);
            out.awaitUntil(o -> o.predictions.size() >= data.size(), WAIT).settle(Duration.ofSeconds(1));

            assertThat(ids(out.predictions)).containsExactlyInAnyOrderElementsOf(data.stream().map(LabeledText::id).toList());
            assertThat(out.deadLetters).isEmpty();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aJobRestoredFromASavepointServesTheModelFromBroadcastStateWithoutANewPublish(@TempDir Path dir)
            throws Exception {
        PipelineHarness h = new PipelineHarness(kafka, "restore", 2, Map.of());
        List<LabeledText> data = TestModels.sentences(160);
        JobClient first = h.start();
        String savepoint;
        try (Outputs out = h.outputs()) {
            h.deploy(1, v1);
            h.produceTexts(data.subList(0, 80));
            out.awaitUntil(o -> o.predictions.size() >= 80, WAIT);
        } finally {
            savepoint = first.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
        }
        // Erase the control topic: a job without the savepoint's broadcast state could not find a model now.
        try (Admin admin = kafka.admin()) {
            TopicPartition control = new TopicPartition(h.topics.control(), 0);
            long end = admin.listOffsets(Map.of(control, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                    .partitionResult(control).get().offset();
            admin.deleteRecords(Map.of(control, RecordsToDelete.beforeOffset(end))).all().get(30, TimeUnit.SECONDS);
        }
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        JobClient second = h.start(restore);
        try (Outputs out = h.outputs()) {
            h.produceTexts(data.subList(80, 160));
            out.awaitUntil(o -> o.predictions.size() >= 160, WAIT).settle(Duration.ofSeconds(1));

            assertThat(ids(out.predictions)).containsExactlyInAnyOrderElementsOf(data.stream().map(LabeledText::id).toList());
            assertThat(out.predictions).allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(1L));
            // Only the first job ever saw a control message.
            assertThat(out.modelEvents.stream().filter(e -> e.getType().name().equals("ACCEPTED")).count()).isEqualTo(1);
        } finally {
            second.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void withTrustedKeysOnlyModelsSignedByOneOfThemAreServed(@TempDir Path dir) throws Exception {
        java.security.KeyPair trusted = dev.beex.model.artifact.ArtifactSignature.generateKeyPair();
        java.security.KeyPair stranger = dev.beex.model.artifact.ArtifactSignature.generateKeyPair();
        Path pub = dir.resolve("trusted.pub");
        dev.beex.model.artifact.ArtifactSignature.writePublicKey(trusted.getPublic(), pub);
        PipelineHarness h = new PipelineHarness(kafka, "signed", 1, Map.of("trusted.keys", pub.toString()));
        List<LabeledText> data = TestModels.sentences(40);
        byte[] a1 = v1.toBytes();
        byte[] a2 = v2.toBytes();
        JobClient job = h.start();
        try (Outputs out = h.outputs()) {
            h.publish(ModelUpdates.deploy("test-model", 1, a1, null));
            h.publish(ModelUpdates.deploy("test-model", 2, a1, dev.beex.model.artifact.ArtifactSignature.sign(a1, stranger.getPrivate())));
            h.publish(ModelUpdates.deploy("test-model", 3, a2, dev.beex.model.artifact.ArtifactSignature.sign(a2, trusted.getPrivate())));
            h.produceTexts(data);
            out.awaitUntil(o -> o.predictions.size() >= data.size() && o.hasEvent("REJECTED", 1)
                    && o.hasEvent("REJECTED", 2) && o.hasEvent("ACTIVE", 3), WAIT);

            assertThat(out.hasEvent("ACCEPTED", 1) || out.hasEvent("ACCEPTED", 2)).isFalse();
            assertThat(out.predictions).allSatisfy(p -> assertThat(p.getModelVersion()).isEqualTo(3L));
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void atLeastOnceDeliveryAlsoClassifiesEveryRecord() throws Exception {
        PipelineHarness h = new PipelineHarness(kafka, "alo", 2, Map.of("delivery", "at-least-once"));
        List<LabeledText> data = TestModels.sentences(100);
        JobClient job = h.start();
        try (Outputs out = h.outputs()) {
            h.deploy(1, v1);
            h.produceTexts(data);
            out.awaitUntil(o -> Set.copyOf(ids(o.predictions)).size() >= data.size(), WAIT);
            assertThat(Set.copyOf(ids(out.predictions))).containsExactlyInAnyOrderElementsOf(
                    data.stream().map(LabeledText::id).toList());
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<String> ids(List<PredictionRecord> predictions) {
        return predictions.stream().map(PredictionRecord::getId).toList();
    }
}
