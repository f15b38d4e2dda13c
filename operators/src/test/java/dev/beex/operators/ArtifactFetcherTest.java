package dev.beex.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.beex.model.testing.TestModels;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The http(s) path of URI deploys, against a real HTTP server on loopback. */
class ArtifactFetcherTest {

    private static final byte[] BODY = "artifact bytes served over http".getBytes();

    private HttpServer server;
    private final AtomicInteger flakyCalls = new AtomicInteger();
    private final AtomicInteger brokenCalls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/model.beex", ex -> {
            ex.sendResponseHeaders(200, BODY.length);
            ex.getResponseBody().write(BODY);
            ex.close();
        });
        server.createContext("/flaky.beex", ex -> {
            // Fails once, then serves: a transient error must not reject the model.
            int status = flakyCalls.getAndIncrement() == 0 ? 503 : 200;
            ex.sendResponseHeaders(status, status == 200 ? BODY.length : -1);
            if (status == 200) {
                ex.getResponseBody().write(BODY);
            }
            ex.close();
        });
        server.createContext("/broken.beex", ex -> {
            brokenCalls.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void fetchesOverHttpAndRetriesTransientFailures() throws Exception {
        ArtifactFetcher fetcher = new ArtifactFetcher(1024, Duration.ofSeconds(5));
        assertThat(fetcher.fetch(url("/model.beex"))).isEqualTo(BODY);
        assertThat(fetcher.fetch(url("/flaky.beex"))).isEqualTo(BODY);
        assertThat(flakyCalls).hasValue(2);
    }

    @Test
    void rejectsMissingBrokenAndOversizedArtifacts() {
        ArtifactFetcher fetcher = new ArtifactFetcher(1024, Duration.ofSeconds(5));
        assertThatThrownBy(() -> fetcher.fetch(url("/missing.beex"))).isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> fetcher.fetch(url("/broken.beex"))).isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("could not be fetched: HTTP 500");
        assertThat(brokenCalls).hasValue(ArtifactFetcher.ATTEMPTS);
        ArtifactFetcher tiny = new ArtifactFetcher(8, Duration.ofSeconds(5));
        assertThatThrownBy(() -> tiny.fetch(url("/model.beex"))).isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("larger than the limit of 8 bytes");
        assertThatThrownBy(() -> fetcher.fetch("not a uri at all")).isInstanceOf(ModelRejectedException.class)
                .hasMessageContaining("malformed");
    }

    @Test
    void aModelDeployedByHttpUriServes() throws Exception {
        server.createContext("/real.beex", ex -> {
            byte[] b = TestModels.seededModelBytes(11);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        var fn = new ClassifyFunction();
        var h = org.apache.flink.streaming.util.ProcessFunctionTestHarnesses.forBroadcastProcessFunction(
                fn, ModelStateDescriptors.MODELS);
        var control = new ControlPath(ClassifyOptions.defaults());
        for (var decision : control.apply(ModelUpdates.deployUri("sentiment", 1, url("/real.beex"),
                ModelUpdates.sha256Hex(TestModels.seededModelBytes(11)), null, null))) {
            h.processBroadcastElement(decision, 0);
        }
        assertThat(fn.engineVersion()).isEqualTo(1);
    }
}
