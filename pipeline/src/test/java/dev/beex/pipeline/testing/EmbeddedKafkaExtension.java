package dev.beex.pipeline.testing;

import dev.beex.pipeline.local.EmbeddedKafka;
import dev.beex.pipeline.local.LocalFlink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process Kafka broker (127.0.0.1) per test class: {@code @RegisterExtension static final
 * EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();}, then {@link #kafka()}. It starts
 * before the class's own {@code @BeforeAll} methods and stops after its {@code @AfterAll} ones.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
    private EmbeddedKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    public EmbeddedKafka kafka() {
        if (kafka == null) {
            throw new IllegalStateException("the broker runs only while the test class runs");
        }
        return kafka;
    }

    /** The Flink MiniCluster the end-to-end tests share: one TaskManager, loopback only. */
    public static MiniClusterExtension miniCluster(Configuration configuration, int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setConfiguration(LocalFlink.loopback(configuration))
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .build());
    }
}
