package dev.beex.pipeline.job;

import dev.beex.model.artifact.ArtifactSignature;
import dev.beex.operators.ArtifactFetchFunction;
import dev.beex.operators.ClassifyFunction;
import dev.beex.operators.ClassifyOptions;
import dev.beex.operators.ControlBootstrap;
import dev.beex.operators.ControlDecodeFunction;
import dev.beex.operators.ControlMessage;
import dev.beex.operators.DecodeFunction;
import dev.beex.operators.KafkaControlBootstrap;
import dev.beex.operators.KafkaModelEventLog;
import dev.beex.operators.ModelControlFunction;
import dev.beex.operators.ModelStateDescriptors;
import dev.beex.operators.OutputTags;
import dev.beex.operators.RawRecord;
import dev.beex.operators.RawRecordDeserializationSchema;
import dev.beex.operators.RecordLimits;
import dev.beex.operators.ShadowGateFunction;
import dev.beex.operators.TopicSchemas;
import dev.beex.pipeline.kafka.MessageSizes;
import dev.beex.schemas.ModelRegistry;
import dev.beex.schemas.ModelUpdate;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.TextRecord;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The beex streaming job, built onto any environment (local MiniCluster, a test cluster or a
 * remote cluster: the same code).
 *
 * <pre>
 * text topic --source--> Decode --+--> Classify (broadcast-connected) --> predictions topic
 *                           |     |        +--> hard examples (side output)
 *                           v     |
 *                     dead letters| control topic --source--> ControlDecode --> Fetch (async I/O)
 *                                 |        --> Decide (ModelControlFunction) --> model events
 *                                 +------------------ broadcast of the decided registries
 *
 * Classify --shadow comparisons (side output)--> ShadowGate (parallelism 1) --> model events (SHADOW_REPORT)
 *                                                     +--> PROMOTE/REJECT verdicts --> control topic
 * </pre>
 * The control path runs with parallelism 1: every control message is validated once and the
 * classifiers receive the decision. A shadow version's gate is judged once too, and its verdict
 * goes through the control topic like any other control message (no cycle inside the job graph).
 */
public final class BeexJob {

    /** Stable operator ids: savepoints map state by them, so they must never change. */
    public static final String UID_TEXT_SOURCE = "beex-text-source";
    public static final String UID_CONTROL_SOURCE = "beex-control-source";
    public static final String UID_DECODE = "beex-decode";
    public static final String UID_CONTROL_DECODE = "beex-control-decode";
    public static final String UID_CONTROL_FETCH = "beex-control-fetch";
    public static final String UID_CONTROL_DECIDE = "beex-control-decide";
    public static final String UID_CLASSIFY = "beex-classify";
    public static final String UID_SINK_PREDICTIONS = "beex-sink-predictions";
    public static final String UID_SINK_HARD_EXAMPLES = "beex-sink-hard-examples";
    public static final String UID_SINK_DEAD_LETTERS = "beex-sink-dead-letters";
    public static final String UID_SINK_MODEL_EVENTS = "beex-sink-model-events";
    public static final String UID_SHADOW_GATE = "beex-shadow-gate";
    public static final String UID_SINK_SHADOW_VERDICTS = "beex-sink-shadow-verdicts";

    /**
     * Each sink's part of its transactional ids ({@code <transactional.id.prefix>-<part>}): fixed
     * like the uids, since a restored sink aborts the open transactions of its own ids.
     */
    static final String TX_PREDICTIONS = "predictions";
    static final String TX_HARD_EXAMPLES = "hard-examples";
    static final String TX_DEAD_LETTERS = "dead-letters";
    static final String TX_MODEL_EVENTS = "model-events";
    static final String TX_SHADOW_VERDICTS = "shadow-verdicts";

    /** Kafka's broker-side maximum is 15 min; Flink's 1 h default would fail every transaction. */
    public static final String TRANSACTION_TIMEOUT_MS = "60000";

    /**
     * Output buffers between tasks are flushed at least this often. Flink's default (100 ms)
     * adds up to 100 ms per network exchange when the load is light (decode -> classify ->
     * sinks has two); 10 ms keeps at-least-once latency low at a small throughput cost. An
     * {@code execution.buffer-timeout} set in the Flink configuration wins.
     */
    public static final long BUFFER_TIMEOUT_MS = 10;
    private static final long DEFAULT_FLINK_BUFFER_TIMEOUT_MS =
            org.apache.flink.configuration.ExecutionOptions.BUFFER_TIMEOUT.defaultValue().toMillis();

    private BeexJob() {
    }

