package dev.beex.pipeline.cli;

import dev.beex.pipeline.job.JobConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** Options every Kafka-facing command shares: a config file, the brokers and client pass-through. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Job properties file (keys: see docs; flags override it).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka brokers (default 127.0.0.1:9092, or the config file's).")
    String bootstrapServers;

    @Option(names = "--kafka", paramLabel = "KEY=VALUE",
            description = "Kafka client property for every client (security: security.protocol, sasl.*, ssl.*). Repeatable.")
    Map<String, String> kafka = new LinkedHashMap<>();

    /** Whether a cluster was named: a config file or brokers (client properties alone name none). */
    public boolean namesCluster() {
        return configFile != null || bootstrapServers != null;
    }

    /** Whether any of these options was given. */
    public boolean given() {
        return namesCluster() || !kafka.isEmpty();
    }

    /** The config file (if any) with {@code overrides} and these options on top. */
    public JobConfig resolve(Map<String, String> overrides) {
        Properties p = new Properties();
        if (configFile != null) {
            try {
                p.putAll(JobConfig.readProperties(configFile));
            } catch (IOException e) {
                throw new UserException("cannot read config file " + configFile + ": " + e.getMessage());
            }
        }
        overrides.forEach((k, v) -> {
            if (v != null) {
                p.setProperty(k, v);
            }
        });
        if (bootstrapServers != null) {
            p.setProperty(JobConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        kafka.forEach((k, v) -> p.setProperty(JobConfig.KAFKA_PREFIX + k, v));
        return JobConfig.fromProperties(p);
    }
}
