package dev.beex.pipeline.cli;

import dev.beex.model.artifact.ModelArtifact;
import dev.beex.model.bench.EngineBenchmark;
import dev.beex.operators.InputFormat;
import dev.beex.operators.ModelUpdates;
import dev.beex.pipeline.job.BeexJob;
import dev.beex.pipeline.job.DeliveryGuarantee;
import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.job.Topics;
import dev.beex.pipeline.kafka.ControlProducer;
import dev.beex.pipeline.kafka.OutputConsumer;
import dev.beex.pipeline.kafka.TextEncoder;
import dev.beex.pipeline.local.LocalFlink;
import dev.beex.schemas.PredictionRecord;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code beex bench --pipeline}: the whole streaming job on a local Flink MiniCluster, reading
 * from and writing to an in-process Kafka broker or a real cluster ({@link BenchBroker}), against
 * the bare engine on the same model and texts.
 * <ol>
 *   <li>the bare engine: one thread, {@code score(text, result)} with the model's exit rule,
 *       texts/s after warm-up, measured before the broker starts and again after the jobs
 *       end, the mean used;</li>
 *   <li>N records pre-filled into the text topic (p partitions), the job started at
 *       parallelism p with at-least-once delivery: drain rate = records/s between the first
 *       and the last prediction read back;</li>
 *   <li>perCoreEfficiency = drain rate / (engine texts/s × p);</li>
 *   <li>latency: new records sent at a fixed rate of half the drain rate, each stamped with its
 *       send time; latency = read-back time − send time (p50/p99);</li>
 *   <li>the same job again with exactly-once delivery (its own output topics): under
 *       {@code read_committed} a prediction becomes visible only when the checkpoint that
 *       commits its transaction completes, so its latency is bounded below by the checkpoint
 *       interval, not by scoring.</li>
 * </ol>
 */
public final class PipelineBench {

    /**
     * @param records         records pre-filled for the drain measurement
     * @param latencySeconds  how long records are offered at half capacity
     * @param engineSeconds   measured time of the bare engine (after as long a warm-up, max 5 s)
     */
    public record Options(int parallelism, int records, double latencySeconds, long checkpointMillis,
                          double engineSeconds) {
    }

