package dev.beex.pipeline.cli;

import dev.beex.pipeline.job.BeexJob;
import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.job.Topics;
import dev.beex.pipeline.kafka.TopicCreator;
import dev.beex.pipeline.local.LocalFlink;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the streaming job: on a local MiniCluster (default) or submitted to a Flink cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the streaming job until stopped (Ctrl-C). "
            + "Local Flink MiniCluster by default; --cluster submits to a running Flink cluster.")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions connection = new ConfigOptions();

    @Option(names = "--text-topic", paramLabel = "TOPIC",
            description = "Topic the job reads texts from (default beex.text, or the config's).")
    String textTopic;
    @Option(names = "--control-topic", paramLabel = "TOPIC",
            description = "Topic of the model updates 'beex publish' sends (default beex.control, or the config's).")
    String controlTopic;
    @Option(names = "--predictions-topic", paramLabel = "TOPIC",
            description = "Topic the predictions go to (default beex.predictions, or the config's).")
    String predictionsTopic;
    @Option(names = "--hard-examples-topic", paramLabel = "TOPIC",
            description = "Topic of the records still unsure at the last exit, for review (default beex.hard-examples, or the config's).")
    String hardExamplesTopic;
    @Option(names = "--dead-letters-topic", paramLabel = "TOPIC",
            description = "Topic of the records the job cannot read or score (default beex.dead-letters, or the config's).")
    String deadLettersTopic;
    @Option(names = "--model-events-topic", paramLabel = "TOPIC",
            description = "Topic of the job's verdicts on model updates (default beex.model-events, or the config's).")
    String modelEventsTopic;
    @Option(names = "--group-id", paramLabel = "ID", description = "Consumer group of the text source (default beex).")
    String groupId;
    @Option(names = "--parallelism", paramLabel = "N", description = "Subtasks (default: one per text-topic partition).")
    Integer parallelism;
    @Option(names = "--checkpoint-interval", paramLabel = "MS", description = "Checkpoint interval in ms (default 5000).")
    Integer checkpointInterval;
    @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage, e.g. file:///var/beex/ckpt.")
    String checkpointDir;
    @Option(names = "--delivery", paramLabel = "MODE", description = "exactly-once (default) or at-least-once.")
    String delivery;
    @Option(names = "--input-format", paramLabel = "FORMAT", description = "avro (default), json or text.")
    String inputFormat;
    @Option(names = "--output-format", paramLabel = "FORMAT", description = "Predictions and hard examples as avro (default) or json.")
    String outputFormat;
    @Option(names = "--max-text-bytes", paramLabel = "N", description = "Longer texts are dead-lettered (default 65536).")
    Integer maxTextBytes;
    @Option(names = "--max-record-bytes", paramLabel = "N",
            description = "Input messages (key + value) above it are dead-lettered (default 262144; lowered to fit the output topics).")
    Integer maxRecordBytes;
    @Option(names = "--dead-letter-value-bytes", paramLabel = "N",
            description = "Dead letters carry at most this prefix of the raw value (default 65536; lowered to fit the topic).")
    Integer deadLetterValueBytes;
    @Option(names = "--hold-buffer", paramLabel = "N", description = "Records held per subtask before any model (default 100000).")
    Integer holdBuffer;
    @Option(names = "--trusted-key", paramLabel = "FILE", description = "Ed25519 public key; models must be signed by one. Repeatable.")
    List<Path> trustedKeys = new ArrayList<>();
    @Mixin
    ExitRuleOption exitRule = new ExitRuleOption();

    @Option(names = "--create-topics", description = "Create missing topics first (text topic with --partitions partitions).")
    boolean createTopics;
    @Option(names = "--partitions", paramLabel = "N", defaultValue = "2", description = "Text-topic partitions for --create-topics (default 2).")
    int partitions;
    @Option(names = "--cluster", paramLabel = "HOST:PORT", description = "Submit to this Flink JobManager REST endpoint instead of running locally.")
    String cluster;
    @Option(names = "--jar", paramLabel = "FILE", description = "Job jar shipped with --cluster (default: the jar beex runs from; use the -Pcluster jar).")
    Path jar;
    @Option(names = "--from-savepoint", paramLabel = "PATH", description = "Restore state (models, offsets, held records) from a savepoint or retained checkpoint.")
    String savepoint;
    @Option(names = "--web-port", paramLabel = "PORT", defaultValue = "0", description = "Local mode: Flink web UI port on 127.0.0.1 (default: any free port).")
    int webPort;
    @Option(names = "--metrics-port", paramLabel = "PORT[-PORT]", defaultValue = "9249-9259",
            description = "Local mode: Prometheus /metrics on 127.0.0.1, the first free port of the range (default 9249-9259; 'none' = off).")
    String metricsPort;

    @Override
    public Integer call() throws Exception {
        JobConfig config = connection.resolve(overrides());
        if (createTopics) {
            createTopics(config);
        }
        int p = BeexJob.parallelism(config);
        Configuration conf = new Configuration();   // BeexJob.build adds checkpointing
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env;
        StreamExecutionEnvironment context = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (!(context instanceof LocalStreamEnvironment)) {
            // Submitted through a Flink client (REST /jars/run, CliFrontend): use the cluster it provides.
            env = context;
            if (cluster != null) {
                throw new UserException("--cluster makes no sense inside a job submitted to a cluster");
            }
        } else if (cluster == null) {
            if (!"none".equals(metricsPort)) {
                LocalFlink.prometheus(conf, metricsPort);
            }
            env = LocalFlink.environment(p, webPort, conf);
            System.err.printf("beex run: local Flink, parallelism %d, Kafka %s, %s -> %s, metrics %s (Ctrl-C stops)%n", p,
                    config.bootstrapServers(), config.topics().text(), config.topics().predictions(),
                    "none".equals(metricsPort) ? "off" : "http://127.0.0.1:" + metricsPort + "/metrics");
        } else {
            String[] hp = cluster.split(":");
            if (hp.length != 2) {
                throw new UserException("--cluster must be HOST:PORT, got '" + cluster + "'");
            }
            Path jobJar = jar != null ? jar : runningJar();
            if (!Files.isRegularFile(jobJar)) {
                throw new UserException("job jar not found: " + jobJar);
            }
            env = StreamExecutionEnvironment.createRemoteEnvironment(hp[0], Integer.parseInt(hp[1]), conf, jobJar.toString());
            System.err.printf("beex run: submitting to Flink at %s (jar %s), parallelism %d%n", cluster, jobJar, p);
        }
        BeexJob.build(env, config, p);
        env.execute("beex " + config.topics().text() + " -> " + config.topics().predictions());
        return 0;
    }

    private Map<String, String> overrides() {
        Map<String, String> o = new HashMap<>();
        o.put(JobConfig.TOPIC_TEXT, textTopic);
        o.put(JobConfig.TOPIC_CONTROL, controlTopic);
        o.put(JobConfig.TOPIC_PREDICTIONS, predictionsTopic);
        o.put(JobConfig.TOPIC_HARD_EXAMPLES, hardExamplesTopic);
        o.put(JobConfig.TOPIC_DEAD_LETTERS, deadLettersTopic);
        o.put(JobConfig.TOPIC_MODEL_EVENTS, modelEventsTopic);
        o.put(JobConfig.GROUP_ID, groupId);
        o.put(JobConfig.PARALLELISM, parallelism == null ? null : parallelism.toString());
        o.put(JobConfig.CHECKPOINT_INTERVAL_MS, checkpointInterval == null ? null : checkpointInterval.toString());
        o.put(JobConfig.CHECKPOINT_DIR, checkpointDir);
        o.put(JobConfig.DELIVERY, delivery);
        o.put(JobConfig.INPUT_FORMAT, inputFormat);
        o.put(JobConfig.OUTPUT_FORMAT, outputFormat);
        o.put(JobConfig.MAX_TEXT_BYTES, maxTextBytes == null ? null : maxTextBytes.toString());
        o.put(JobConfig.MAX_RECORD_BYTES, maxRecordBytes == null ? null : maxRecordBytes.toString());
        o.put(JobConfig.DEAD_LETTER_VALUE_BYTES, deadLetterValueBytes == null ? null : deadLetterValueBytes.toString());
        o.put(JobConfig.HOLD_BUFFER_SIZE, holdBuffer == null ? null : holdBuffer.toString());
        if (!trustedKeys.isEmpty()) {
            o.put(JobConfig.TRUSTED_KEYS, String.join(",", trustedKeys.stream().map(Path::toString).toList()));
        }
        o.put(JobConfig.EXIT_RULE, exitRule.text());
        return o;
    }

    private void createTopics(JobConfig config) {
        Topics t = config.topics();
        List<NewTopic> topics = new ArrayList<>();
        short rf = -1; // the broker's default.replication.factor
        topics.add(new NewTopic(t.text(), java.util.Optional.of(partitions), java.util.Optional.of(rf)));
        topics.add(new NewTopic(t.control(), java.util.Optional.of(1), java.util.Optional.of(rf)));
        for (String out : t.outputs()) {
            topics.add(new NewTopic(out, java.util.Optional.of(partitions), java.util.Optional.of(rf)));
        }
        try (Admin admin = Admin.create(config.kafkaClientProperties())) {
            TopicCreator.createMissing(admin, topics);
        } catch (IllegalStateException e) {
            throw new UserException(e.getMessage());
        }
    }

    private static Path runningJar() {
        try {
            return Path.of(RunCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new UserException("cannot locate the running jar; pass --jar");
        }
    }
}
