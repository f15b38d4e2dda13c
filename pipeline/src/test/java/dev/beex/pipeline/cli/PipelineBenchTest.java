package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.model.data.LabeledText;
import dev.beex.model.testing.TestModels;
import dev.beex.pipeline.local.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code beex bench --pipeline --json} on a tiny input: a real broker and MiniCluster, every documented key. */
class PipelineBenchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A model and 20 labeled sentences in {@code dir}: the --model and --data arguments. */
    private static List<String> modelAndData(Path dir) throws Exception {
        Path model = dir.resolve("m.beex");
        TestModels.seededModelHalfHard(3).write(model);
        List<String> lines = new ArrayList<>();
        for (LabeledText t : TestModels.testSentences(20)) {
            lines.add(JSON.writeValueAsString(Map.of("id", t.id(), "text", t.text(), "label", t.label())));
        }
        Path data = Files.write(dir.resolve("test.jsonl"), lines);
        return List.of("--model", model.toString(), "--data", data.toString());
    }

    /** {@code beex bench --pipeline --json} with small sizes and {@code extra} flags; must succeed. */
    private static CliRun.Result bench(Path dir, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("bench", "--pipeline", "--json", "--records", "60",
                "--latency-seconds", "1", "--seconds", "0.5", "--checkpoint-ms", "200", "--parallelism", "2"));
        args.addAll(modelAndData(dir));
        args.addAll(List.of(extra));
        CliRun.Result r = CliRun.run(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r;
    }

    /** The JSON object: the test logging configuration also writes to stdout, it is the last such line. */
    private static JsonNode json(CliRun.Result r) throws Exception {
        return JSON.readTree(r.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(r.out()));
    }

    @Test
    void measuresTheJobAgainstTheBareEngine(@TempDir Path dir) throws Exception {
        JsonNode j = json(bench(dir));
        assertThat(j.get("broker").asText()).isEqualTo("embedded");
        assertThat(j.has("bootstrapServers")).isFalse();
        for (String key : List.of("recordsPerSecond", "engineTextsPerSecond", "perCoreEfficiency", "p50Millis",
                "p99Millis")) {
            assertThat(j.has(key)).as(key).isTrue();
            assertThat(j.get(key).asDouble()).as(key).isGreaterThanOrEqualTo(0.0);
        }
        assertThat(j.get("recordsPerSecond").asDouble()).isPositive();
        assertThat(j.get("engineTextsPerSecond").asDouble()).isPositive();
        assertThat(j.get("parallelism").asInt()).isEqualTo(2);
        assertThat(j.get("delivery").asText()).isEqualTo("at-least-once");
        assertThat(j.get("perCoreEfficiency").asDouble()).isCloseTo(
                j.get("recordsPerSecond").asDouble() / (2 * j.get("engineTextsPerSecond").asDouble()),
                org.assertj.core.data.Offset.offset(1e-9));
        JsonNode eo = j.get("exactlyOnce");
        assertThat(eo.get("delivery").asText()).isEqualTo("exactly-once");
        assertThat(eo.get("checkpointIntervalMillis").asLong()).isEqualTo(200);
        assertThat(eo.get("p99Millis").asDouble()).isGreaterThanOrEqualTo(eo.get("p50Millis").asDouble());
    }

    @Test
    void badPipelineFlagsAreOneLine(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.beex");
        TestModels.seededModelHalfHard(3).write(model);
        Path data = Files.write(dir.resolve("d.jsonl"), List.of("{\"id\":\"a\",\"text\":\"hi\",\"label\":\"x\"}"));
        CliRun.Result r = CliRun.run("bench", "--pipeline", "--model", model.toString(), "--data", data.toString(),
                "--parallelism", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("beex: --pipeline needs").doesNotContain("\n");

        CliRun.Result noCluster = CliRun.run("bench", "--pipeline", "--model", model.toString(), "--data",
                data.toString(), "--kafka", "security.protocol=SSL");
        assertThat(noCluster.code()).isEqualTo(1);
        assertThat(noCluster.err().strip()).startsWith("beex: --kafka needs --bootstrap-servers").doesNotContain("\n");

        CliRun.Result noPipeline = CliRun.run("bench", "--model", model.toString(), "--data", data.toString(),
                "--bootstrap-servers", "127.0.0.1:1");
        assertThat(noPipeline.code()).isEqualTo(1);
        assertThat(noPipeline.err().strip()).contains("bench --pipeline only").doesNotContain("\n");
    }

    /**
     * {@code --bootstrap-servers}: the run uses that cluster (no broker of its own), names its
     * topics uniquely and deletes them at the end.
     */
    @Test
    void runsOnAnExternalClusterAndDeletesItsTopics(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka cluster = EmbeddedKafka.start(); Admin admin = cluster.admin()) {
            cluster.createTopic("someone.elses", 1);
            CliRun.Result r = bench(dir, "--bootstrap-servers", cluster.bootstrapServers(),
                    "--kafka", "metadata.max.age.ms=60000");
            // the run's own names, not the embedded path's fixed beex.bench.text
            assertThat(r.err()).containsPattern("pre-filled into 2 partitions of beex\\.bench\\.[0-9a-f]{8}\\.text");
            JsonNode j = json(r);
            assertThat(j.get("broker").asText()).isEqualTo("external");
            assertThat(j.get("bootstrapServers").asText()).isEqualTo(cluster.bootstrapServers());
            assertThat(j.get("recordsPerSecond").asDouble()).isPositive();
            assertThat(j.get("exactlyOnce").get("recordsPerSecond").asDouble()).isPositive();
            Set<String> left = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(left).contains("someone.elses").noneMatch(t -> t.startsWith("beex.bench."));
            assertThat(admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS))
                    .noneMatch(g -> g.groupId().startsWith("beex-bench-"));
        }
    }
}
