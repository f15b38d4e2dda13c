package dev.beex.pipeline.local;

import dev.beex.pipeline.kafka.MessageSizes;
import dev.beex.pipeline.kafka.TopicCreator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker in this JVM: one combined broker+controller KRaft node, every listener on
 * 127.0.0.1 with a free port, replication factors 1, log dirs in a temp dir deleted on close.
 * Used by {@code beex demo} and by the end-to-end tests (Testcontainers cannot run here).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final Path dir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private boolean closed;

    private EmbeddedKafka(Path dir, KafkaRaftServer server, String bootstrapServers) {
        this.dir = dir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    /** Formats a fresh log dir and starts the node; returns once it serves clients. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /** As {@link #start()}, with extra broker properties (they win over the defaults). */
    public static EmbeddedKafka start(Map<String, String> overrides) {
        return start(0, overrides);
    }

    /** As {@link #start()}, listening on {@code brokerPort} (0 = any free port). */
    public static EmbeddedKafka start(int brokerPort, Map<String, String> overrides) {
        Path dir;
        try {
            dir = Files.createTempDirectory("beex-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for Kafka", e);
        }
        try {
            int port = brokerPort > 0 ? brokerPort : freePort();
            int controllerPort = freePort();
            Properties props = brokerProperties(dir.resolve("logs"), port, controllerPort);
            overrides.forEach(props::setProperty);
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                props.store(out, "beex embedded Kafka");
            }
            format(config);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(dir, server, "127.0.0.1:" + port);
            kafka.awaitReady();
            return kafka;
        } catch (IOException | RuntimeException e) {
            deleteRecursively(dir);
            throw e instanceof RuntimeException re ? re : new UncheckedIOException((IOException) e);
        }
    }

    static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", "1");
        // One node: every internal topic has one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // Models travel inline in control messages: the broker takes the largest one beex sends.
        p.setProperty("message.max.bytes", String.valueOf(MessageSizes.MAX_CONTROL_MESSAGE_BYTES));
        p.setProperty("auto.create.topics.enable", "false");
        return p;
    }

    private static void format(Path config) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String clusterId = Uuid.randomUuid().toString();
        // execute, not main: main calls System.exit.
        int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("Kafka storage format failed (" + rc + "): "
                    + captured.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Exception last = null;
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                }
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException("embedded Kafka did not become ready in 60 s", last);
    }

    /** {@code 127.0.0.1:port} of the broker listener. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The temp dir holding the config and log dirs (deleted on close). */
    public Path dataDir() {
        return dir;
    }

    /** A new admin client for this broker (caller closes it). */
    public Admin admin() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(p);
    }

    /** Creates a topic with the given partitions (replication factor 1); no-op if it exists. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            createTopics(admin, List.of(new NewTopic(name, partitions, (short) 1).configs(configs)));
        }
    }

    /** Creates topics that do not exist yet. */
    public static void createTopics(Admin admin, List<NewTopic> topics) {
        TopicCreator.createMissing(admin, topics);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            deleteRecursively(dir);
        }
    }

    /** A port that was free on 127.0.0.1 a moment ago. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp dir left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
