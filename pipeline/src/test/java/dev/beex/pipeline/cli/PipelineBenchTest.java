package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.model.data.LabeledText;
import dev.beex.model.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code beex bench --pipeline --json} on a tiny input: a real broker and MiniCluster, every documented key. */
class PipelineBenchTest {

    @Test
    void measuresTheJobAgainstTheBareEngine(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.beex");
        TestModels.seededModelHalfHard(3).write(model);
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (LabeledText t : TestModels.testSentences(20)) {
            lines.add(json.writeValueAsString(Map.of("id", t.id(), "text", t.text(), "label", t.label())));
        }
        Path data = Files.write(dir.resolve("test.jsonl"), lines);

        CliRun.Result r = CliRun.run("bench", "--pipeline", "--json", "--model", model.toString(), "--data",
                data.toString(), "--records", "60", "--latency-seconds", "1", "--seconds", "0.5",
                "--checkpoint-ms", "200", "--parallelism", "2");
        assertThat(r.code()).as(r.err()).isZero();
        // the test logging configuration also writes to stdout: the JSON object is the last line
        String last = r.out().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(r.out());
        JsonNode j = json.readTree(last);
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
    }
}
