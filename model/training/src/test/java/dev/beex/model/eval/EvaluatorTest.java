package dev.beex.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beex.model.ModelConfig;
import dev.beex.model.Precision;
import dev.beex.model.exit.ExitRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's numbers from hand-made full-depth outputs (no model needed). */
class EvaluatorTest {
    private static final ModelConfig CONFIG = new ModelConfig(64, 2, 3, 128, 8, 100, 2, Precision.BINARY);
    private static final List<String> LABELS = List.of("ham", "spam");

    // 4 records x 3 blocks. reduction:0.1 exits at the first block b >= 1 whose entropy fell by < 10%.
    //   r0: 0.8 -> 0.2 (fell 75%) -> 0.19 (fell 5%: exit at block 2, 0-based)  labels 1 1 1, gold 1
    //   r1: 0.5 -> 0.48 (fell 4%: exit at block 1)                             labels 0 0 1, gold 1
    //   r2: 0.9 -> 0.5 -> 0.1 (keeps falling: runs all 3 blocks, hard)         labels 0 1 1, gold 1
    //   r3: 0.3 -> 0.3 (exit at block 1)                                       labels 0 0 0, gold 0
    private static Evaluator.ExitOutputs outputs() {
        float[][] h = {{0.8f, 0.2f, 0.19f}, {0.5f, 0.48f, 0.2f}, {0.9f, 0.5f, 0.1f}, {0.3f, 0.3f, 0.3f}};
        int[][] labels = {{1, 1, 1}, {0, 0, 1}, {0, 1, 1}, {0, 0, 0}};
        int[] gold = {1, 1, 1, 0};
        int[] tokens = {4, 8, 2, 4};
        return new Evaluator.ExitOutputs(h, labels, gold, tokens);
    }

    @Test
    void reportAppliesTheExitRuleToFullDepthOutputs() {
        FlopCounter f = new FlopCounter(CONFIG);
        EvalReport r = Evaluator.report(outputs(), ExitRule.entropyReduction(0.1f), f, LABELS, 1000, 16000);
        // answers: r0 exit 2 -> 1 (ok), r1 exit 1 -> 0 (wrong), r2 exit 2 -> 1 (ok), r3 exit 1 -> 0 (ok)
        assertThat(r.accuracy()).isEqualTo(0.75);
        assertThat(r.meanBlocks()).isEqualTo((3 + 2 + 3 + 2) / 4.0);
        assertThat(r.hardFraction()).isEqualTo(0.5);
        assertThat(r.perExitAccuracy()).containsExactly(0.5, 0.75, 1.0);
        assertThat(r.fullDepthAccuracy()).isEqualTo(1.0);
        assertThat(r.fullDepthMacroF1()).isEqualTo(1.0);
        // macro-F1 with the rule: ham P 1/2 R 1 F1 2/3; spam P 1 R 2/3 F1 0.8
        assertThat(r.macroF1()).isCloseTo((2.0 / 3 + 0.8) / 2, within(1e-12));
        double used = f.record(4, 3) + f.record(8, 2) + f.record(2, 3) + f.record(4, 2);
        double full = f.fullDepth(4) + f.fullDepth(8) + f.fullDepth(2) + f.fullDepth(4);
        assertThat(r.flopsSaved()).isCloseTo(1 - used / full, within(1e-12));
        assertThat(r.flopsPerRecord()).isCloseTo(used / 4, within(1e-6));
        assertThat(r.fullDepthFlopsPerRecord()).isCloseTo(full / 4, within(1e-6));
        assertThat(r.meanTokens()).isEqualTo(4.5);
        assertThat(r.sizeRatio()).isEqualTo(16.0);
        assertThat(r.delta()).isCloseTo(0.1, within(1e-6));
        assertThat(r.blocks()).isEqualTo(3);
    }

    @Test
    void theSweepContainsTheChosenRuleAndFullDepthSavesNothing() {
        FlopCounter f = new FlopCounter(CONFIG);
        EvalReport r = Evaluator.report(outputs(), ExitRule.entropyReduction(0.123f), f, LABELS, 1000, 16000);
        List<EvalReport.SweepPoint> chosen = r.sweep().stream().filter(EvalReport.SweepPoint::chosen).toList();
        assertThat(chosen).hasSize(1);
        assertThat(chosen.get(0).accuracy()).isEqualTo(r.accuracy());
        assertThat(chosen.get(0).flopsSaved()).isEqualTo(r.flopsSaved());
        // δ = -1 never exits (reduction is never below -1 here): full depth, nothing saved
        EvalReport.SweepPoint never = r.sweep().get(0);
        assertThat(never.threshold()).isEqualTo(-1.0);
        assertThat(never.meanBlocks()).isEqualTo(3.0);
        assertThat(never.flopsSaved()).isZero();
        assertThat(never.accuracy()).isEqualTo(r.fullDepthAccuracy());
        assertThat(r.suggested()).isIn(r.sweep());

        EvalReport none = Evaluator.report(outputs(), ExitRule.FULL_DEPTH, f, LABELS, 1000, 16000);
        assertThat(none.flopsSaved()).isZero();
        assertThat(none.hardFraction()).isEqualTo(1.0);
        assertThat(none.accuracy()).isEqualTo(none.fullDepthAccuracy());
        assertThat(Double.isNaN(none.delta())).isTrue();
        assertThat(none.toText()).contains("exit rule          none").contains("reduction:0.1");
    }

    @Test
    void jsonHasEveryDocumentedField() throws IOException {
        EvalReport r = Evaluator.report(outputs(), ExitRule.entropyReduction(0.1f), new FlopCounter(CONFIG), LABELS, 1000, 16000);
        ObjectNode json = r.toJson();
        JsonNode parsed = new ObjectMapper().readTree(json.toString());
        for (String number : List.of("accuracy", "macroF1", "fullDepthAccuracy", "delta", "meanBlocks", "blocks",
                "flopsSaved", "hardFraction", "modelBytes", "floatModelBytes", "sizeRatio", "flopsVsFloat")) {
            assertThat(parsed.get(number)).as(number).isNotNull();
            assertThat(parsed.get(number).isNumber()).as(number).isTrue();
        }
        assertThat(parsed.get("perExitAccuracy").isArray()).isTrue();
        assertThat(parsed.get("perExitAccuracy")).hasSize(3);
        assertThat(parsed.get("accuracy").asDouble()).isEqualTo(0.75);
        assertThat(parsed.get("blocks").asInt()).isEqualTo(3);
        assertThat(parsed.get("modelBytes").asLong()).isEqualTo(1000);
        assertThat(parsed.get("rule").asText()).isEqualTo("reduction:0.1");
        assertThat(parsed.get("sweep").get(0).has("flopsSaved")).isTrue();
        assertThat(parsed.get("perLabel").get(1).get("label").asText()).isEqualTo("spam");
        JsonNode none = new ObjectMapper().readTree(Evaluator.report(outputs(), ExitRule.FULL_DEPTH,
                new FlopCounter(CONFIG), LABELS, 1, 1).toJson().toString());
        assertThat(none.get("delta").isNull()).isTrue();
    }

    @Test
    void plotIsAPng(@TempDir Path dir) throws IOException {
        EvalReport r = Evaluator.report(outputs(), ExitRule.entropyReduction(0.1f), new FlopCounter(CONFIG), LABELS, 1000, 16000);
        Path png = dir.resolve("sub/plot.png");
        EvalPlot.write(r, "test", png);
        byte[] head = Files.readAllBytes(png);
        assertThat(head.length).isGreaterThan(5000);
        assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