    /** One job run. */
    public record Run(DeliveryGuarantee delivery, double recordsPerSecond, double offeredPerSecond, long latencyRecords,
                      double p50Millis, double p99Millis) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("delivery", delivery.cliName());
            m.put("recordsPerSecond", recordsPerSecond);
            m.put("offeredPerSecond", offeredPerSecond);
            m.put("latencyRecords", latencyRecords);
            m.put("p50Millis", p50Millis);
            m.put("p99Millis", p99Millis);
            return m;
        }
    }

    /**
     * Everything {@code beex bench --pipeline} prints.
     *
     * @param engineTextsPerSecond mean of the bare engine measured before the broker starts and
     *                             after the jobs end (on a shared machine the two differ: both are printed)
     * @param broker               {@code embedded} or {@code external}
     */
    public record Result(int parallelism, int records, double engineTextsPerSecond, double engineBefore,
                         double engineAfter, Run atLeastOnce, Run exactlyOnce, long checkpointMillis, String broker,
                         String bootstrapServers) {
        public double perCoreEfficiency() {
            return atLeastOnce.recordsPerSecond() / (engineTextsPerSecond * parallelism);
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recordsPerSecond", atLeastOnce.recordsPerSecond());
            m.put("engineTextsPerSecond", engineTextsPerSecond);
            m.put("parallelism", parallelism);
            m.put("perCoreEfficiency", perCoreEfficiency());
            m.put("p50Millis", atLeastOnce.p50Millis());
            m.put("p99Millis", atLeastOnce.p99Millis());
            m.put("delivery", atLeastOnce.delivery().cliName());
            m.put("offeredPerSecond", atLeastOnce.offeredPerSecond());
            m.put("records", records);
            m.put("cores", Runtime.getRuntime().availableProcessors());
            m.put("engineTextsPerSecondBefore", engineBefore);
            m.put("engineTextsPerSecondAfter", engineAfter);
            Map<String, Object> eo = exactlyOnce.toJson();
            eo.put("checkpointIntervalMillis", checkpointMillis);
            eo.put("note", "latency is visibility under read_committed: the wait for the checkpoint that commits the"
                    + " transaction, bounded by the checkpoint interval; recordsPerSecond includes job start-up");
            m.put("exactlyOnce", eo);
            m.put("broker", broker);
            if (!"embedded".equals(broker)) {
                m.put("bootstrapServers", bootstrapServers);   // the embedded broker's port means nothing later
            }
            return m;
        }
    }

    private final ModelArtifact model;
    private final byte[] modelBytes;
    private final List<String> texts;
    private final Options options;
    private final Supplier<BenchBroker> broker;
    private final String brokerName;
    private final PrintStream log;

    /**
     * @param broker     started after the first engine measurement, closed before the second
     * @param brokerName what the log calls it while it starts
     */
    PipelineBench(ModelArtifact model, List<String> texts, Options options, Supplier<BenchBroker> broker,
                  String brokerName, PrintStream log) {
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("no texts to benchmark");
        }
        this.model = model;
        this.modelBytes = model.toBytes();
        this.texts = texts;
        this.options = options;
        this.broker = broker;
        this.brokerName = brokerName;
        this.log = log;
    }

    public Result run() throws Exception {
        double engine = engineTextsPerSecond();
        log.printf("bench --pipeline: bare engine %.1f texts/s (one thread); starting Flink with %s...%n", engine,
                brokerName);
        Run atLeastOnce, exactlyOnce;
        String kind, bootstrap;
        try (BenchBroker kafka = broker.get()) {
            kind = kafka.kind();
            bootstrap = kafka.bootstrapServers();
            Topics alo = new Topics(kafka.topic("text"), kafka.topic("control"), kafka.topic("predictions"),
                    kafka.topic("hard"), kafka.topic("dead"), kafka.topic("events"));
            Topics eo = new Topics(alo.text(), alo.control(), kafka.topic("eo.predictions"), kafka.topic("eo.hard"),
                    kafka.topic("eo.dead"), kafka.topic("eo.events"));
            int p = options.parallelism();
            Map<String, Integer> partitions = new LinkedHashMap<>();
            partitions.put(alo.text(), p);
            partitions.put(alo.control(), 1);
            for (Topics t : List.of(alo, eo)) {
                for (String name : t.outputs()) {
                    partitions.put(name, p);
                }
            }
            kafka.createTopics(partitions);
            JobConfig base = config(kafka, alo, DeliveryGuarantee.AT_LEAST_ONCE);
            Properties client = base.kafkaClientProperties();
            ControlProducer.send(client, alo.control(), ModelUpdates.deploy("bench", 1, modelBytes, null));
            try (KafkaProducer<byte[], byte[]> producer = producer(client)) {
                TextEncoder encoder = new TextEncoder(InputFormat.AVRO);
                Instant stamp = Instant.now();
                for (int i = 0; i < options.records(); i++) {
                    producer.send(encoder.record(alo.text(), "fill-" + i, texts.get(i % texts.size()), stamp, null));
                }
                producer.flush();
                log.printf("bench --pipeline: %d records pre-filled into %d partitions of %s%n", options.records(), p,
                        alo.text());

                atLeastOnce = job(base, producer, encoder, options.records(), 0);
                // Exactly-once re-reads the same text topic under a new group: the pre-filled
                // records plus the at-least-once latency records, then its own latency records.
                JobConfig exactly = config(kafka, eo, DeliveryGuarantee.EXACTLY_ONCE);
                long already = options.records() + atLeastOnce.latencyRecords();
                exactlyOnce = job(exactly, producer, encoder, already, atLeastOnce.recordsPerSecond());
            }
        }
        double after = engineTextsPerSecond();
        log.printf("bench --pipeline: bare engine %.1f texts/s after the jobs%n", after);
        return new Result(options.parallelism(), options.records(), (engine + after) / 2, engine, after, atLeastOnce,
                exactlyOnce, options.checkpointMillis(), kind, bootstrap);
    }

    private JobConfig config(BenchBroker kafka, Topics topics, DeliveryGuarantee delivery) {
        Properties p = new Properties();
        p.putAll(kafka.jobProperties());
        p.putAll(JobConfig.topicProperties(topics));
        p.setProperty(JobConfig.CHECKPOINT_INTERVAL_MS, String.valueOf(options.checkpointMillis()));
        p.setProperty(JobConfig.DELIVERY, delivery.cliName());
        String tag = delivery == DeliveryGuarantee.EXACTLY_ONCE ? "eo" : "alo";
        p.setProperty(JobConfig.GROUP_ID, kafka.id(tag));
        p.setProperty(JobConfig.TRANSACTIONAL_ID_PREFIX, kafka.id(tag));
        return JobConfig.fromProperties(p);
    }

    private static KafkaProducer<byte[], byte[]> producer(Properties client) {
        Properties pp = new Properties();
        pp.putAll(client);
        pp.setProperty("acks", "all");
        pp.setProperty("linger.ms", "0");
        return new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Runs the job until the {@code backlog} records already in the text topic are answered
     * (drain rate), then offers new records at half of {@code capacity} (or of the drain rate
     * just measured when 0) for the latency.
     */
    private Run job(JobConfig config, KafkaProducer<byte[], byte[]> producer, TextEncoder encoder, long backlog,
                    double capacity) throws Exception {
        int p = options.parallelism();
        StreamExecutionEnvironment env = LocalFlink.environment(p, 0, new Configuration());
        BeexJob.build(env, config, p);
        String latencyIds = "lat-" + config.delivery().cliName() + "-";
        Reader reader = new Reader(config.kafkaClientProperties(), config.topics(), latencyIds);
        Thread thread = new Thread(reader, "beex-bench-reader");
        thread.setDaemon(true);
        thread.start();
        long submitted = System.currentTimeMillis();
        JobClient job = env.executeAsync("beex bench " + config.delivery().cliName());
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            reader.awaitCount(backlog, deadline);
            // Exactly-once output becomes visible in bursts, one per checkpoint: its rate is taken
            // from the job's submission (start-up included), at-least-once from the first answer.
            double drain = config.delivery() == DeliveryGuarantee.EXACTLY_ONCE
                    ? reader.drainRateSince(backlog, submitted) : reader.drainRate(backlog, submitted);
            log.printf("bench --pipeline: %s drained %d records at %.1f records/s%n", config.delivery().cliName(),
                    backlog, drain);
            double offered = 0.5 * (capacity > 0 ? capacity : drain);
            long sent = offer(producer, encoder, config.topics().text(), offered, latencyIds);
            reader.awaitCount(backlog + sent, System.nanoTime() + TimeUnit.SECONDS.toNanos(120));
            Histogram h = reader.latencies();
            log.printf("bench --pipeline: %s latency at %.1f records/s offered: p50 %d ms, p99 %d ms (%d records)%n",
                    config.delivery().cliName(), offered, h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getTotalCount());
            return new Run(config.delivery(), drain, offered, sent, h.getValueAtPercentile(50),
                    h.getValueAtPercentile(99));
        } finally {
            reader.stop();
            job.cancel().get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends records at {@code rate}/s for the latency phase, each stamped with its send time. */
    private long offer(KafkaProducer<byte[], byte[]> producer, TextEncoder encoder, String topic, double rate,
                       String idPrefix) throws InterruptedException {
        long total = Math.max(1, Math.round(rate * options.latencySeconds()));
        long start = System.nanoTime();
        double intervalNanos = 1e9 / Math.max(rate, 1e-3);
        for (long i = 0; i < total; i++) {
            long due = start + (long) (i * intervalNanos);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String id = idPrefix + i;
            producer.send(encoder.record(topic, id, texts.get((int) (i % texts.size())), Instant.now(), null));
        }
        producer.flush();
        return total;
    }

    /** The bare engine, one thread, the model's exit rule, tokenization included. */
    private double engineTextsPerSecond() throws InterruptedException {
        return EngineBenchmark.parallelTextsPerSecond(model, model.exitRule(), texts, 1,
                Math.min(5, options.engineSeconds()), options.engineSeconds());
    }

    /** Reads predictions back: counts, the times the count grew, latencies of the offered records. */
    private static final class Reader implements Runnable {
        private final OutputConsumer consumer;
        private final String latencyIds;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Histogram latencyMillis = new Histogram(3_600_000L, 3);
        private long count;
        private long firstCount = -1;
        private long firstMillis;
        private long backlogDoneMillis;
        private long backlogTarget = Long.MAX_VALUE;

        Reader(Properties client, Topics topics, String latencyIds) {
            this.consumer = new OutputConsumer(client, topics);
            this.latencyIds = latencyIds;
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    OutputConsumer.Batch b = consumer.poll(Duration.ofMillis(50));
                    if (!b.predictions().isEmpty()) {
                        absorb(b);
                    }
                }
            } finally {
                consumer.close();
            }
        }

        private synchronized void absorb(OutputConsumer.Batch b) {
            for (PredictionRecord p : b.predictions()) {
                if (p.getId().startsWith(latencyIds)) {
                    latencyMillis.recordValue(Math.max(0, b.receivedAtMillis() - p.getEventTime().toEpochMilli()));
                }
            }
            if (firstCount < 0) {
                firstCount = b.predictions().size();
                firstMillis = b.receivedAtMillis();
            }
            count += b.predictions().size();
            if (count >= backlogTarget && backlogDoneMillis == 0) {
                backlogDoneMillis = b.receivedAtMillis();
            }
            notifyAll();
        }

        synchronized void awaitCount(long target, long deadlineNanos) throws InterruptedException {
            backlogTarget = Math.min(backlogTarget, target);
            if (count >= backlogTarget && backlogDoneMillis == 0) {
                backlogDoneMillis = System.currentTimeMillis();
            }
            while (count < target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
                if (left <= 0) {
                    throw new IllegalStateException("the job answered " + count + " of " + target
                            + " records in time; is the machine overloaded?");
                }
                wait(Math.min(left, 200));
            }
        }

        /**
         * Records/s from the first batch read back to the one that completed the backlog (job
         * start-up excluded); when the first batch held nearly everything (tiny inputs), from
         * the job's submission instead.
         */
        synchronized double drainRate(long backlog, long submittedMillis) {
            if (backlog - firstCount >= Math.max(1, backlog / 10)) {
                return (backlog - firstCount) * 1000.0 / Math.max(1, backlogDoneMillis - firstMillis);
            }
            return backlog * 1000.0 / Math.max(1, backlogDoneMillis - submittedMillis);
        }

        /** Records/s from {@code sinceMillis} to the batch that completed the backlog. */
        synchronized double drainRateSince(long backlog, long sinceMillis) {
            return backlog * 1000.0 / Math.max(1, backlogDoneMillis - sinceMillis);
        }

        synchronized Histogram latencies() {
            return latencyMillis.copy();
        }

        void stop() {
            running.set(false);
        }
    }
}
