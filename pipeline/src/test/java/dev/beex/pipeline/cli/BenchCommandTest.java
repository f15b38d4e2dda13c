package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.model.data.LabeledText;
import dev.beex.model.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    private static Path data(Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = new ArrayList<>();
        for (LabeledText t : TestModels.testSentences(30)) {
            lines.add(json.writeValueAsString(java.util.Map.of("id", t.id(), "text", t.text(), "label", t.label())));
        }
        return Files.write(dir.resolve("test.jsonl"), lines);
    }

    @Test
    void printsTheThreePathsAsJsonWithNoParityMismatch(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.beex");
        TestModels.seededModelHalfHard(3).write(model);
        CliRun.Result r = CliRun.run("bench", "--model", model.toString(), "--data", data(dir).toString(), "--json",
                "--warmup-seconds", "0.1", "--seconds", "0.3");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        for (String key : List.of("textsPerSecond", "fullDepthTextsPerSecond", "floatTextsPerSecond", "speedupVsFloat",
                "p50Micros", "p99Micros")) {
            assertThat(j.get(key).asDouble()).as(key).isPositive();
        }
        assertThat(j.get("parityMismatches").asInt()).isZero();
        assertThat(j.get("texts").asInt()).isEqualTo(30);
        assertThat(j.get("accuracy").asDouble()).isBetween(0.0, 1.0);

        CliRun.Result text = CliRun.run("bench", "--model", model.toString(), "--data", data(dir).toString(),
                "--warmup-seconds", "0", "--seconds", "0.2", "--limit", "5");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("(a) binary, exit rule", "(b) binary, full depth", "(c) float, full depth",
                "speedup", "accuracy", "parity     0 label");
    }

    @Test
    void benchReadsUnlabeledTexts(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.beex");
        TestModels.seededModelHalfHard(3).write(model);
        List<String> lines = new ArrayList<>();
        for (LabeledText t : TestModels.testSentences(12)) {
            lines.add(new ObjectMapper().writeValueAsString(java.util.Map.of("text", t.text())));
        }
        Path jsonl = Files.write(dir.resolve("texts.jsonl"), lines);
        Path csv = Files.writeString(dir.resolve("texts.csv"), "id,text\na,a fine phone\nb,\"it broke, sadly\"\n");
        for (Path data : List.of(jsonl, csv)) {
            CliRun.Result r = CliRun.run("bench", "--model", model.toString(), "--data", data.toString(), "--json",
                    "--warmup-seconds", "0", "--seconds", "0.2");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode j = new ObjectMapper().readTree(r.out());
            assertThat(j.get("texts").asInt()).isEqualTo(data == jsonl ? 12 : 2);
            assertThat(j.has("accuracy")).as("no labels, no accuracy").isFalse();
            assertThat(j.get("parityMismatches").asInt()).isZero();
        }
    }

    @Test
    void threadsScoreAtOnce(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.beex");
        TestModels.seededModelHalfHard(3).write(model);
        CliRun.Result r = CliRun.run("bench", "--model", model.toString(), "--data", data(dir).toString(), "--json",
                "--warmup-seconds", "0.1", "--seconds", "0.3", "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("threads").asInt()).isEqualTo(2);
        assertThat(j.get("threadsTextsPerSecond").asDouble()).isPositive();
        assertThat(j.get("threadsFullDepthTextsPerSecond").asDouble()).isPositive();
        assertThat(j.get("bitKernel").asText()).isIn("rows", "columns");

        CliRun.Result bad = CliRun.run("bench", "--model", model.toString(), "--data", data(dir).toString(),
                "--threads", "0");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("beex: --threads must be >= 1");
    }

    @Test
    void userErrorsAreOneLine(@TempDir Path dir) throws IOException {
        CliRun.Result missing = CliRun.run("bench", "--model", dir.resolve("none.beex").toString(), "--data", "x.jsonl");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).startsWith("beex: model file not found").doesNotContain("\n");

        Path bad = Files.write(dir.resolve("bad.beex"), "not a model".getBytes(StandardCharsets.UTF_8));
        CliRun.Result invalid = CliRun.run("bench", "--model", bad.toString(), "--data", data(dir).toString());
        assertThat(invalid.code()).isEqualTo(1);
        assertThat(invalid.err()).contains("not a valid model artifact").contains("not a beex model artifact");

        Path model = dir.resolve("m.beex");
        TestModels.seededModelHalfHard(4).write(model);
        CliRun.Result noData = CliRun.run("bench", "--model", model.toString(), "--data", dir.resolve("nope.jsonl").toString());
        assertThat(noData.err().strip()).isEqualTo("beex: --data: data file not found: " + dir.resolve("nope.jsonl"));

        CliRun.Result seconds = CliRun.run("bench", "--model", model.toString(), "--data", data(dir).toString(), "--seconds", "0");
        assertThat(seconds.code()).isEqualTo(1);
        assertThat(seconds.err()).contains("--seconds must be > 0");
    }
}
