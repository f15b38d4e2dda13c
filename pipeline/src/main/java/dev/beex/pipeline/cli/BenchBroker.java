package dev.beex.pipeline.cli;

import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.kafka.TopicCreator;
import dev.beex.pipeline.local.EmbeddedKafka;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The Kafka that {@code beex bench --pipeline} runs on: an in-process broker that lives as long
 * as the run, or a real cluster shared with others, where every name the run uses is unique to it
 * and its topics are deleted when it closes.
 */
abstract sealed class BenchBroker implements AutoCloseable {

    private final String bootstrapServers;
    private final Map<String, String> kafka;
    private final String scope;
    final Admin admin;

    /**
     * @param kafka client properties (security settings) every client of the run gets
     * @param scope inserted into topic names, group ids and transactional ids ("" = none)
     */
    private BenchBroker(String bootstrapServers, Map<String, String> kafka, String scope) {
        this.bootstrapServers = bootstrapServers;
        this.kafka = Map.copyOf(kafka);
        this.scope = scope;
        Properties client = new Properties();
        client.putAll(this.kafka);
        client.setProperty(JobConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        this.admin = Admin.create(client);
    }

    /** Starts an in-process broker; the run's topics keep their fixed names. */
    static BenchBroker embedded() {
        return new Embedded(EmbeddedKafka.start());
    }

    /** The cluster of {@code connection} (its bootstrap servers and {@code kafka.*} client properties). */
    static BenchBroker external(JobConfig connection, PrintStream log) {
        // Unique per run: other runs and jobs on the cluster keep their topics, groups and transactions.
        return new External(connection.bootstrapServers(), connection.kafkaProperties(),
                UUID.randomUUID().toString().substring(0, 8), log);
    }

    /** {@code "embedded"} or {@code "external"}. */
    abstract String kind();

    String bootstrapServers() {
        return bootstrapServers;
    }

    /** The job keys that connect every client of the run: bootstrap servers and {@code kafka.*}. */
    Map<String, String> jobProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(JobConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        kafka.forEach((k, v) -> p.put(JobConfig.KAFKA_PREFIX + k, v));
        return p;
    }

    /** {@code beex.bench.<scope.>name}: a topic of this run. */
    String topic(String name) {
        return "beex.bench." + (scope.isEmpty() ? "" : scope + ".") + name;
    }

    /** {@code beex-bench-<scope->tag}: a group id or transactional id prefix of this run. */
    String id(String tag) {
        return "beex-bench-" + (scope.isEmpty() ? "" : scope + "-") + tag;
    }

    /** Creates topics with the cluster's default replication factor. */
    void createTopics(Map<String, Integer> partitionsByTopic) {
        List<NewTopic> topics = new ArrayList<>();
        partitionsByTopic.forEach((name, partitions) ->
                topics.add(new NewTopic(name, Optional.of(partitions), Optional.empty())));
        TopicCreator.createMissing(admin, topics);
    }

    /** The broker and its topics end with the run. */
    private static final class Embedded extends BenchBroker {
        private final EmbeddedKafka kafka;

        Embedded(EmbeddedKafka kafka) {
            super(kafka.bootstrapServers(), Map.of(), "");
            this.kafka = kafka;
        }

        @Override
        String kind() {
            return "embedded";
        }

        @Override
        public void close() {
            try {
                admin.close();
            } finally {
                kafka.close();
            }
        }
    }

    /** A cluster that outlives the run: what the run created is deleted on close. */
    private static final class External extends BenchBroker {
        private final PrintStream log;
        private final List<String> created = new ArrayList<>();

        External(String bootstrapServers, Map<String, String> kafka, String runId, PrintStream log) {
            super(bootstrapServers, kafka, runId);
            this.log = log;
        }

        @Override
        String kind() {
            return "external";
        }

        @Override
        void createTopics(Map<String, Integer> partitionsByTopic) {
            // Recorded first: a create that fails half-way may still have made some of them.
            created.addAll(partitionsByTopic.keySet());
            super.createTopics(partitionsByTopic);
        }

        @Override
        public void close() {
            try {
                if (!created.isEmpty()) {
                    admin.deleteTopics(created).all().get(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                // The measurement is done; left-over topics are worth a warning, not a failed run.
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                log.printf("bench --pipeline: warning: could not delete topics %s: %s%n", created,
                        e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            } finally {
                admin.close();
            }
        }
    }
}
