package dev.beex.pipeline.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Iterator;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.util.PortRange;

/**
 * Flink's Prometheus reporter (same metric names and labels: {@code flink_taskmanager_job_task_operator_beex_*}),
 * serving {@code /metrics} on one host only, 127.0.0.1 by default: Flink's own {@code PrometheusReporter}
 * binds every interface. Options: {@code port} (a port or range, default 9249-9259, the first free one
 * is taken: JobManager and TaskManagers on one machine each get one), {@code host} (default 127.0.0.1).
 */
public final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {

    public static final String DEFAULT_PORTS = "9249-9259";
    public static final String DEFAULT_HOST = "127.0.0.1";

    private HTTPServer server;
    private int port;

    @Override
    public void open(MetricConfig config) {
        super.open(config);
        String host = config.getString("host", DEFAULT_HOST);
        Iterator<Integer> ports = new PortRange(config.getString("port", DEFAULT_PORTS)).getPortsIterator();
        CollectorRegistry registry = registry();
        while (ports.hasNext() && server == null) {
            int p = ports.next();
            try {
                server = new HTTPServer(new InetSocketAddress(host, p), registry, true);
                port = p;
            } catch (IOException e) {
                log.debug("Prometheus port {} on {} is taken", p, host);
            }
        }
        if (server == null) {
            throw new IllegalStateException("no free Prometheus port in " + config.getString("port", DEFAULT_PORTS) + " on " + host);
        }
        log.info("Prometheus metrics at http://{}:{}/metrics", host, port);
    }

    /** The port this reporter serves on. */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
        super.close();
    }

    // The base class keeps its registry package-private; it is the one its collectors register in.
    private CollectorRegistry registry() {
        try {
            Field f = AbstractPrometheusReporter.class.getDeclaredField("registry");
            f.setAccessible(true);
            return (CollectorRegistry) f.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("flink-metrics-prometheus changed: no registry field", e);
        }
    }
}
