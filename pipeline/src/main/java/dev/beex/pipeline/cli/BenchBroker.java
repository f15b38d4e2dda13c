package dev.beex.pipeline.cli;

import dev.beex.pipeline.job.JobConfig;
import dev.beex.pipeline.kafka.TopicCreator;
import dev.beex.pipeline.local.EmbeddedKafka;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * The Kafka that {@code beex bench --pipeline} runs on: an in-process broker that lives as long
 * as the run, or a real cluster shared with others, where every name the run uses is unique to it
 * and its topics and consumer groups are deleted when it closes.
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
        private final List<String> topics = new ArrayList<>();
        private final Set<String> groups = new LinkedHashSet<>();

        External(String bootstrapServers, Map<String, String> kafka, String runId, PrintStream log) {
            super(bootstrapServers, kafka, runId);
            this.log = log;
        }

        @Override
        String kind() {
            return "external";
        }

        @Override
        String id(String tag) {
            // The jobs commit their source offsets under it: a group to delete at the end.
            String id = super.id(tag);
            groups.add(id);
            return id;
        }

        @Override
        void createTopics(Map<String, Integer> partitionsByTopic) {
            // Recorded first: a create that fails half-way may still have made some of them.
            topics.addAll(partitionsByTopic.keySet());
            super.createTopics(partitionsByTopic);
        }

        @Override
        public void close() {
            try {
                if (!topics.isEmpty()) {
                    delete("topics " + topics, admin.deleteTopics(topics).all());
                }
                for (String group : groups) {
                    delete("consumer group " + group, admin.deleteConsumerGroups(List.of(group)).all());
                }
            } finally {
                admin.close();
            }
        }

        private void delete(String what, KafkaFuture<Void> deletion) {
            try {
                deletion.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // A group that committed nothing was never created: nothing to delete.
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    warn(what, e.getCause());
                }
            } catch (Exception e) {
                warn(what, e);
            }
        }

        /** The measurement is done: what is left behind is worth a warning, not a failed run. */
        private void warn(String what, Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.printf("bench --pipeline: warning: could not delete %s: %s%n", what, e);
        }
    }
}
