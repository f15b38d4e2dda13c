package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.CanonicalSplits;
import dev.beex.model.data.DatasetReader;
import dev.beex.model.data.JsonLines;
import dev.beex.model.data.LabeledText;
import dev.beex.model.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code beex data split|fetch} and {@code beex eval} end to end through the command line. */
class DataAndEvalCommandsTest {
    @TempDir
    Path dir;

    @Test
    void dataSplitWritesTheCanonicalSplitsOfAUserFile() throws Exception {
        StringBuilder csv = new StringBuilder("id,text,label\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i).append(",\"message number ").append(i).append(", with a comma\",").append(i % 2 == 0 ? "ham" : "spam").append('\n');
        }
        csv.append("dup,\"message   number 0, with a comma\",ham\n"); // a duplicate after normalization
        Path file = Files.writeString(dir.resolve("mine.csv"), csv);
        CliRun.Result r = CliRun.run("data", "split", file.toString(), "--out", dir.resolve("out").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("201 records read, 200 kept");
        int total = 0;
        for (String split : CanonicalSplits.NAMES) {
            List<LabeledText> part = DatasetReader.read(dir.resolve("out").resolve(split + ".jsonl"));
            for (LabeledText t : part) {
                assertThat(CanonicalSplits.splitOf(t.text())).isEqualTo(split);
            }
            total += part.size();
        }
        assertThat(total).isEqualTo(200);
    }

