package dev.beex.pipeline.cli;

import dev.beex.model.data.LabeledText;
import dev.beex.operators.InputFormat;
import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.kafka.TextEncoder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "JSON lines {\"id\",\"text\",\"label\"} or CSV/TSV with text,label[,id] columns.")
    Path data;

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

    @Override
    public Integer call() throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put(JobConfig.TOPIC_TEXT, topic);
        overrides.put(JobConfig.INPUT_FORMAT, format);
        JobConfig config = connection.resolve(overrides);
        if (rate < 0) {
            throw new UserException("--rate must be > 0, got " + rate);
        }
        List<LabeledText> texts = CliFiles.readData(data, "--data");
        if (limit > 0 && texts.size() > limit) {
            texts = texts.subList(0, limit);
        }
        InputFormat f = config.inputFormat();
        TextEncoder encoder = new TextEncoder(f);
        Properties p = config.kafkaClientProperties();
        p.setProperty("acks", "all");
        p.setProperty("enable.idempotence", "true");
        p.putIfAbsent("linger.ms", "5");
        p.putIfAbsent("max.block.ms", "20000");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < texts.size() && failure.get() == null; i++) {
                LabeledText t = texts.get(i);
                Map<String, String> attrs = labelAttribute && t.label() != null ? Map.of("label", t.label()) : null;
                producer.send(encoder.record(config.topics().text(), t.id(), t.text(), Instant.now(), attrs),
                        (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
                if (rate > 0) {
                    long wait = start + (long) ((i + 1) * 1e9 / rate) - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            producer.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            failure.compareAndSet(null, e);
        }
        if (failure.get() != null) {
            throw new UserException("sending to '" + config.topics().text() + "' at " + config.bootstrapServers()
                    + " failed: " + failure.get().getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent %d records from %s to %s as %s in %.1f s%n", texts.size(), data,
                config.topics().text(), f.name().toLowerCase(), seconds);
        return 0;
    }
}
