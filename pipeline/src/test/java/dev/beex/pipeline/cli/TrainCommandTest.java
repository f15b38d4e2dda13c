package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.train.TrainingProgress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                "--epochs", "1", "--batch", "16", "--threads", "2", "--quiet");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dev accuracy").contains("exit rule reduction:").contains("bytes");
        ModelArtifact artifact = ModelArtifact.read(model);
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
        ModelArtifact p = ModelArtifact.read(paper);
        assertThat(p.config().lexical()).isFalse();
        assertThat(p.config().exits()).isEqualTo(2);
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
                "--lex-dim", "0");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("beex: train: lexical buckets and dim must both be > 0");

        r = CliRun.run("train", "--train", train.toString(), "--dev", train.toString(), "--out", "x.beex",
                "--token-dropout", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: train: token dropout must be in [0, 1)");

        r = CliRun.run("train", "--train", dir.resolve("missing.jsonl").toString(), "--dev", train.toString(), "--out", "x.beex");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --train: data file not found: " + dir.resolve("missing.jsonl"));
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