    @Test
    void badDataAndUnknownSetsAreOneLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "text,label\n\"open quote,ham\n");
        CliRun.Result r = CliRun.run("data", "split", bad.toString(), "--out", dir.resolve("o").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: " + bad + ":2: unterminated quoted field");
        CliRun.Result unknown = CliRun.run("data", "fetch", "--out", dir.toString(), "--sets", "sentences,mnist");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("beex: unknown data set 'mnist' (sentences, spam, imdb, all)");
    }

    private Path writeModel(ModelArtifact model) throws Exception {
        Path file = dir.resolve("m.beex");
        model.write(file);
        return file;
    }

    /** 120 labeled sentences as a JSON-lines data file. */
    private Path writeSentences() throws Exception {
        Path data = dir.resolve("test.jsonl");
        JsonLines.write(TestModels.testSentences(120), data);
        return data;
    }

    @Test
    void evalPrintsOneJsonObjectAndDrawsThePlot() throws Exception {
        ModelArtifact model = TestModels.seededModelHalfHard(3);
        Path modelFile = writeModel(model), data = writeSentences();
        Path png = dir.resolve("plot.png");
        CliRun.Result r = CliRun.run("eval", "--model", modelFile.toString(), "--data", data.toString(), "--json",
                "--plot", png.toString(), "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip().lines().count()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(r.out());
        for (String f : List.of("accuracy", "macroF1", "fullDepthAccuracy", "perExitAccuracy", "delta", "meanBlocks",
                "blocks", "flopsSaved", "hardFraction", "modelBytes", "floatModelBytes", "sizeRatio")) {
            assertThat(json.has(f)).as(f).isTrue();
        }
        assertThat(json.get("records").asInt()).isEqualTo(120);
        assertThat(json.get("blocks").asInt()).isEqualTo(3);
        assertThat(json.get("modelBytes").asLong()).isEqualTo(Files.size(modelFile));
        assertThat(json.get("rule").asText()).isEqualTo(model.exitRule().toString());
        assertThat(Files.readAllBytes(png)).hasSizeGreaterThan(5000);
        // where records leave, fixed truncation at every depth, and the review queue's error rates
        long sum = 0;
        for (JsonNode c : json.get("exitHistogram")) {
            sum += c.asLong();
        }
        assertThat(json.get("exitHistogram")).hasSize(3);
        assertThat(sum).isEqualTo(120);
        assertThat(json.get("fixedDepthAccuracy")).hasSize(3);
        for (int k = 0; k < 3; k++) {
            assertThat(json.get("fixedDepthAccuracy").get(k).asDouble()).isEqualTo(json.get("perExitAccuracy").get(k).asDouble());
        }
        double hard = json.get("hardFraction").asDouble();
        assertThat(hard).isBetween(0.0, 1.0);
        // accuracy = 1 − (hard share × hard error rate + the rest × their error rate)
        double hardErr = json.get("hardErrorRate").isNull() ? 0 : json.get("hardErrorRate").asDouble();
        double easyErr = json.get("easyErrorRate").isNull() ? 0 : json.get("easyErrorRate").asDouble();
        assertThat(1 - hard * hardErr - (1 - hard) * easyErr).isCloseTo(json.get("accuracy").asDouble(),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(json.get("hardBudget").asDouble()).isEqualTo(0.03);
        CliRun.Result budget = CliRun.run("eval", "--model", modelFile.toString(), "--data", data.toString(), "--json",
                "--hard-budget", "0.1");
        JsonNode withBudget = new ObjectMapper().readTree(budget.out());
        assertThat(withBudget.get("hardBudget").asDouble()).isEqualTo(0.1);
        assertThat(withBudget.get("suggested").get("hardFraction").asDouble()).isCloseTo(0.1,
                org.assertj.core.api.Assertions.within(0.026));

        CliRun.Result none = CliRun.run("eval", "--model", modelFile.toString(), "--data", data.toString(), "--json", "--exit-rule", "none");
        JsonNode full = new ObjectMapper().readTree(none.out());
        assertThat(full.get("flopsSaved").asDouble()).isZero();
        assertThat(full.get("accuracy").asDouble()).isEqualTo(full.get("fullDepthAccuracy").asDouble());
        assertThat(full.get("delta").isNull()).isTrue();

        CliRun.Result text = CliRun.run("eval", "--model", modelFile.toString(), "--data", data.toString());
        assertThat(text.out()).contains("accuracy").contains("FLOPs saved").contains("per-exit accuracy")
                .contains("exit histogram").contains("fixed depth").contains("hard examples").contains("calibration on this data");
    }

    /** {@code --hard-out} writes exactly the records the rule leaves unsure, as a data file training can read back. */
    @Test
    void evalWritesTheHardExamplesAsADataFile() throws Exception {
        ModelArtifact model = TestModels.seededModelHalfHard(3);
        Path modelFile = writeModel(model), data = writeSentences();
        Path hard = dir.resolve("hard.jsonl");
        CliRun.Result r = CliRun.run("eval", "--model", modelFile.toString(), "--data", data.toString(), "--json",
                "--exit-rule", "entropy:0.3", "--hard-out", hard.toString(), "--threads", "2");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<dev.beex.model.data.LabeledText> back = dev.beex.model.data.DatasetReader.read(hard);
        assertThat(back).hasSize((int) Math.round(json.get("hardFraction").asDouble() * 120)).isNotEmpty();
        java.util.Map<String, String> labelOf = new java.util.HashMap<>();
        for (dev.beex.model.data.LabeledText t : TestModels.testSentences(120)) {
            labelOf.put(t.text(), t.label());
        }
        for (dev.beex.model.data.LabeledText t : back) {
            assertThat(t.label()).isEqualTo(labelOf.get(t.text()));
        }
        JsonNode first = new ObjectMapper().readTree(Files.readAllLines(hard).get(0));
        assertThat(model.labels()).contains(first.get("predicted").asText());
        assertThat(first.get("confidence").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void evalMistakesAreOneLine() throws Exception {
        CliRun.Result missing = CliRun.run("eval", "--model", dir.resolve("none.beex").toString(), "--data", "x.jsonl");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("beex: model file not found: " + dir.resolve("none.beex"));
        Path modelFile = dir.resolve("m.beex");
        TestModels.seededModelHalfHard(3).write(modelFile);
        Path wrongLabels = Files.writeString(dir.resolve("w.jsonl"), "{\"id\":\"a1\",\"text\":\"hi\",\"label\":\"spam\"}\n");
        CliRun.Result labels = CliRun.run("eval", "--model", modelFile.toString(), "--data", wrongLabels.toString());
        assertThat(labels.code()).isEqualTo(1);
        assertThat(labels.err().strip())
                .isEqualTo("beex: record a1: label 'spam' is not one of the model's labels [negative, positive]");
        CliRun.Result rule = CliRun.run("eval", "--model", modelFile.toString(), "--data", wrongLabels.toString(), "--exit-rule", "soon");
        assertThat(rule.err().strip()).startsWith("beex: exit rule 'soon'");
    }
}
