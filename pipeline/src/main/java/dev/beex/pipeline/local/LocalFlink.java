package dev.beex.pipeline.local;

import dev.beex.pipeline.metrics.LoopbackPrometheusReporterFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Flink inside this JVM (a MiniCluster behind a local environment), every listener on
 * 127.0.0.1: Flink binds all addresses by default, which this project never wants locally.
 */
public final class LocalFlink {

    public static final String LOOPBACK = "127.0.0.1";

    private LocalFlink() {
    }

    /** Sets every bind/advertised address Flink has to the loopback interface. */
    public static Configuration loopback(Configuration conf) {
        conf.set(RestOptions.ADDRESS, LOOPBACK);
        conf.set(RestOptions.BIND_ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.ADDRESS, LOOPBACK);
        conf.set(JobManagerOptions.BIND_HOST, LOOPBACK);
        conf.set(TaskManagerOptions.HOST, LOOPBACK);
        conf.set(TaskManagerOptions.BIND_HOST, LOOPBACK);
        return conf;
    }

    /**
     * Prometheus metrics of the MiniCluster on 127.0.0.1 ({@code ports}: a port or a range, the
     * first free one is taken): {@code http://127.0.0.1:9249/metrics} by default.
     */
    public static Configuration prometheus(Configuration conf, String ports) {
        try {
            new org.apache.flink.util.PortRange(ports);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("metrics port '" + ports + "': expected PORT or PORT-PORT");
        }
        conf.setString("metrics.reporter.prom.factory.class", LoopbackPrometheusReporterFactory.class.getName());
        conf.setString("metrics.reporter.prom.port", ports);
        conf.setString("metrics.reporter.prom.host", LOOPBACK);
        return conf;
    }

    /**
     * A local environment on a MiniCluster with {@code slots} task slots; the REST endpoint
     * (web UI) on {@code restPort}, 0 for any free port.
     */
    public static StreamExecutionEnvironment environment(int slots, int restPort, Configuration extra) {
        Configuration conf = new Configuration();
        conf.addAll(extra);
        loopback(conf);
        conf.set(RestOptions.BIND_PORT, String.valueOf(restPort));
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(1, slots));
        return StreamExecutionEnvironment.createLocalEnvironment(Math.max(1, slots), conf);
    }
}
