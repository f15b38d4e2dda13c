package dev.beex.model.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.Precision;
import dev.beex.model.data.LabeledText;
import dev.beex.model.data.TestDatasets;
import dev.beex.model.bench.EngineBenchmark;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark runs all three paths and reports zero parity mismatches (speed targets live in bench, not here). */
class EngineBenchmarkTest {

    @Test
    void measuresAllThreePathsAndFindsNoParityMismatch() {
        ModelArtifact a = ArtifactFixtures.small(Precision.BINARY, 11);
        List<LabeledText> data = TestDatasets.sentences("test").subList(0, 40);
        List<String> texts = data.stream().map(LabeledText::text).toList();
        List<String> gold = data.stream().map(LabeledText::label).toList();
        EngineBenchmark.Result r = EngineBenchmark.run(a, a.exitRule(), texts, gold, 0.05, 0.3);
        // accuracy agrees with scoring the texts one by one
        dev.beex.model.engine.InferenceEngine engine = a.newEngine();
        long correct = data.stream().filter(t -> engine.score(t.text()).label().equals(t.label())).count();
        assertThat(r.accuracy()).isEqualTo(correct / 40.0);
        assertThat(EngineBenchmark.run(a, texts, 0, 0.1).toJson()).doesNotContainKey("accuracy");
        assertThat(r.texts()).isEqualTo(40);
        assertThat(r.parityMismatches()).isZero();
        assertThat(r.exitMismatches()).isZero();
        for (EngineBenchmark.Run run : List.of(r.binary(), r.fullDepth(), r.floatPath())) {
            assertThat(run.texts()).isPositive();
            assertThat(run.textsPerSecond()).isPositive();
            assertThat(run.p99Micros()).isGreaterThanOrEqualTo(run.p50Micros()).isPositive();
        }
        assertThat(r.fullDepth().meanBlocks()).isEqualTo(a.config().blocks());
        assertThat(r.floatPath().meanBlocks()).isEqualTo(a.config().blocks());
        assertThat(r.binary().meanBlocks()).isBetween(1.0, (double) a.config().blocks());
        assertThat(r.toJson()).containsKeys("textsPerSecond", "fullDepthTextsPerSecond", "floatTextsPerSecond",
                "speedupVsFloat", "p50Micros", "p99Micros", "parityMismatches");
    }

    /** Threads scoring a lexical model reach its last exit (index = blocks): results must be sized by exits. */
    @Test
    void threadsScoreALexicalModelToItsLastExit() throws InterruptedException {
        ModelArtifact a = ArtifactFixtures.smallLexical(Precision.BINARY, 11);
        List<String> texts = TestDatasets.sentences("test").subList(0, 40).stream().map(LabeledText::text).toList();
        assertThat(EngineBenchmark.parallelTextsPerSecond(a, dev.beex.model.exit.ExitRule.FULL_DEPTH, texts, 2, 0.05, 0.2))
                .isPositive();
    }
}
