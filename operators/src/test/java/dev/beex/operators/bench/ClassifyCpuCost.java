package dev.beex.operators.bench;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.engine.InferenceEngine;
import dev.beex.model.exit.ExitRule;
import dev.beex.model.testing.TestModels;
import dev.beex.operators.ClassifyFunction;
import dev.beex.operators.ClassifyOptions;
import dev.beex.operators.ModelStateDescriptors;
import dev.beex.operators.ModelUpdates;
import dev.beex.operators.OperatorsTestAccess;
import dev.beex.operators.OutputTags;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.SourcePosition;
import dev.beex.schemas.TextRecord;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The same comparison as {@link ClassifyBenchmark}, measured in thread CPU time instead of wall
 * time, so that it stays meaningful on a loaded, shared machine: CPU microseconds per record for
 * the engine alone and through the operator, alternating rounds.
 * Run: {@code operators/jmh.sh} builds the classpath; then
 * {@code java -cp <that classpath> dev.beex.operators.bench.ClassifyCpuCost [records] [rounds] [tiny]}.
 */
public final class ClassifyCpuCost {

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // args[2] "tiny" (d=16, 1 block): the engine costs little, so the operator's own cost shows.
        boolean tiny = args.length > 2 && args[2].equals("tiny");
        ModelArtifact model = tiny ? TestModels.seededModel(1, 16, 2, 1, 16, 32)
                : TestModels.seededModel(1, 128, 4, 6, 256, 32);
        List<TextRecord> records = new ArrayList<>();
        List<String> texts = TestModels.testTexts(256);
        for (int i = 0; i < texts.size(); i++) {
            records.add(TextRecord.newBuilder().setId("r" + i).setText(texts.get(i))
                    .setEventTime(Instant.ofEpochMilli(i)).setSource(new SourcePosition("t", 0, (long) i)).build());
        }
        InferenceEngine engine = model.newEngine(ExitRule.FULL_DEPTH);
        BroadcastOperatorTestHarness<TextRecord, ModelRegistry, PredictionRecord> harness =
                ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                        new ClassifyFunction(ClassifyOptions.defaults().withExitRuleOverride(ExitRule.FULL_DEPTH)),
                        ModelStateDescriptors.MODELS);
        harness.processBroadcastElement(OperatorsTestAccess.decide(ModelUpdates.deploy("bench", 1, model.toBytes(), null)), 0);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.printf("model %s, %d records per round, exit rule none%n", model.config(), n);
        for (int round = 0; round <= rounds; round++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                engine.score(records.get(i & 255).getText());
            }
            long t1 = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                harness.processElement(records.get(i & 255), 0);
                if ((i & 1023) == 1023) {
                    harness.getOutput().clear();
                    harness.getSideOutput(OutputTags.HARD_EXAMPLES).clear();
                }
            }
            long t2 = cpu.getCurrentThreadCpuTime();
            harness.getOutput().clear();
            harness.getSideOutput(OutputTags.HARD_EXAMPLES).clear();
            double engineUs = (t1 - t0) / 1e3 / n;
            double operatorUs = (t2 - t1) / 1e3 / n;
            System.out.printf("%s engine %.1f us/record, through operator %.1f us/record (+%.1f us, x%.3f)%n",
                    round == 0 ? "warmup" : "round " + round, engineUs, operatorUs, operatorUs - engineUs,
                    operatorUs / engineUs);
        }
        harness.close();
    }
}
