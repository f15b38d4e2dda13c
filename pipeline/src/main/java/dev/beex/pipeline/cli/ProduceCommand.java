package dev.beex.pipeline.cli;

import dev.beex.model.data.LabeledText;
import dev.beex.operators.InputFormat;
import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.kafka.TextEncoder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Streams a labeled data set (JSON lines or CSV/TSV) into the text topic. */
@Command(name = "produce", mixinStandardHelpOptions = true, description = "Streams a data set into a Kafka topic.")
public final class ProduceCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions connection = new ConfigOptions();

    @Mixin
    DataFileOption data = new DataFileOption();

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Text topic (default beex.text, or the config's).")
    String topic;

    @Option(names = "--rate", paramLabel = "N", description = "Records per second (default: as fast as possible).")
    double rate;

    @Option(names = "--format", paramLabel = "FORMAT", description = "avro, json or text (default: the config's, avro).")
    String format;

    @Option(names = "--limit", paramLabel = "N", description = "Send at most N records.")
    int limit;

    @Option(names = "--label-attribute", description = "Also send each record's label as attribute 'label' (avro/json).")
    boolean labelAttribute;

    @Option(names = "--skip", paramLabel = "N", description = "Skip the first N records of the file (resume after a failure).")
    int skip;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Keep retrying through broker outages for this long per record (default 300).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(JobConfig.TOPIC_TEXT, topic);
        overrides.put(JobConfig.INPUT_FORMAT, format);
        JobConfig config = connection.resolve(overrides);
        if (rate < 0) {
            throw new UserException("--rate must be > 0, got " + rate);
        }
        if (skip < 0) {
            throw new UserException("--skip must be >= 0, got " + skip);
        }
        if (timeoutSeconds < 1) {
            throw new UserException("--timeout must be >= 1 second, got " + timeoutSeconds);
        }
        List<LabeledText> all = data.labeled();
        int from = Math.min(skip, all.size());
        int to = limit > 0 ? Math.min(all.size(), from + limit) : all.size();
        List<LabeledText> texts = all.subList(from, to);
        InputFormat f = config.inputFormat();
        TextEncoder encoder = new TextEncoder(f);
        DeliveryTracker tracker = new DeliveryTracker(texts.size());
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(config),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < texts.size() && !tracker.failed(); i++) {
                LabeledText t = texts.get(i);
                Map<String, String> attrs = labelAttribute && t.label() != null ? Map.of("label", t.label()) : null;
                int index = i;
                try {
                    producer.send(encoder.record(config.topics().text(), t.id(), t.text(), Instant.now(), attrs),
                            (md, e) -> tracker.completed(index, e));
                } catch (org.apache.kafka.common.KafkaException e) {
                    tracker.completed(index, e); // e.g. no metadata within the timeout
                }
                if (rate > 0) {
                    long wait = start + (long) ((i + 1) * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            producer.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            tracker.completed(texts.size(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (tracker.failed()) {
            throw new UserException(String.format("sending to '%s' at %s failed after %d of %d records were acknowledged"
                            + " (%s); resume with --skip %d (records after it may be sent twice)", config.topics().text(),
                    config.bootstrapServers(), tracker.acknowledged(), texts.size(), tracker.failure().getMessage(),
                    from + tracker.firstFailed()));
        }
        System.out.printf("sent %d records (%d acknowledged) from %s to %s as %s in %.1f s%n", texts.size(),
                tracker.acknowledged(), data.file, config.topics().text(), f.name().toLowerCase(), seconds);
        return 0;
    }

    private Properties producerProperties(JobConfig config) {
        Properties p = config.kafkaClientProperties();
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        p.putIfAbsent("linger.ms", "5");
        // Ride out broker outages: retry (idempotently, in order) until the timeout, also for metadata.
        long timeoutMs = timeoutSeconds * 1000L;
        p.putIfAbsent("request.timeout.ms", String.valueOf(Math.min(30_000L, timeoutMs / 2)));
        p.putIfAbsent("delivery.timeout.ms", String.valueOf(Math.max(timeoutMs, 5L + Long.parseLong(
                p.getProperty("request.timeout.ms")) + Long.parseLong(p.getProperty("linger.ms")))));
        p.putIfAbsent("max.block.ms", String.valueOf(timeoutMs));
        p.putIfAbsent("reconnect.backoff.max.ms", "2000");
        return p;
    }
}
