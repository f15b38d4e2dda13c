package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.pipeline.local.LocalFlink;
import dev.beex.pipeline.testing.EmbeddedKafkaExtension;
import dev.beex.pipeline.testing.Outputs;
import dev.beex.pipeline.testing.PipelineHarness;
import dev.beex.model.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a running job: publish waits for the verdict, consume reads any output
 * topic; the job's metrics are scraped from the Prometheus endpoint of local mode.
 */
@Tag("e2e")
class CliJobTest {

    private static final int METRICS_PORT = freePort();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(LocalFlink.prometheus(LocalFlink.loopback(new Configuration()),
                            String.valueOf(METRICS_PORT)))
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void publishWaitReportsTheJobsVerdictAndConsumePrintsJsonLines(@TempDir Path dir) throws Exception {
        PipelineHarness h = new PipelineHarness(KAFKA.kafka(), "cli", 1, Map.of());
        Path v1 = Files.write(dir.resolve("m.beex"), TestModels.seededModelHalfHard(1).toBytes());
        Path v2 = Files.write(dir.resolve("m2.beex"), TestModels.seededModelHalfHard(2).toBytes());
        List<String> connection = List.of("--bootstrap-servers", KAFKA.kafka().bootstrapServers(),
                "--topic", h.topics.control(), "--events-topic", h.topics.modelEvents(), "--name", "m");
        h.whileRunning(out -> {
            CliRun.Result accepted = CliRun.run(args("publish", "--model", v2.toString(), "--version", "2", "--wait",
                    "--timeout", "90", connection));
            assertThat(accepted.code()).as(accepted.err()).isZero();
            assertThat(accepted.out()).contains("accepted: m version 2 active");

            // An older version: sent fine, but the job rejects it, and publish says so.
            CliRun.Result older = CliRun.run(args("publish", "--model", v1.toString(), "--version", "1", "--wait",
                    "--timeout", "90", connection));
            assertThat(older.code()).isEqualTo(1);
            assertThat(older.err().strip()).startsWith("beex: the job rejected deploy of m version 1: version 1 is not newer")
                    .doesNotContain("\n");

            h.produceTexts(TestModels.testSentences(5));
            out.awaitUntil(o -> o.predictions.size() >= 5, Duration.ofSeconds(60));
            CliRun.Result consumed = CliRun.run("consume", "--topic", h.topics.predictions(), "--from-beginning",
                    "--max", "5", "--timeout", "30", "--bootstrap-servers", KAFKA.kafka().bootstrapServers());
            assertThat(consumed.code()).as(consumed.err()).isZero();
            List<String> lines = consumed.out().lines().toList();
            assertThat(lines).hasSize(5);
            ObjectMapper json = new ObjectMapper();
            for (String line : lines) {
                JsonNode p = json.readTree(line);
                assertThat(p.get("modelVersion").asLong()).isEqualTo(2L);
                assertThat(p.get("label").asText()).isIn(TestModels.LABELS);
                assertThat(p.get("source").get("topic").asText()).isEqualTo(h.topics.text());
            }
            String metrics = scrape("http://127.0.0.1:" + METRICS_PORT + "/metrics");
            // Every metric the Grafana dashboard in deploy/ queries exists under that name.
            String dashboard = Files.readString(Path.of("..", "deploy", "grafana", "beex-dashboard.json"));
            var names = java.util.regex.Pattern.compile("flink_[a-zA-Z_]+").matcher(dashboard).results()
                    .map(java.util.regex.MatchResult::group).distinct().toList();
            assertThat(names).hasSizeGreaterThan(10);
            for (String name : names) {
                assertThat(metrics).as("dashboard metric " + name).contains("\n" + name);
            }
            assertThat(metrics).containsPattern("flink_taskmanager_job_task_operator_beex_predictionsOut\\{[^}]*\\} 5\\.0")
                    .contains("flink_taskmanager_job_task_operator_beex_modelsAccepted");

            CliRun.Result events = CliRun.run("consume", "--topic", h.topics.modelEvents(), "--from-beginning",
                    "--max", "3", "--timeout", "30", "--bootstrap-servers", KAFKA.kafka().bootstrapServers());
            assertThat(events.out().lines().map(l -> readType(json, l)).toList())
                    .containsExactlyInAnyOrder("ACCEPTED", "ACTIVE", "REJECTED");
        });
    }

    private static String scrape(String url) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var response = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static int freePort() {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String readType(ObjectMapper json, String line) {
        try {
            return json.readTree(line).get("type").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(line, e);
        }
    }

    private static String[] args(String command, String a, String b, String c, String d, String e, String f, String g,
                                 List<String> rest) {
        List<String> all = new ArrayList<>(List.of(command, a, b, c, d, e, f, g));
        all.addAll(rest);
        return all.toArray(String[]::new);
    }
}
