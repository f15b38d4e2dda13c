package dev.beex.pipeline.job;

import dev.beex.model.exit.ExitRule;
import dev.beex.operators.InputFormat;
import dev.beex.operators.OutputFormat;
import dev.beex.operators.RecordLimits;
import dev.beex.operators.ShadowOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything a beex job is configured by: a properties file, overridden key by key by command
 * flags (both go through {@link #fromProperties}, so validation lives in one place).
 *
 * <p>Keys (defaults in brackets): {@code bootstrap.servers} [127.0.0.1:9092],
 * {@code topic.text|control|predictions|hard-examples|dead-letters|model-events} [beex.*],
 * {@code group.id} [beex], {@code parallelism} [0 = one subtask per text-topic partition],
 * {@code checkpoint.interval.ms} [5000], {@code checkpoint.dir} [none: state in JobManager memory],
 * {@code delivery} [exactly-once], {@code transactional.id.prefix} [beex],
 * {@code input.format} [avro], {@code output.format} [avro: predictions and hard examples; or json], {@code max.text.bytes} [65536], {@code max.record.bytes} [262144],
 * {@code dead-letter.max.value.bytes} [65536], {@code hold.buffer.size} [100000],
 * {@code trusted.keys} [none: comma-separated Ed25519 public key files],
 * {@code exit.rule} [the model's own], {@code shadow.flush.records} [100] and {@code shadow.flush.ms} [1000]
 * (how often each classifier subtask sends its shadow comparison counts to the gate),
 * {@code shadow.report.records} [1000] (a SHADOW_REPORT event per that many compared records), and {@code kafka.*}: passed, without the prefix, to every
 * Kafka client of the job (e.g. {@code kafka.security.protocol=SASL_SSL}).
 */
public record JobConfig(
        String bootstrapServers,
        Topics topics,
        String groupId,
        int parallelism,
        Duration checkpointInterval,
        String checkpointDir,
        DeliveryGuarantee delivery,
        String transactionalIdPrefix,
        InputFormat inputFormat,
        OutputFormat outputFormat,
        int maxTextBytes,
        int maxRecordBytes,
        int deadLetterValueBytes,
        int holdBufferSize,
        List<Path> trustedKeys,
        ExitRule exitRule,
        ShadowOptions shadow,
        Map<String, String> kafkaProperties) {

    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_TEXT = "topic.text";
    public static final String TOPIC_CONTROL = "topic.control";
    public static final String TOPIC_PREDICTIONS = "topic.predictions";
    public static final String TOPIC_HARD_EXAMPLES = "topic.hard-examples";
    public static final String TOPIC_DEAD_LETTERS = "topic.dead-letters";
    public static final String TOPIC_MODEL_EVENTS = "topic.model-events";
    public static final String GROUP_ID = "group.id";
    public static final String PARALLELISM = "parallelism";
    public static final String CHECKPOINT_INTERVAL_MS = "checkpoint.interval.ms";
    public static final String CHECKPOINT_DIR = "checkpoint.dir";
    public static final String DELIVERY = "delivery";
    public static final String TRANSACTIONAL_ID_PREFIX = "transactional.id.prefix";
    public static final String INPUT_FORMAT = "input.format";
    public static final String OUTPUT_FORMAT = "output.format";
    public static final String MAX_TEXT_BYTES = "max.text.bytes";
    public static final String MAX_RECORD_BYTES = "max.record.bytes";
    public static final String DEAD_LETTER_VALUE_BYTES = "dead-letter.max.value.bytes";
    public static final String HOLD_BUFFER_SIZE = "hold.buffer.size";
    public static final String TRUSTED_KEYS = "trusted.keys";
    public static final String EXIT_RULE = "exit.rule";
    public static final String SHADOW_FLUSH_RECORDS = "shadow.flush.records";
    public static final String SHADOW_FLUSH_MS = "shadow.flush.ms";
    public static final String SHADOW_REPORT_RECORDS = "shadow.report.records";
    public static final String KAFKA_PREFIX = "kafka.";

    private static final Set<String> KEYS = Set.of(BOOTSTRAP_SERVERS, TOPIC_TEXT, TOPIC_CONTROL,
            TOPIC_PREDICTIONS, TOPIC_HARD_EXAMPLES, TOPIC_DEAD_LETTERS, TOPIC_MODEL_EVENTS, GROUP_ID,
            PARALLELISM, CHECKPOINT_INTERVAL_MS, CHECKPOINT_DIR, DELIVERY, TRANSACTIONAL_ID_PREFIX,
            INPUT_FORMAT, OUTPUT_FORMAT, MAX_TEXT_BYTES, MAX_RECORD_BYTES, DEAD_LETTER_VALUE_BYTES, HOLD_BUFFER_SIZE, TRUSTED_KEYS,
            EXIT_RULE, SHADOW_FLUSH_RECORDS, SHADOW_FLUSH_MS, SHADOW_REPORT_RECORDS);

    public JobConfig {
        topics = topics == null ? Topics.DEFAULT : topics;
        trustedKeys = List.copyOf(trustedKeys);
        kafkaProperties = Map.copyOf(kafkaProperties);
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException(BOOTSTRAP_SERVERS + " must not be empty");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException(GROUP_ID + " must not be empty");
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException(PARALLELISM + " must be >= 0 (0 = one per partition), got " + parallelism);
        }
        if (checkpointInterval.toMillis() < 10) {
            throw new IllegalArgumentException(CHECKPOINT_INTERVAL_MS + " must be >= 10, got " + checkpointInterval.toMillis());
        }
        if (inputFormat == null) {
            throw new IllegalArgumentException(INPUT_FORMAT + " must be avro, json or text");
        }
        outputFormat = outputFormat == null ? OutputFormat.AVRO : outputFormat;
        shadow = shadow == null ? ShadowOptions.defaults() : shadow;
        if (maxTextBytes < 1) {
            throw new IllegalArgumentException(MAX_TEXT_BYTES + " must be >= 1, got " + maxTextBytes);
        }
        if (maxRecordBytes < 1) {
            throw new IllegalArgumentException(MAX_RECORD_BYTES + " must be >= 1, got " + maxRecordBytes);
        }
        if (deadLetterValueBytes < 0) {
            throw new IllegalArgumentException(DEAD_LETTER_VALUE_BYTES + " must be >= 0, got " + deadLetterValueBytes);
        }
        if (holdBufferSize < 0) {
            throw new IllegalArgumentException(HOLD_BUFFER_SIZE + " must be >= 0, got " + holdBufferSize);
        }
        if (transactionalIdPrefix == null || transactionalIdPrefix.isBlank()) {
            throw new IllegalArgumentException(TRANSACTIONAL_ID_PREFIX + " must not be empty");
        }
    }

    /** All defaults: a local broker on 127.0.0.1:9092. */
    public static JobConfig defaults() {
        return fromProperties(new Properties());
    }

    /** Reads a properties file; unknown keys are an error (a typo must not be ignored silently). */
    public static JobConfig load(Path file) throws IOException {
        return fromProperties(readProperties(file));
    }

    public static Properties readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file not found: " + file);
        }
        return p;
    }

    public static JobConfig fromProperties(Properties p) {
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key) && !key.startsWith(KAFKA_PREFIX)) {
                throw new IllegalArgumentException("unknown configuration key '" + key + "'");
            }
        }
        Map<String, String> kafka = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith(KAFKA_PREFIX) && key.length() > KAFKA_PREFIX.length()) {
                kafka.put(key.substring(KAFKA_PREFIX.length()), p.getProperty(key).trim());
            }
        }
        List<Path> keys = new ArrayList<>();
        for (String k : get(p, TRUSTED_KEYS, "").split(",")) {
            if (!k.isBlank()) {
                keys.add(Path.of(k.trim()));
            }
        }
        String exitRule = get(p, EXIT_RULE, "");
        String checkpointDir = get(p, CHECKPOINT_DIR, "");
        return new JobConfig(
                get(p, BOOTSTRAP_SERVERS, "127.0.0.1:9092"),
                new Topics(get(p, TOPIC_TEXT, Topics.DEFAULT.text()),
                        get(p, TOPIC_CONTROL, Topics.DEFAULT.control()),
                        get(p, TOPIC_PREDICTIONS, Topics.DEFAULT.predictions()),
                        get(p, TOPIC_HARD_EXAMPLES, Topics.DEFAULT.hardExamples()),
                        get(p, TOPIC_DEAD_LETTERS, Topics.DEFAULT.deadLetters()),
                        get(p, TOPIC_MODEL_EVENTS, Topics.DEFAULT.modelEvents())),
                get(p, GROUP_ID, "beex"),
                getInt(p, PARALLELISM, 0),
                Duration.ofMillis(getInt(p, CHECKPOINT_INTERVAL_MS, 5000)),
                checkpointDir.isEmpty() ? null : checkpointDir,
                DeliveryGuarantee.parse(get(p, DELIVERY, "exactly-once")),
                get(p, TRANSACTIONAL_ID_PREFIX, "beex"),
                InputFormat.parse(get(p, INPUT_FORMAT, "avro")),
                OutputFormat.parse(get(p, OUTPUT_FORMAT, "avro")),
                getInt(p, MAX_TEXT_BYTES, RecordLimits.DEFAULT_MAX_TEXT_BYTES),
                getInt(p, MAX_RECORD_BYTES, RecordLimits.DEFAULT_MAX_RECORD_BYTES),
                getInt(p, DEAD_LETTER_VALUE_BYTES, RecordLimits.DEFAULT_DEAD_LETTER_VALUE_BYTES),
                getInt(p, HOLD_BUFFER_SIZE, 100_000),
                keys,
                exitRule.isEmpty() ? null : ExitRule.parse(exitRule),   // the one parse: fails at startup
                shadowOptions(p),
                kafka);
    }

    private static ShadowOptions shadowOptions(Properties p) {
        int flushRecords = getInt(p, SHADOW_FLUSH_RECORDS, ShadowOptions.DEFAULT_FLUSH_RECORDS);
        int flushMs = getInt(p, SHADOW_FLUSH_MS, (int) ShadowOptions.DEFAULT_FLUSH_INTERVAL.toMillis());
        int reportRecords = getInt(p, SHADOW_REPORT_RECORDS, (int) ShadowOptions.DEFAULT_REPORT_RECORDS);
        if (flushRecords < 1 || flushMs < 0 || reportRecords < 1) {
            throw new IllegalArgumentException(SHADOW_FLUSH_RECORDS + " and " + SHADOW_REPORT_RECORDS + " must be >= 1, "
                    + SHADOW_FLUSH_MS + " >= 0; got " + flushRecords + ", " + reportRecords + ", " + flushMs);
        }
        return new ShadowOptions(flushRecords, Duration.ofMillis(flushMs), reportRecords);
    }

    /** The inverse of {@link #fromProperties}: every key, defaults included. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty(BOOTSTRAP_SERVERS, bootstrapServers);
        p.putAll(topicProperties(topics));
        p.setProperty(GROUP_ID, groupId);
        p.setProperty(PARALLELISM, String.valueOf(parallelism));
        p.setProperty(CHECKPOINT_INTERVAL_MS, String.valueOf(checkpointInterval.toMillis()));
        if (checkpointDir != null) {
            p.setProperty(CHECKPOINT_DIR, checkpointDir);
        }
        p.setProperty(DELIVERY, delivery.cliName());
        p.setProperty(TRANSACTIONAL_ID_PREFIX, transactionalIdPrefix);
        p.setProperty(INPUT_FORMAT, inputFormat.name().toLowerCase(Locale.ROOT));
        p.setProperty(OUTPUT_FORMAT, outputFormat.name().toLowerCase(Locale.ROOT));
        p.setProperty(MAX_TEXT_BYTES, String.valueOf(maxTextBytes));
        p.setProperty(MAX_RECORD_BYTES, String.valueOf(maxRecordBytes));
        p.setProperty(DEAD_LETTER_VALUE_BYTES, String.valueOf(deadLetterValueBytes));
        p.setProperty(HOLD_BUFFER_SIZE, String.valueOf(holdBufferSize));
        if (!trustedKeys.isEmpty()) {
            p.setProperty(TRUSTED_KEYS, String.join(",", trustedKeys.stream().map(Path::toString).toList()));
        }
        if (exitRule != null) {
            p.setProperty(EXIT_RULE, exitRule.toString());   // parses back to the same rule
        }
        p.setProperty(SHADOW_FLUSH_RECORDS, String.valueOf(shadow.flushRecords()));
        p.setProperty(SHADOW_FLUSH_MS, String.valueOf(shadow.flushInterval().toMillis()));
        p.setProperty(SHADOW_REPORT_RECORDS, String.valueOf(shadow.reportRecords()));
        kafkaProperties.forEach((k, v) -> p.setProperty(KAFKA_PREFIX + k, v));
        return p;
    }

    /** The six {@code topic.*} keys naming {@code topics}. */
    public static Map<String, String> topicProperties(Topics topics) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(TOPIC_TEXT, topics.text());
        p.put(TOPIC_CONTROL, topics.control());
        p.put(TOPIC_PREDICTIONS, topics.predictions());
        p.put(TOPIC_HARD_EXAMPLES, topics.hardExamples());
        p.put(TOPIC_DEAD_LETTERS, topics.deadLetters());
        p.put(TOPIC_MODEL_EVENTS, topics.modelEvents());
        return p;
    }

    /** A copy with some keys replaced (tests and the demo adjust one or two settings). */
    public JobConfig with(Map<String, String> overrides) {
        Properties p = toProperties();
        overrides.forEach(p::setProperty);
        return fromProperties(p);
    }

    /** Client properties every Kafka client of the job gets: servers plus the {@code kafka.*} pass-through. */
    public Properties kafkaClientProperties() {
        Properties p = new Properties();
        p.putAll(kafkaProperties);
        p.setProperty(BOOTSTRAP_SERVERS, bootstrapServers);
        return p;
    }

    private static String get(Properties p, String key, String fallback) {
        String v = p.getProperty(key);
        return v == null ? fallback : v.trim();
    }

    private static int getInt(Properties p, String key, int fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, not '" + v.trim() + "'");
        }
    }
}