    /**
     * Checkpointing as the config asks: exactly-once mode, the interval, and file storage when a
     * checkpoint dir is set. The one place it is stated; {@link #build} applies it to the environment.
     */
    static Configuration checkpointing(JobConfig config, Configuration conf) {
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        if (config.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, config.checkpointDir());
        }
        return conf;
    }

    /** The job's environment settings: parallelism, buffer timeout and checkpointing. */
    static void configureEnvironment(StreamExecutionEnvironment env, JobConfig config, int parallelism) {
        env.setParallelism(parallelism);
        if (env.getBufferTimeout() == DEFAULT_FLINK_BUFFER_TIMEOUT_MS) {
            env.setBufferTimeout(BUFFER_TIMEOUT_MS);
        }
        env.configure(checkpointing(config, new Configuration()));
    }

    /** Partitions of the text topic: the job's default parallelism. */
    public static int textPartitions(JobConfig config) {
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            Map<String, TopicDescription> d = admin.describeTopics(List.of(config.topics().text()))
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            return d.get(config.topics().text()).partitions().size();
        } catch (ExecutionException e) {
            throw new IllegalArgumentException("cannot read the partitions of text topic '" + config.topics().text()
                    + "' at " + config.bootstrapServers() + ": " + e.getCause().getMessage(), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalArgumentException("no Kafka broker answered at " + config.bootstrapServers() + " within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Parallelism the job runs with: the configured one, else one subtask per text partition. */
    public static int parallelism(JobConfig config) {
        return config.parallelism() > 0 ? config.parallelism() : textPartitions(config);
    }

    /** Adds the whole topology to {@code env}; {@link #parallelism} subtasks per operator. */
    public static void build(StreamExecutionEnvironment env, JobConfig config) {
        build(env, config, parallelism(config));
    }

    public static void build(StreamExecutionEnvironment env, JobConfig config, int parallelism) {
        configureEnvironment(env, config, parallelism);
        Topics topics = config.topics();

        RecordLimits limits = OutputBounds.of(config);
        ClassifyOptions options = classifyOptions(config);
        DataStream<RawRecord> raw = env
                .fromSource(textSource(config), WatermarkStrategy.noWatermarks(), "text: " + topics.text())
                .uid(UID_TEXT_SOURCE);
        SingleOutputStreamOperator<TextRecord> texts = raw
                .process(new DecodeFunction(config.inputFormat(), limits), new AvroTypeInfo<>(TextRecord.class))
                .name("decode").uid(UID_DECODE);

        SingleOutputStreamOperator<ControlMessage> messages = env
                .fromSource(controlSource(config), WatermarkStrategy.noWatermarks(), "control: " + topics.control())
                .uid(UID_CONTROL_SOURCE)
                .setParallelism(1)
                .process(new ControlDecodeFunction(), TypeInformation.of(ControlMessage.class))
                .name("decode control").uid(UID_CONTROL_DECODE)
                .setParallelism(1);
        SingleOutputStreamOperator<ControlMessage> fetched = AsyncDataStream
                .orderedWait(messages, new ArtifactFetchFunction(options), ArtifactFetchFunction.timeoutMillis(options),
                        TimeUnit.MILLISECONDS, 4)
                .name("fetch models").uid(UID_CONTROL_FETCH)
                .setParallelism(1);
        KafkaModelEventLog eventLog = new KafkaModelEventLog(config.kafkaClientProperties(), topics.modelEvents());
        SingleOutputStreamOperator<ModelRegistry> decisions = fetched
                .process(new ModelControlFunction(options, eventLog),
                        new AvroTypeInfo<>(ModelRegistry.class))
                .name("decide models").uid(UID_CONTROL_DECIDE)
                .setParallelism(1);
        BroadcastStream<ModelRegistry> models = decisions.broadcast(ModelStateDescriptors.MODELS);

        ControlBootstrap bootstrap = new KafkaControlBootstrap(config.kafkaClientProperties(), topics.control(),
                KafkaControlBootstrap.DEFAULT_STALL_TIMEOUT);
        SingleOutputStreamOperator<PredictionRecord> predictions = texts
                .connect(models)
                .process(new ClassifyFunction(options, bootstrap, limits, config.shadow()),
                        new AvroTypeInfo<>(PredictionRecord.class))
                .name("classify").uid(UID_CLASSIFY);
        SingleOutputStreamOperator<ModelUpdate> verdicts = predictions.getSideOutput(OutputTags.SHADOW_COMPARISONS)
                .process(new ShadowGateFunction(config.shadow(), eventLog), new AvroTypeInfo<>(ModelUpdate.class))
                .name("judge shadow models").uid(UID_SHADOW_GATE)
                .setParallelism(1);
        // At-least-once whatever the job's guarantee: a transaction's commit marker would be the control topic's
        // last offset, which no message reaches, and hold every restart's bootstrap until its stall timeout. A
        // verdict repeated after a failure is rejected by the control path ("not the pending shadow").
        verdicts.sinkTo(sink(config.with(Map.of(JobConfig.DELIVERY, DeliveryGuarantee.AT_LEAST_ONCE.cliName())),
                        TX_SHADOW_VERDICTS, TopicSchemas.control(topics.control())))
                .name("shadow verdicts: " + topics.control()).uid(UID_SINK_SHADOW_VERDICTS)
                .setParallelism(1);

        predictions.sinkTo(sink(config, TX_PREDICTIONS, TopicSchemas.predictions(topics.predictions(), config.outputFormat())))
                .name("predictions: " + topics.predictions()).uid(UID_SINK_PREDICTIONS);
        predictions.getSideOutput(OutputTags.HARD_EXAMPLES)
                .sinkTo(sink(config, TX_HARD_EXAMPLES, TopicSchemas.hardExamples(topics.hardExamples(), config.outputFormat())))
                .name("hard examples: " + topics.hardExamples()).uid(UID_SINK_HARD_EXAMPLES);
        texts.getSideOutput(OutputTags.DEAD_LETTERS)
                .union(predictions.getSideOutput(OutputTags.DEAD_LETTERS))
                .sinkTo(sink(config, TX_DEAD_LETTERS, TopicSchemas.deadLetters(topics.deadLetters())))
                .name("dead letters: " + topics.deadLetters()).uid(UID_SINK_DEAD_LETTERS);
        decisions.getSideOutput(OutputTags.MODEL_EVENTS)
                .union(verdicts.getSideOutput(OutputTags.MODEL_EVENTS))
                .sinkTo(sink(config, TX_MODEL_EVENTS, TopicSchemas.modelEvents(topics.modelEvents())))
                .name("model events: " + topics.modelEvents()).uid(UID_SINK_MODEL_EVENTS);
    }

    /** Text input: raw bytes (decoded downstream so bad bytes become dead letters), committed offsets first. */
    static KafkaSource<RawRecord> textSource(JobConfig config) {
        return KafkaSource.<RawRecord>builder()
                .setProperties(sourceProperties(config))
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.topics().text())
                .setGroupId(config.groupId())
                // Resume where the group left off; a new group starts at the beginning.
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializationSchema())
                .build();
    }

    /**
     * Control input. Always from the earliest offset when the job starts without state: a fresh
     * job replays the model history to reach the latest decision (decisions are deterministic, and
     * the classifiers serve nothing before the replay reached the end offsets of the start).
     * A restored job resumes from its checkpointed offsets and has the models in its state.
     */
    static KafkaSource<RawRecord> controlSource(JobConfig config) {
        return KafkaSource.<RawRecord>builder()
                .setProperties(sourceProperties(config))
                .setBootstrapServers(config.bootstrapServers())
                .setTopics(config.topics().control())
                .setGroupId(config.groupId() + "-control")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawRecordDeserializationSchema())
                .build();
    }

    private static Properties sourceProperties(JobConfig config) {
        Properties p = config.kafkaClientProperties();
        // Only committed output of upstream transactional producers is input.
        p.putIfAbsent("isolation.level", "read_committed");
        // Models travel inline: allow large control messages.
        p.putIfAbsent("max.partition.fetch.bytes", String.valueOf(MessageSizes.MAX_PARTITION_FETCH_BYTES));
        p.putIfAbsent("partition.discovery.interval.ms", "60000");
        return p;
    }

    static <T> KafkaSink<T> sink(JobConfig config, String transactionalIdPart, KafkaRecordSerializationSchema<T> schema) {
        return KafkaSink.<T>builder()
                .setKafkaProducerConfig(sinkProducerProperties(config))
                .setBootstrapServers(config.bootstrapServers())
                .setDeliveryGuarantee(config.delivery().toFlink())
                // One prefix per sink: transactional ids must not collide between the four sinks.
                .setTransactionalIdPrefix(config.transactionalIdPrefix() + "-" + transactionalIdPart)
                .setRecordSerializer(schema)
                .build();
    }

    /**
     * The sinks' producer settings. {@code linger.ms} stays Kafka's default (5 ms in clients 4.x) for
     * either guarantee: forcing 0 sent most predictions as a produce request of their own and halved
     * the at-least-once drain rate (docs/engine.md, "linger.ms of the sinks"); {@code kafka.linger.ms}
     * sets it.
     */
    static Properties sinkProducerProperties(JobConfig config) {
        Properties p = config.kafkaClientProperties();
        p.putIfAbsent("transaction.timeout.ms", TRANSACTION_TIMEOUT_MS);
        p.setProperty("max.request.size", String.valueOf(maxRequestBytes(config)));
        return p;
    }

    /**
     * {@code max.request.size} of the sinks: {@link MessageSizes#MAX_REQUEST_BYTES} unless
     * {@code kafka.max.request.size} sets it. {@link OutputBounds} keeps every output message under it.
     */
    static int maxRequestBytes(JobConfig config) {
        String set = config.kafkaProperties().get("max.request.size");
        if (set == null) {
            return MessageSizes.MAX_REQUEST_BYTES;
        }
        try {
            return Integer.parseInt(set);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kafka.max.request.size must be an integer, not '" + set + "'");
        }
    }

    static ClassifyOptions classifyOptions(JobConfig config) {
        ClassifyOptions options = ClassifyOptions.defaults()
                .withHoldBufferLimit(config.holdBufferSize())
                .withExitRuleOverride(config.exitRule());
        if (!config.trustedKeys().isEmpty()) {
            List<PublicKey> keys = new ArrayList<>();
            for (Path file : config.trustedKeys()) {
                keys.add(readKey(file));
            }
            options = options.withTrustedKeys(keys);
        }
        return options;
    }

    private static PublicKey readKey(Path file) {
        try {
            return ArtifactSignature.readPublicKey(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("trusted key file not found: " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("trusted key " + file + ": " + e.getMessage(), e);
        }
    }
}
