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
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.SourcePosition;
import dev.beex.schemas.TextRecord;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.util.BroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the classifier operator adds on top of the engine, per record, for the default model shape
 * (d=128, 4 heads, 6 blocks, SLFN 256; texts of the sentences test split, cut at 32 tokens; exit
 * rule "none" so every record runs all blocks and the work is the same in both):
 * <ul>
 *   <li>{@code engineOnly}: {@code InferenceEngine.score(text)};</li>
 *   <li>{@code throughOperator}: {@code ClassifyFunction} in Flink's operator harness: broadcast-state
 *       lookup, scoring, PredictionRecord + HardExample building, metrics, side output.</li>
 * </ul>
 * Score: microseconds per record. Run: {@code operators/jmh.sh ClassifyBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.beex.schemas"})
public class ClassifyBenchmark {

    private List<TextRecord> records;
    private InferenceEngine engine;
    private BroadcastOperatorTestHarness<TextRecord, ModelRegistry, PredictionRecord> harness;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ModelArtifact model = TestModels.seededModel(1, 128, 4, 6, 256, 32);
        List<String> texts = TestModels.testTexts(256);
        records = new java.util.ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            records.add(TextRecord.newBuilder().setId("r" + i).setText(texts.get(i))
                    .setEventTime(Instant.ofEpochMilli(i)).setSource(new SourcePosition("t", 0, (long) i)).build());
        }
        engine = model.newEngine(ExitRule.FULL_DEPTH);
        harness = ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                new ClassifyFunction(ClassifyOptions.defaults().withExitRuleOverride(ExitRule.FULL_DEPTH)), ModelStateDescriptors.MODELS);
        harness.processBroadcastElement(OperatorsTestAccess.decide(ModelUpdates.deploy("bench", 1, model.toBytes(), null)), 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    public Object engineOnly() {
        TextRecord r = records.get(next++ & 255);
        return engine.score(r.getText());
    }

    @Benchmark
    public int throughOperator() throws Exception {
        TextRecord r = records.get(next++ & 255);
        harness.processElement(r, 0);
        int n = harness.getOutput().size();
        if (n > 1024) {
            harness.getOutput().clear();
            harness.getSideOutput(dev.beex.operators.OutputTags.HARD_EXAMPLES).clear();
        }
        return n;
    }
}
