package dev.beex.pipeline.testing;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.operators.ClassifyFunction;
import dev.beex.operators.InputFormat;
import dev.beex.operators.ModelUpdates;
import dev.beex.pipeline.job.BeexJob;
import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.job.Topics;
import dev.beex.pipeline.kafka.ControlProducer;
import dev.beex.pipeline.kafka.TextEncoder;
import dev.beex.pipeline.local.EmbeddedKafka;
import dev.beex.schemas.ModelUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** One test's job: its own topics on the shared broker, its own group and transactional ids. */
public final class PipelineHarness {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final EmbeddedKafka kafka;
    public final Topics topics;
    public final JobConfig config;

    public PipelineHarness(EmbeddedKafka kafka, String name, int textPartitions, Map<String, String> overrides) {
        this(kafka, name, textPartitions, overrides, Map.of());
    }

    /** {@code deadLetterTopicConfig}: topic configs of the dead-letter topic (e.g. a small max.message.bytes). */
    public PipelineHarness(EmbeddedKafka kafka, String name, int textPartitions, Map<String, String> overrides,
                           Map<String, String> deadLetterTopicConfig) {
        this.kafka = kafka;
        String p = name + "-" + RUNS.incrementAndGet() + ".";
        this.topics = new Topics(p + "text", p + "control", p + "predictions", p + "hard", p + "dead", p + "events");
        kafka.createTopic(topics.text(), textPartitions);
        kafka.createTopic(topics.control(), 1);
        for (String out : List.of(topics.predictions(), topics.hardExamples(), topics.modelEvents())) {
            kafka.createTopic(out, 2);
        }
        kafka.createTopic(topics.deadLetters(), 2, deadLetterTopicConfig);
        Map<String, String> props = new HashMap<>();
        props.put(JobConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.putAll(JobConfig.topicProperties(topics));
        props.put(JobConfig.GROUP_ID, p + "group");
        props.put(JobConfig.TRANSACTIONAL_ID_PREFIX, p + "tx");
        props.put(JobConfig.CHECKPOINT_INTERVAL_MS, "300");
        props.putAll(overrides);
        Properties all = new Properties();
        all.putAll(props);
        this.config = JobConfig.fromProperties(all);
    }

    /** Submits the job to the test MiniCluster (parallelism = text partitions). */
    public JobClient start() throws Exception {
        return start(new Configuration());
    }

    public JobClient start(Configuration conf) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        BeexJob.build(env, config);
        return env.executeAsync("beex test " + topics.text());
    }

    /** Starts the job restored from {@code savepoint}. */
    public JobClient startFrom(String savepoint) throws Exception {
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        return start(restore);
    }

    /** Stops {@code job} with a canonical savepoint under {@code dir}; returns the savepoint's path. */
    public static String stopWithSavepoint(JobClient job, Path dir) throws Exception {
        return job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL).get(60, TimeUnit.SECONDS);
    }

    /** What a test does while the job runs, reading its outputs. */
    @FunctionalInterface
    public interface WhileRunning {
        void run(Outputs out) throws Exception;
    }

    /** Starts the job, runs {@code test} with the outputs open, then cancels the job, also when the test fails. */
    public void whileRunning(WhileRunning test) throws Exception {
        JobClient job = start();
        try (Outputs out = outputs()) {
            test.run(out);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    public Properties client() {
        return config.kafkaClientProperties();
    }

    public Outputs outputs() {
        return new Outputs(client(), topics);
    }

    public void publish(ModelUpdate update) {
        ControlProducer.send(client(), topics.control(), update);
    }

    public void deploy(long version, ModelArtifact artifact) {
        publish(ModelUpdates.deploy("test-model", version, artifact.toBytes(), null));
    }

    /** Sends labeled texts in the job's input format, key = id. */
    public void produceTexts(List<LabeledText> texts) {
        produceTexts(texts, false);
    }

    /** Sends texts; with {@code withLabels} each carries its label as the {@code label} attribute (shadow accuracy). */
    public void produceTexts(List<LabeledText> texts, boolean withLabels) {
        TextEncoder encoder = new TextEncoder(config.inputFormat());
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (LabeledText t : texts) {
            records.add(encoder.record(topics.text(), t.id(), t.text(), Instant.now(),
                    withLabels ? Map.of(ClassifyFunction.LABEL_ATTRIBUTE, t.label()) : null));
        }
        produce(records);
    }

    public void produce(List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = client();
        p.setProperty("enable.idempotence", "true");
        p.setProperty("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                producer.send(r);
            }
            producer.flush();
        }
    }

    public InputFormat format() {
        return config.inputFormat();
    }
}
