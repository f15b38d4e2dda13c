package dev.beex.pipeline.demo;

import dev.beex.model.artifact.ArtifactReader;
import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.data.LabeledText;
import dev.beex.operators.InputFormat;
import dev.beex.operators.ModelUpdates;
import dev.beex.pipeline.job.BeexJob;
import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.job.Topics;
import dev.beex.pipeline.kafka.ControlProducer;
import dev.beex.pipeline.kafka.OutputConsumer;
import dev.beex.pipeline.kafka.TextEncoder;
import dev.beex.pipeline.local.EmbeddedKafka;
import dev.beex.pipeline.local.LocalFlink;
import dev.beex.schemas.DeadLetter;
import dev.beex.schemas.ModelEvent;
import dev.beex.schemas.ModelEventType;
import dev.beex.schemas.PredictionRecord;
import dev.beex.schemas.RolloutMode;
import dev.beex.schemas.ShadowComparison;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code beex demo}: an in-process Kafka broker and Flink MiniCluster, the bundled spam model
 * v1 published, the real spam test split streamed through (plus a few malformed records), v2
 * published mid-stream, every record accounted for, and a summary. Nothing to install.
 */
public final class Demo {

    /**
     * @param rate        records per second sent to the text topic
     * @param timeLimit   the demo stops by itself after this long, complete or not
     * @param parallelism Flink subtasks = text-topic partitions
     * @param limit       records of the spam test split to send (0 = all)
     */
    public record Options(int rate, Duration timeLimit, int parallelism, int limit) {
        public static Options defaults() {
            return new Options(100, Duration.ofSeconds(110), 2, 0);
        }
    }

    private static final int MAX_TEXT_BYTES = 8 * 1024;
    private static final int SHADOW_FLUSH_RECORDS = 5;

    private long nextProgress;

    private final Options options;
    private final PrintStream log;

    public Demo(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
    }

    public DemoSummary run() throws Exception {
        long deadline = System.nanoTime() + options.timeLimit().toNanos();
        List<LabeledText> data = DemoData.spamTest();
        if (options.limit() > 0 && data.size() > options.limit()) {
            data = data.subList(0, options.limit());
        }
        byte[] v1 = DemoData.modelBytes(DemoData.MODEL_V1);
        byte[] v2 = DemoData.modelBytes(DemoData.MODEL_V2);
        ModelArtifact model = ArtifactReader.fromBytes(v1);

        log.println("beex demo: starting Kafka (in process, KRaft, 127.0.0.1)...");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Topics topics = Topics.DEFAULT;
            kafka.createTopic(topics.text(), options.parallelism());
            kafka.createTopic(topics.control(), 1);
            for (String t : topics.outputs()) {
                kafka.createTopic(t, options.parallelism());
            }
            Properties p = new Properties();
            p.setProperty(JobConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            p.setProperty(JobConfig.CHECKPOINT_INTERVAL_MS, "500");
            p.setProperty(JobConfig.MAX_TEXT_BYTES, String.valueOf(MAX_TEXT_BYTES));
            p.setProperty(JobConfig.GROUP_ID, "beex-demo");
            p.setProperty(JobConfig.TRANSACTIONAL_ID_PREFIX, "beex-demo");
            // Small comparison windows: the demo's shadow sees a few hundred records at most.
            p.setProperty(JobConfig.SHADOW_FLUSH_RECORDS, String.valueOf(SHADOW_FLUSH_RECORDS));
            p.setProperty(JobConfig.SHADOW_REPORT_RECORDS, "50");
            JobConfig config = JobConfig.fromProperties(p);

            log.println("beex demo: Kafka at " + kafka.bootstrapServers() + "; starting Flink (local MiniCluster, parallelism "
                    + options.parallelism() + ", exactly-once, checkpoint every 500 ms)...");
            StreamExecutionEnvironment env = LocalFlink.environment(options.parallelism(), 0, new Configuration());
            BeexJob.build(env, config, options.parallelism());
            JobClient job = env.executeAsync("beex demo");
            try {
                return stream(config, data, model, v1, v2, deadline);
            } finally {
                job.cancel().get(60, TimeUnit.SECONDS);
            }
        }
    }

