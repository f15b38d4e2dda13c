package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beex.model.testing.TestModels;
import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.TextRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operators wired as the job wires them, on a real MiniCluster with parallelism 2 and Kryo
 * disabled: every type crossing the network must have a proper serializer (Avro or POJO). The
 * broadcast side and the main side race; the hold buffer makes the result independent of who wins.
 */
@Tag("e2e")
class OperatorsMiniClusterTest {

    private static Configuration loopback() {
        Configuration c = new Configuration();
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        c.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        c.set(TaskManagerOptions.HOST, "127.0.0.1");
        return c;
    }

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(loopback())
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void decodeAndClassifyOnAMiniCluster() throws Exception {
        List<String> texts = TestModels.testTexts(50);
        List<RawRecord> raw = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            raw.add(new RawRecord(texts.get(i).getBytes(StandardCharsets.UTF_8), ("k" + i).getBytes(StandardCharsets.UTF_8),
                    "texts", 0, i, 1_000L + i));
        }
        raw.add(new RawRecord(new byte[] {(byte) 0xFF, (byte) 0xFE}, null, "texts", 0, 50, 2_000L));
        raw.add(new RawRecord("   ".getBytes(StandardCharsets.UTF_8), null, "texts", 0, 51, 2_000L));
        List<RawRecord> control = List.of(
                new RawRecord("garbage".getBytes(StandardCharsets.UTF_8), null, "control", 0, 0, 0L),
                new RawRecord(TopicSchemas.controlValue(ModelUpdates.deploy("sentiment", 1, TestModels.seededModelBytes(11), null)),
                        null, "control", 0, 1, 0L));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(new Configuration() {{
                set(PipelineOptions.GENERIC_TYPES, false);
            }});
        env.setParallelism(2);

        SingleOutputStreamOperator<TextRecord> decoded = env
                .fromData(raw, TypeInformation.of(RawRecord.class))
                .process(new DecodeFunction(InputFormat.TEXT));
        SingleOutputStreamOperator<ControlMessage> messages = env
                .fromData(control, TypeInformation.of(RawRecord.class))
                .process(new ControlDecodeFunction()).setParallelism(1);
        SingleOutputStreamOperator<ModelRegistry> updates = AsyncDataStream
                .orderedWait(messages, new ArtifactFetchFunction(ClassifyOptions.defaults()), 60, TimeUnit.SECONDS, 4)
                .setParallelism(1)
                .process(new ModelControlFunction(ClassifyOptions.defaults(), ModelEventLog.NONE),
                        new AvroTypeInfo<>(ModelRegistry.class))
                .setParallelism(1);
        SingleOutputStreamOperator<PredictionRecord> predictions = decoded
                .connect(updates.broadcast(ModelStateDescriptors.MODELS))
                .process(new ClassifyFunction());

        CloseableIterator<PredictionRecord> out = predictions.collectAsync();
        CloseableIterator<DeadLetter> dead = decoded.getSideOutput(OutputTags.DEAD_LETTERS).collectAsync();
        CloseableIterator<ModelEvent> events = updates.getSideOutput(OutputTags.MODEL_EVENTS).collectAsync();
        env.execute("operators-minicluster-test");

        List<PredictionRecord> p = drain(out);
        List<DeadLetter> d = drain(dead);
        List<ModelEvent> e = drain(events);
        assertThat(p).hasSize(50).allSatisfy(r -> {
            assertThat(r.getModelVersion()).isEqualTo(1);
            assertThat(r.getLabel()).isIn(TestModels.LABELS);
        });
        assertThat(p).extracting(PredictionRecord::getId).containsExactlyInAnyOrderElementsOf(
                () -> java.util.stream.IntStream.range(0, 50).mapToObj(i -> "k" + i).iterator());
        assertThat(d).extracting(DeadLetter::getReason).containsExactlyInAnyOrder("INVALID_UTF8", "EMPTY_TEXT");
        // One REJECTED for the garbage control message, ACCEPTED + ACTIVE: each once, from the control path.
        assertThat(e).extracting(ModelEvent::getType).containsExactlyInAnyOrder(
                ModelEventType.REJECTED, ModelEventType.ACCEPTED, ModelEventType.ACTIVE);
        assertThat(e).filteredOn(x -> x.getType() == ModelEventType.REJECTED).first()
                .satisfies(x -> assertThat(x.getReason()).contains("undecodable control message at control-0-0"));
    }

    private static <T> List<T> drain(CloseableIterator<T> it) throws Exception {
        List<T> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(out::add);
        }
        return out;
    }
}
