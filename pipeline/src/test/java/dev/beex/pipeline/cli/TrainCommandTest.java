package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.beex.model.artifact.ArtifactReader;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.teacher.TeacherCache;
import dev.beex.model.train.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    private static Path jsonl(Path dir, String name, List<LabeledText> data) throws IOException {
        List<String> lines = new ArrayList<>();
        for (LabeledText t : data) {
            lines.add("{\"id\":\"" + t.id() + "\",\"text\":\"" + t.text().replace("\\", "\\\\").replace("\"", "\\\"")
                    + "\",\"label\":\"" + t.label() + "\"}");
        }
        return Files.write(dir.resolve(name), lines);
    }

    @Test
    void trainsATinyModelAndWritesAnArtifactThatLoads(@TempDir Path dir) throws Exception {
        Path train = jsonl(dir, "train.jsonl", TestDatasets.sentences("train").subList(0, 400));
        Path dev = jsonl(dir, "dev.jsonl", TestDatasets.sentences("dev").subList(0, 100));
        Path model = dir.resolve("out/model.beex");
        CliRun.Result r = CliRun.run("train", "--train", train.toString(), "--dev", dev.toString(), "--out", model.toString(),
                "--dim", "16", "--heads", "2", "--blocks", "2", "--hidden", "16", "--max-tokens", "16",
                "--epochs", "1", "--batch", "16", "--threads", "2", "--quiet", "--teacher-cache", dir.resolve("empty").toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dev accuracy").contains("exit rule ").contains("bytes");
        // --teacher auto with neither teacher outputs nor the teacher jar: trains on, and says why
        assertThat(r.out()).contains("teacher: none (no teacher outputs for train.jsonl in " + dir.resolve("empty"));
        ModelArtifact artifact = ArtifactReader.read(model);
        assertThat(artifact.metadata()).doesNotContainKey("train.teacher");

        // What train printed for dev is what eval of the written artifact reports on the same dev split.
        Matcher m = Pattern.compile("dev accuracy ([0-9.]+) \\(last exit ([0-9.]+)\\), exit rule (\\S+), mean blocks ([0-9.]+)")
                .matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        Matcher hard = Pattern.compile("hard examples ([0-9.]+) \\(budget ([0-9.]+)\\), FLOPs saved ([0-9.]+)").matcher(r.out());
        assertThat(hard.find()).as(r.out()).isTrue();
        CliRun.Result e = CliRun.run("eval", "--model", model.toString(), "--data", dev.toString(), "--json", "--threads", "1");
        assertThat(e.code()).as(e.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(e.out());
        assertThat(m.group(3)).isEqualTo(artifact.exitRule().toString()).isEqualTo(j.get("rule").asText())
                .isEqualTo(j.get("suggested").get("rule").asText());
        assertThat(m.group(1)).isEqualTo(String.format(Locale.ROOT, "%.4f", j.get("accuracy").asDouble()));
        assertThat(m.group(2)).isEqualTo(String.format(Locale.ROOT, "%.4f", j.get("fullDepthAccuracy").asDouble()));
        assertThat(m.group(4)).isEqualTo(String.format(Locale.ROOT, "%.2f", j.get("meanBlocks").asDouble()));
        assertThat(hard.group(1)).isEqualTo(String.format(Locale.ROOT, "%.4f", j.get("hardFraction").asDouble()));
        assertThat(hard.group(2)).isEqualTo("0.0300");
        assertThat(hard.group(3)).isEqualTo(String.format(Locale.ROOT, "%.4f", j.get("flopsSaved").asDouble()));
        assertThat(artifact.metadata()).containsEntry("calibration.hardBudget", "0.03")
                .containsEntry("dev.accuracy", m.group(1));

        assertThat(artifact.config().dim()).isEqualTo(16);
        assertThat(artifact.config().blocks()).isEqualTo(2);
        assertThat(artifact.labels()).containsExactly("negative", "positive");
        assertThat(artifact.metadata()).containsKey("dev.accuracy");
        assertThat(artifact.newEngine().score("a great phone").label()).isIn("negative", "positive");
        // the default architecture: the lexical path with its exit 0
        assertThat(artifact.config().lexical()).isTrue();
        assertThat(artifact.config().lexBuckets()).isEqualTo(1 << 15);
        assertThat(artifact.config().exits()).isEqualTo(3);

        Path paper = dir.resolve("out/paper.beex");
        r = CliRun.run("train", "--train", train.toString(), "--dev", dev.toString(), "--out", paper.toString(),
                "--dim", "16", "--heads", "2", "--blocks", "2", "--hidden", "16", "--max-tokens", "16",
                "--epochs", "1", "--batch", "16", "--threads", "2", "--quiet", "--arch", "paper");
        assertThat(r.code()).as(r.err()).isZero();
        ModelArtifact p = ArtifactReader.read(paper);
        assertThat(p.config().lexical()).isFalse();
        assertThat(p.config().exits()).isEqualTo(2);
        assertThat(p.config().binaryAttention()).as("the paper's network keeps float scores").isFalse();
        // binary attention scores by default (format 4); --attention float gives format 3
        assertThat(artifact.config().binaryAttention()).isTrue();
        assertThat(java.nio.ByteBuffer.wrap(Files.readAllBytes(model)).getShort(4)).as("format").isEqualTo((short) 4);

        Path floatScores = dir.resolve("out/float-attention.beex");
        r = CliRun.run("train", "--train", train.toString(), "--dev", dev.toString(), "--out", floatScores.toString(),
                "--dim", "16", "--heads", "2", "--blocks", "2", "--hidden", "16", "--max-tokens", "16",
                "--epochs", "1", "--batch", "16", "--threads", "2", "--quiet", "--attention", "float");
        assertThat(r.code()).as(r.err()).isZero();
        ModelArtifact f = ArtifactReader.read(floatScores);
        assertThat(f.config().binaryAttention()).isFalse();
        assertThat(java.nio.ByteBuffer.wrap(Files.readAllBytes(floatScores)).getShort(4)).as("format").isEqualTo((short) 3);
        e = CliRun.run("eval", "--model", floatScores.toString(), "--data", dev.toString(), "--json", "--threads", "1");
        assertThat(e.code()).as(e.err()).isZero();
    }

    /** {@code --init}: the next version keeps the model's shape, labels and tokenizer and records where it came from. */
    @Test
    void initWarmStartsFromAModelAndRefusesShapeOptions(@TempDir Path dir) throws Exception {
        Path train = jsonl(dir, "train.jsonl", TestDatasets.sentences("train").subList(0, 300));
        Path reviewed = jsonl(dir, "reviewed.jsonl", TestDatasets.sentences("train").subList(300, 500));
        Path dev = jsonl(dir, "dev.jsonl", TestDatasets.sentences("dev").subList(0, 80));
        Path v1 = dir.resolve("v1.beex"), v2 = dir.resolve("v2.beex");
        CliRun.Result r = CliRun.run("train", "--train", train.toString(), "--dev", dev.toString(), "--out", v1.toString(),
                "--dim", "16", "--heads", "2", "--blocks", "3", "--hidden", "16", "--max-tokens", "16",
                "--epochs", "1", "--batch", "16", "--threads", "2", "--quiet", "--lex-pretrain", "1");
        assertThat(r.code()).as(r.err()).isZero();
        r = CliRun.run("train", "--init", v1.toString(), "--train", reviewed.toString(), "--dev", dev.toString(),
                "--out", v2.toString(), "--epochs", "1", "--batch", "16", "--threads", "2", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("warm start from v1.beex").contains("mean blocks").contains("of 3");
        ModelArtifact before = ArtifactReader.read(v1), after = ArtifactReader.read(v2);
        assertThat(after.config()).isEqualTo(before.config());
        assertThat(after.labels()).isEqualTo(before.labels());
        assertThat(after.metadata().get("train.init")).startsWith("v1.beex (sha256 " + before.sha256().substring(0, 12));

        r = CliRun.run("train", "--init", v1.toString(), "--train", reviewed.toString(), "--dev", dev.toString(),
                "--out", v2.toString(), "--dim", "32");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --init: --dim cannot be combined with a warm start (the model keeps"
                + " its shape, tokenizer and embeddings)");
        r = CliRun.run("train", "--init", dev.toString(), "--train", reviewed.toString(), "--dev", dev.toString(),
                "--out", v2.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("beex: --init: cannot read " + dev).doesNotContain("\n");
    }

    @Test
    void badFlagsAreOneLine(@TempDir Path dir) throws Exception {
        Path train = jsonl(dir, "train.jsonl", TestDatasets.sentences("train").subList(0, 10));
        CliRun.Result r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--precision", "half");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --precision: 'half' is not binary or float");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--dim", "30", "--heads", "4");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: train: dim must be a positive multiple of heads");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--exit-weights", "1,2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("beex: train: exit weights '1,2': expected").doesNotContain("\tat ");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--arch", "bert");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --arch: 'bert' is not lexical or paper");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--attention", "sparse");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --attention: 'sparse' is not float or binary");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--attention", "binary", "--precision", "float");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: train: binary attention needs binary precision");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--lex-pretrain", "-1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --lex-pretrain: '-1' is not a number of passes >= 0 or auto");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--lex-dim", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("beex: train: lexical buckets and dim must both be > 0");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--token-dropout", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: train: token dropout must be in [0, 1)");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--hard-budget", "1.5");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: train: hard budget must be in [0, 1)");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--teacher", "sometimes");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --teacher: 'sometimes' is not auto, always or off");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--teacher", "always", "--teacher-cache", dir.resolve("none").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("beex: --teacher-cache: no teacher outputs for train.jsonl in " + dir.resolve("none")
                + ": run beex teacher --data ").doesNotContain("\n");

        r = CliRun.run("train", "--train", dir.resolve("missing.jsonl").toString(), "--dev", train.toString(), "--out", "x.beex");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --train: data file not found: " + dir.resolve("missing.jsonl"));
    }

    /**
     * The default --teacher auto with the real teacher jar (built by the model/teacher module before
     * this one): train computes the teacher's outputs for --train and --dev into the cache, judges the
     * teacher on dev and records the verdict; a second run reuses the cache.
     */
    @Test
    void teacherAutoComputesMissingOutputsThroughTheTeacherJarAndJudgesThem(@TempDir Path dir) throws Exception {
        Path jar = Path.of("..", "model", "teacher", "target", "beex-teacher.jar").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(jar),
                "the teacher jar is built by the model/teacher module (mvn verify from the root builds it first)");
        Path train = jsonl(dir, "train.jsonl", TestDatasets.sentences("train").subList(0, 300));
        Path dev = jsonl(dir, "dev.jsonl", TestDatasets.sentences("dev").subList(0, 80));
        Path cache = dir.resolve("cache");
        String[] args = {"train", "--train", train.toString(), "--dev", dev.toString(), "--out", dir.resolve("m.beex").toString(),
                "--dim", "16", "--heads", "2", "--blocks", "2", "--hidden", "16", "--max-tokens", "16", "--vocab", "1000",
                "--epochs", "1", "--batch", "16", "--threads", "2", "--quiet", "--lex-pretrain", "2",
                "--teacher-cache", cache.toString()};
        String saved = System.getProperty(TeacherRunner.JAR_PROPERTY);
        System.setProperty(TeacherRunner.JAR_PROPERTY, jar.toString());
        try {
            CliRun.Result r = CliRun.run(args);
            assertThat(r.code()).as(r.err() + r.out()).isZero();
            assertThat(r.out()).contains("teacher: computing its outputs for train.jsonl")
                    .contains("teacher: computing its outputs for dev.jsonl")
                    .containsPattern("teacher all-minilm-l6-v2-q-c1000: (used|not used) \\(dev: its head [0-9.]+, the pre-trained"
                            + " lexical exit 0 [0-9.]+;");
            try (var files = Files.list(cache)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .containsExactlyInAnyOrder(
                                TeacherCache.fileName(TeacherCache.sha256(train),
                                        "all-minilm-l6-v2-q-c1000"),
                                TeacherCache.fileName(TeacherCache.sha256(dev),
                                        "all-minilm-l6-v2-q-c1000"));
            }
            ModelArtifact m = ArtifactReader.read(dir.resolve("m.beex"));
            assertThat(m.metadata().get("train.teacher")).startsWith("all-minilm-l6-v2-q-c1000 ").contains("(judged on dev)");

            CliRun.Result again = CliRun.run(args);
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(again.out()).doesNotContain("teacher: computing").contains("teacher all-minilm-l6-v2-q-c1000: ");
        } finally {
            if (saved == null) {
                System.clearProperty(TeacherRunner.JAR_PROPERTY);
            } else {
                System.setProperty(TeacherRunner.JAR_PROPERTY, saved);
            }
        }
    }

    /** A --words-only cache cannot judge the teacher: auto trains without one and says why (no jar to complete it). */
    @Test
    void teacherAutoWithAWordsOnlyCacheAndNoJarTrainsWithoutATeacher(@TempDir Path dir) throws Exception {
        Path train = jsonl(dir, "train.jsonl", TestDatasets.sentences("train").subList(0, 200));
        Path dev = jsonl(dir, "dev.jsonl", TestDatasets.sentences("dev").subList(0, 50));
        Path cache = dir.resolve("cache");
        TeacherCache.write(cache, new TeacherCache.Outputs("t", TeacherCache.sha256(train), 2, new float[0][],
                java.util.Map.of("good", new float[] {1f, 0f})));
        CliRun.Result r = CliRun.run("train", "--train", train.toString(), "--dev", dev.toString(), "--out",
                dir.resolve("m.beex").toString(), "--dim", "16", "--heads", "2", "--blocks", "1", "--hidden", "16",
                "--max-tokens", "16", "--epochs", "1", "--threads", "1", "--quiet", "--lex-pretrain", "1",
                "--teacher-cache", cache.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("teacher: none (the outputs for train.jsonl in " + cache + " hold word vectors only");
        assertThat(ArtifactReader.read(dir.resolve("m.beex")).metadata()).doesNotContainKey("train.teacher");
    }

    @Test
    void progressLineShowsEpochStepLossDevAndEta() {
        TrainingProgress p = new TrainingProgress(2, 5, 30, 60, 0.4567, Double.NaN, false, false, 10_000, 75_000, 123.0);
        String line = TrainCommand.ProgressBar.line(p, 0.8123);
        assertThat(line).contains("epoch 2/5").contains("step 30/60").contains("loss 0.4567")
                .contains("dev 0.8123").contains("ETA 1m15s").contains("############............")
                .doesNotContain("\n");
    }
}