    private DemoSummary stream(JobConfig config, List<LabeledText> data, ModelArtifact model, byte[] v1, byte[] v2,
                               long deadline) throws Exception {
        Topics topics = config.topics();
        Properties client = config.kafkaClientProperties();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, String> labelById = new HashMap<>();
        TextEncoder encoder = new TextEncoder(InputFormat.AVRO);
        // Placeholders: event times are set when each record is really sent.
        for (LabeledText t : data) {
            String id = labelById.containsKey(t.id()) ? t.id() + "#" + records.size() : t.id();
            labelById.put(id, t.label());
            records.add(new ProducerRecord<>(topics.text(), id.getBytes(StandardCharsets.UTF_8), t.text().getBytes(StandardCharsets.UTF_8)));
        }
        List<ProducerRecord<byte[], byte[]>> malformed = malformed(topics.text(), encoder);
        int total = records.size() + malformed.size();

        Collector collector = new Collector(client, topics, labelById);
        Thread reader = new Thread(collector, "beex-demo-reader");
        reader.setDaemon(true);
        reader.start();

        ControlProducer.send(client, topics.control(), ModelUpdates.deploy("spam", 1, v1, null));
        log.println("beex demo: published model spam v1 (" + v1.length + " bytes, " + model.config().blocks()
                + " blocks); streaming " + records.size() + " spam test records + " + malformed.size()
                + " malformed ones at " + options.rate() + "/s; v2 follows mid-stream in shadow");

        long start = System.nanoTime();
        Properties pp = new Properties();
        pp.putAll(client);
        pp.setProperty("acks", "all");
        pp.setProperty("linger.ms", "5");
        boolean interactive = System.console() != null;
        int sent = 0;
        int half = records.size() / 2;
        int threeQuarters = records.size() * 3 / 4;
        // Records the shadow's gate needs: half of those it sees before the demo waits for its verdict,
        // so that the counts still unsent by the subtasks (< flush size each) cannot keep it from firing.
        int gateRecords = Math.max(SHADOW_FLUSH_RECORDS, (threeQuarters - half) / 2);
        String promoteWhen = "agreement>=0.9,records>=" + gateRecords;
        long paceStart = start;
        int paceOffset = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer())) {
            int malformedEvery = Math.max(1, records.size() / (malformed.size() + 1));
            int m = 0;
            for (int i = 0; i < records.size() && System.nanoTime() < deadline; i++) {
                ProducerRecord<byte[], byte[]> r = records.get(i);
                String id = new String(r.key(), StandardCharsets.UTF_8);
                Instant now = Instant.now();
                producer.send(encoder.record(topics.text(), id, new String(r.value(), StandardCharsets.UTF_8), now, null));
                sent++;
                if (i > 0 && i % malformedEvery == 0 && m < malformed.size()) {
                    producer.send(malformed.get(m++));
                    sent++;
                }
                if (i == half) {
                    // v1 serves the first half alone: wait until it has answered it, then add v2 in shadow.
                    producer.flush();
                    int answered = sent;
                    awaitShowingProgress(() -> collector.accounted() >= answered, collector, sent, total, interactive, deadline);
                    ControlProducer.send(client, topics.control(), ModelUpdates.shadow(
                            ModelUpdates.deploy("spam", 2, v2, null), null, promoteWhen, null));
                    log.println((interactive ? "\r" : "") + "beex demo: published model spam v2 in shadow after "
                            + sent + " records, --promote-when '" + promoteWhen + "'" + " ".repeat(10));
                    awaitShowingProgress(collector::shadowAccepted, collector, sent, total, interactive, deadline);
                    paceStart = System.nanoTime();
                    paceOffset = sent;
                }
                if (i == threeQuarters) {
                    // The shadow has seen a quarter of the records: wait for its gate, so the last quarter shows v2 serving.
                    producer.flush();
                    awaitShowingProgress(() -> collector.promotions() > 0, collector, sent, total, interactive, deadline);
                    log.println((interactive ? "\r" : "") + "beex demo: the gate promoted spam v2 after "
                            + collector.shadowRecords() + " compared records (agreement "
                            + String.format(Locale.ROOT, "%.4f", collector.agreement()) + ")" + " ".repeat(10));
                    paceStart = System.nanoTime();
                    paceOffset = sent;
                }
                pace(paceStart, sent - paceOffset);
                showProgress(collector, sent, total, interactive);
            }
            while (m < malformed.size()) {
                producer.send(malformed.get(m++));
                sent++;
            }
            producer.flush();
        }
        int all = sent;
        awaitShowingProgress(() -> collector.accounted() >= all, collector, sent, total, interactive, deadline);
        // One more checkpoint's worth: duplicates, if any, would show up now.
        Thread.sleep(1000);
        progress(collector, sent, total, interactive);
        log.println();
        double seconds = (collector.lastOutputNanos() - start) / 1e9;
        collector.stop();
        reader.join(5000);
        return collector.summary(sent, malformed.size(), seconds, model.config().blocks(), config, options.parallelism());
    }

    /** Waits until {@code done} holds or the deadline passes, showing progress meanwhile. */
    private void awaitShowingProgress(java.util.function.BooleanSupplier done, Collector collector, int sent, int total,
                                      boolean interactive, long deadline) throws InterruptedException {
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            showProgress(collector, sent, total, interactive);
        }
    }

    /** Shows progress every 250 ms on a terminal, every 2 s otherwise. */
    private void showProgress(Collector collector, int sent, int total, boolean interactive) {
        if (System.nanoTime() > nextProgress) {
            progress(collector, sent, total, interactive);
            nextProgress = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(interactive ? 250 : 2000);
        }
    }

    /** Sleeps so that {@code sent} records take {@code sent / rate} seconds. */
    private void pace(long start, int sent) throws InterruptedException {
        long due = start + (long) (sent * 1e9 / options.rate());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    private void progress(Collector c, int sent, int total, boolean interactive) {
        String line = String.format(Locale.ROOT,
                "  sent %d/%d | predictions %d | dead letters %d | hard examples %d | model versions %s",
                sent, total, c.predictions(), c.deadLetters(), c.hardExamples(), c.versions());
        if (interactive) {
            log.print("\r" + line + "   ");
        } else {
            log.println(line);
        }
        log.flush();
    }

    /** Bad input the job must dead-letter, never fail on. */
    static List<ProducerRecord<byte[], byte[]>> malformed(String topic, TextEncoder encoder) {
        byte[] random = new byte[48];
        new Random(42).nextBytes(random);
        Instant now = Instant.now();
        return List.of(
                new ProducerRecord<>(topic, "malformed-random".getBytes(StandardCharsets.UTF_8), random),
                new ProducerRecord<>(topic, "malformed-empty".getBytes(StandardCharsets.UTF_8),
                        encoder.encode("malformed-empty", "   ", now, null)),
                new ProducerRecord<>(topic, "malformed-oversized".getBytes(StandardCharsets.UTF_8),
                        encoder.encode("malformed-oversized", "buy now ".repeat(MAX_TEXT_BYTES / 4), now, null)),
                new ProducerRecord<>(topic, "malformed-tombstone".getBytes(StandardCharsets.UTF_8), null));
    }

    /** Reads the output topics on its own thread and keeps the statistics. */
    private static final class Collector implements Runnable {
        private final OutputConsumer consumer;
        private final Map<String, String> labelById;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Set<String> predicted = new HashSet<>();
        private final Histogram latencyMillis = new Histogram(3_600_000L, 3);
        private final Histogram scoringMicros = new Histogram(60_000_000L, 3);
        private final Map<Integer, Long> exitBlocks = new TreeMap<>();
        private final Map<Long, Long> versions = new TreeMap<>();
        private final Map<String, Long> deadReasons = new TreeMap<>();
        private long correct;
        private long labeled;
        private long duplicates;
        private long blockSum;
        private volatile long predictions;
        private volatile long deadLetters;
        private volatile long hardExamples;
        private volatile long modelEvents;
        private volatile long lastOutputNanos = System.nanoTime();
        private volatile String versionsText = "{}";
        private volatile boolean shadowAccepted;
        private volatile long shadowRecords;
        private volatile double agreement;
        private volatile long promotions;

        Collector(Properties client, Topics topics, Map<String, String> labelById) {
            this.consumer = new OutputConsumer(client, topics);
            this.labelById = labelById;
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    OutputConsumer.Batch b = consumer.poll(Duration.ofMillis(100));
                    if (!b.isEmpty()) {
                        absorb(b);
                    }
                }
            } finally {
                consumer.close();
            }
        }

        private synchronized void absorb(OutputConsumer.Batch b) {
            for (PredictionRecord p : b.predictions()) {
                if (!predicted.add(p.getId())) {
                    duplicates++;
                    continue;
                }
                latencyMillis.recordValue(Math.max(0, b.receivedAtMillis() - p.getEventTime().toEpochMilli()));
                scoringMicros.recordValue(Math.max(0, p.getScoringMicros()));
                exitBlocks.merge(p.getExitBlock(), 1L, Long::sum);
                versions.merge(p.getModelVersion(), 1L, Long::sum);
                blockSum += p.getExitBlock();
                String truth = labelById.get(p.getId());
                if (truth != null) {
                    labeled++;
                    correct += truth.equals(p.getLabel()) ? 1 : 0;
                }
            }
            for (DeadLetter d : b.deadLetters()) {
                deadReasons.merge(d.getReason(), 1L, Long::sum);
            }
            predictions = predicted.size();
            deadLetters += b.deadLetters().size();
            hardExamples += b.hardExamples().size();
            modelEvents += b.modelEvents().size();
            for (ModelEvent e : b.modelEvents()) {
                shadowAccepted |= e.getType() == ModelEventType.ACCEPTED && e.getMode() == RolloutMode.SHADOW;
                ShadowComparison c = e.getComparison();
                if (c != null && c.getRecords() >= shadowRecords) {
                    shadowRecords = c.getRecords();
                    agreement = c.getAgreement() == null ? 0 : c.getAgreement();
                }
                promotions += e.getType() == ModelEventType.ACTIVE && c != null ? 1 : 0;   // an ACTIVE with evidence: a gate's
            }
            versionsText = versions.toString();
            if (!b.predictions().isEmpty() || !b.deadLetters().isEmpty()) {
                lastOutputNanos = System.nanoTime();
            }
        }

        long predictions() {
            return predictions;
        }

        long deadLetters() {
            return deadLetters;
        }

        long hardExamples() {
            return hardExamples;
        }

        String versions() {
            return versionsText;
        }

        boolean shadowAccepted() {
            return shadowAccepted;
        }

        long shadowRecords() {
            return shadowRecords;
        }

        double agreement() {
            return agreement;
        }

        long promotions() {
            return promotions;
        }

        long accounted() {
            return predictions + deadLetters;
        }

        long lastOutputNanos() {
            return lastOutputNanos;
        }

        void stop() {
            running.set(false);
        }

        synchronized DemoSummary summary(int sent, int malformed, double seconds, int blocks, JobConfig config,
                                         int parallelism) {
            long n = predictions;
            return new DemoSummary(n + deadLetters == sent, sent, malformed, n, duplicates, deadLetters, hardExamples,
                    labeled == 0 ? 0 : (double) correct / labeled, blocks, n == 0 ? 0 : (double) blockSum / n,
                    new LinkedHashMap<>(exitBlocks), new LinkedHashMap<>(versions), new LinkedHashMap<>(deadReasons),
                    modelEvents, shadowRecords, agreement, promotions, seconds, seconds <= 0 ? 0 : (n + deadLetters) / seconds,
                    percentiles(latencyMillis), percentiles(scoringMicros), config.bootstrapServers(), parallelism,
                    config.delivery().cliName());
        }

        private static Map<String, Long> percentiles(Histogram h) {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("p50", h.getValueAtPercentile(50));
            m.put("p90", h.getValueAtPercentile(90));
            m.put("p99", h.getValueAtPercentile(99));
            m.put("max", h.getMaxValue());
            return m;
        }
    }
}
