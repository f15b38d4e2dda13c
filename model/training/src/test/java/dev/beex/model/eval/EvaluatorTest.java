package dev.beex.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.beex.model.ModelConfig;
import dev.beex.model.Precision;
import dev.beex.model.exit.ExitOutputs;
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

    // 4 records x 3 exits. reduction:0.1 fires at the first exit e >= 1 whose entropy fell by < 10%.
    //   r0: 0.8 -> 0.2 (fell 75%) -> 0.19 (fell 5%: fires at the last exit, 0-based 2; not hard)  labels 1 1 1, gold 1
    //   r1: 0.5 -> 0.48 (fell 4%: exit 1)                                                       labels 0 0 1, gold 1
    //   r2: 0.9 -> 0.5 -> 0.1 (keeps falling: fires nowhere, answers at exit 2, hard)           labels 0 1 1, gold 1
    //   r3: 0.3 -> 0.3 (exit 1)                                                                 labels 0 0 0, gold 0
    // Confidences: 1 − h/2 (what a 2-label softmax with entropy h roughly has; only floors read them).
    private static ExitOutputs outputs() {
        float[][] h = {{0.8f, 0.2f, 0.19f}, {0.5f, 0.48f, 0.2f}, {0.9f, 0.5f, 0.1f}, {0.3f, 0.3f, 0.3f}};
        int[][] labels = {{1, 1, 1}, {0, 0, 1}, {0, 1, 1}, {0, 0, 0}};
        float[][] conf = new float[4][3];
        for (int r = 0; r < 4; r++) {
            for (int e = 0; e < 3; e++) {
                conf[r][e] = 1f - h[r][e] / 2;
            }
        }
        int[] gold = {1, 1, 1, 0};
        int[] tokens = {4, 8, 2, 4};
        return new ExitOutputs(h, labels, conf, gold, tokens);
    }

    @Test
    void reportAppliesTheExitRuleToFullDepthOutputs() {
        FlopCounter f = new FlopCounter(CONFIG);
        EvalReport r = Evaluator.report(outputs(), ExitRule.entropyReduction(0.1f), f, LABELS, 1000, 16000);
        // answers: r0 exit 2 -> 1 (ok), r1 exit 1 -> 0 (wrong), r2 exit 2 -> 1 (ok), r3 exit 1 -> 0 (ok)
        assertThat(r.accuracy()).isEqualTo(0.75);
        assertThat(r.meanBlocks()).isEqualTo((3 + 2 + 3 + 2) / 4.0);
        assertThat(r.hardFraction()).as("r2 only: r0 reaches the last exit confident").isEqualTo(0.25);
        assertThat(r.exitHistogram()).containsExactly(0, 2, 2);
        assertThat(r.perExitAccuracy()).containsExactly(0.5, 0.75, 1.0);
        assertThat(r.fixedDepthAccuracy()).containsExactly(0.5, 0.75, 1.0);
        assertThat(r.hardErrorRate()).isEqualTo(0.0);                      // r2 is right at the last exit
        assertThat(r.easyErrorRate()).isCloseTo(1 / 3.0, within(1e-12));   // r1 wrong of r0, r1, r3
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
        assertThat(r.fixedDepthFlopsSaved()[2]).isZero();
        assertThat(r.fixedDepthFlopsSaved()[0]).isCloseTo(1 - (f.record(4, 1) + f.record(8, 1) + f.record(2, 1)
                + f.record(4, 1)) / full, within(1e-12));
    }

    /**
     * The same outputs read as a lexical model's (2 blocks, E = 3 exits: exit 0 before block 1):
     * exit e has run e blocks, every record pays the lexical path by its feature count, the
     * histogram counts exit 0, fixed depth stays "truncation after k = 1..blocks blocks" and
     * "exit 0 only" is reported on its own.
     */
    @Test
    void lexicalModelsCountExitZeroInHistogramsFlopsAndItsOwnAccuracy() throws IOException {
        ModelConfig lexical = new ModelConfig(64, 2, 2, 128, 8, 100, 2, Precision.BINARY, 1024, 32);
        FlopCounter f = new FlopCounter(lexical);
        ExitOutputs base = outputs();
        int[] features = {5, 3, 7, 2};
        ExitOutputs out = new ExitOutputs(base.entropies(), base.labels(), base.confidences(), base.gold(),
                base.tokens(), features);
        // absolute:0.35 fires at r3's exit 0 (0.3), r0's exit 1 (0.2), r1's and r2's exit 2 (0.2, 0.1)
        EvalReport r = Evaluator.report(out, ExitRule.absoluteEntropy(0.35f), f, LABELS, 1000, 16000);
        assertThat(r.exitHistogram()).containsExactly(1, 1, 2);
        assertThat(r.blocks()).isEqualTo(2);
        assertThat(r.meanBlocks()).as("blocks run, exit 0 runs none").isEqualTo((1 + 2 + 2 + 0) / 4.0);
        assertThat(r.hardFraction()).isZero();
        assertThat(r.fixedDepthAccuracy()).containsExactly(0.75, 1.0);
        assertThat(r.exit0Accuracy()).isEqualTo(0.5);
        double used = f.record(4, 1, 5) + f.record(8, 2, 3) + f.record(2, 2, 7) + f.record(4, 0, 2);
        double full = f.fullDepth(4, 5) + f.fullDepth(8, 3) + f.fullDepth(2, 7) + f.fullDepth(4, 2);
        assertThat(f.record(4, 0, 2)).as("exit 0 costs the lexical path only").isEqualTo(f.lexical(2)).isPositive();
        assertThat(r.flopsSaved()).isCloseTo(1 - used / full, within(1e-12));
        assertThat(r.fixedDepthFlopsSaved()[1]).isZero();
        assertThat(r.fixedDepthFlopsSaved()[0]).isCloseTo(1 - (f.record(4, 1, 5) + f.record(8, 1, 3)
                + f.record(2, 1, 7) + f.record(4, 1, 2)) / full, within(1e-12));
        JsonNode json = new ObjectMapper().readTree(r.toJson().toString());
        assertThat(json.get("exit0Accuracy").asDouble()).isEqualTo(0.5);
        assertThat(json.get("exitHistogram")).hasSize(3);
        assertThat(json.get("fixedDepthAccuracy")).hasSize(2);
        assertThat(new ObjectMapper().readTree(Evaluator.report(outputs(), ExitRule.absoluteEntropy(0.35f),
                new FlopCounter(CONFIG), LABELS, 1, 1).toJson().toString()).has("exit0Accuracy"))
                .as("the paper network has no exit 0").isFalse();

        // reduction with a floor of 0.9 (h <= 0.2): only r0 fires (exit 2); r1, r2, r3 fire nowhere and are hard
        EvalReport floored = Evaluator.report(out, ExitRule.entropyReduction(0.1f).withFloor(0.9f), f, LABELS, 1, 1);
        assertThat(floored.exitHistogram()).containsExactly(0, 0, 4);
        assertThat(floored.hardFraction()).isEqualTo(0.75);
    }

    @Test
    void aConfidenceFloorMakesUnsureRecordsHardAndTheirErrorRateIsReported() {
        FlopCounter f = new FlopCounter(CONFIG);
        // floor 0.9: only exits with h <= 0.2 may fire. r0 fires at exit 2 (0.19, reduction 5%), r1 at exit 2
        // (0.2 fell 58%: reduction too large) no -> hard; r2: exit 2 reduction 80% -> hard; r3: h 0.3 -> hard.
        EvalReport r = Evaluator.report(outputs(), ExitRule.entropyReduction(0.1f).withFloor(0.9f), f, LABELS, 1000, 16000);
        assertThat(r.exitHistogram()).containsExactly(0, 0, 4);
        assertThat(r.hardFraction()).isEqualTo(0.75);
        assertThat(r.hardErrorRate()).isEqualTo(0.0);   // r1 right at exit 2, r2 right, r3 right
        assertThat(r.easyErrorRate()).isEqualTo(0.0);
        assertThat(r.rule()).isEqualTo("reduction:0.1,floor:0.9");
        // the sweep keeps the rule's floor
        assertThat(r.sweep()).allMatch(p -> p.floor() == 0.9);
        // r1 wrong when hard: entropy:0.35 fires for r3 at exit 0 (0.3) and r0 at exit 1 (0.2); r1 at exit 2 (0.2),
        // r2 at exit 2 (0.1): nobody hard, error rate of the hard examples undefined
        EvalReport none = Evaluator.report(outputs(), ExitRule.absoluteEntropy(0.35f), f, LABELS, 1000, 16000);
        assertThat(none.hardFraction()).isZero();
        assertThat(Double.isNaN(none.hardErrorRate())).isTrue();
        assertThat(none.toJson().get("hardErrorRate").isNull()).isTrue();
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
        assertThat(r.suggested()).isNotNull();

        EvalReport none = Evaluator.report(outputs(), ExitRule.FULL_DEPTH, f, LABELS, 1000, 16000);
        assertThat(none.flopsSaved()).isZero();
        assertThat(none.hardFraction()).isEqualTo(1.0);
        assertThat(none.exitHistogram()).containsExactly(0, 0, 4);
        assertThat(none.accuracy()).isEqualTo(none.fullDepthAccuracy());
        assertThat(Double.isNaN(none.delta())).isTrue();
        assertThat(none.toText()).contains("exit rule          none").contains("reduction:0.1");
    }

    @Test
    void jsonHasEveryDocumentedField() throws IOException {
        EvalReport r = Evaluator.report(outputs(), ExitRule.entropyReduction(0.1f), new FlopCounter(CONFIG), LABELS, 1000, 16000);
        ObjectNode json = r.toJson();
        JsonNode parsed = new ObjectMapper().readTree(json.toString());
        for (String number : List.of("accuracy", "macroF1", "fullDepthAccuracy", "delta", "floor", "meanBlocks", "blocks",
                "flopsSaved", "hardFraction", "hardErrorRate", "easyErrorRate", "hardBudget", "modelBytes",
                "floatModelBytes", "sizeRatio", "flopsVsFloat")) {
            assertThat(parsed.get(number)).as(number).isNotNull();
            assertThat(parsed.get(number).isNumber()).as(number).isTrue();
        }
        assertThat(parsed.get("perExitAccuracy").isArray()).isTrue();
        assertThat(parsed.get("perExitAccuracy")).hasSize(3);
        assertThat(parsed.get("exitHistogram").toString()).isEqualTo("[0,2,2]");
        assertThat(parsed.get("fixedDepthAccuracy").toString()).isEqualTo("[0.5,0.75,1.0]");
        assertThat(parsed.get("fixedDepthFlopsSaved")).hasSize(3);
        assertThat(parsed.get("hardErrorRate").asDouble()).isZero();
        assertThat(parsed.get("easyErrorRate").asDouble()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(parsed.get("hardBudget").asDouble()).isEqualTo(0.03);
        assertThat(parsed.get("suggested").get("rule").isTextual()).isTrue();
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
