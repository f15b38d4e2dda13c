package dev.beex.operators;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Fetches the artifacts of URI deploys off the task thread (Flink async I/O, ordered, on the
 * parallelism-1 control path): retries and timeouts of a slow server block neither checkpoint
 * barriers nor later control messages' bookkeeping, and the bytes are fetched once for the whole
 * job. A failed fetch is passed on as the message's problem; the decision rejects it.
 */
public final class ArtifactFetchFunction extends RichAsyncFunction<ControlMessage, ControlMessage> {
    private static final long serialVersionUID = 1L;

    private final ClassifyOptions options;
    private transient ArtifactFetcher fetcher;
    private transient ExecutorService executor;

    public ArtifactFetchFunction(ClassifyOptions options) {
        this.options = options;
    }

    /** Time async I/O allows one message: every fetch attempt plus the backoffs between them. */
    public static long timeoutMillis(ClassifyOptions options) {
        return options.fetchTimeout().toMillis() * ArtifactFetcher.ATTEMPTS + 5_000;
    }

    @Override
    public void open(OpenContext openContext) {
        fetcher = new ArtifactFetcher(options.maxArtifactBytes(), options.fetchTimeout());
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "beex-artifact-fetch");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void asyncInvoke(ControlMessage message, ResultFuture<ControlMessage> result) {
        if (!message.needsFetch()) {
            result.complete(List.of(message));
            return;
        }
        executor.execute(() -> result.complete(List.of(fetch(message, fetcher))));
    }

    @Override
    public void timeout(ControlMessage message, ResultFuture<ControlMessage> result) {
        result.complete(List.of(message.withProblem("artifact fetch from '" + message.update().getUri()
                + "' timed out after " + timeoutMillis(options) + " ms")));
    }

    /** The message with its artifact fetched, or with the fetch failure as its problem. */
    static ControlMessage fetch(ControlMessage message, ArtifactFetcher fetcher) {
        if (!message.needsFetch()) {
            return message;
        }
        try {
            return message.withFetched(fetcher.fetch(message.update().getUri()));
        } catch (ModelRejectedException e) {
            return message.withProblem(e.getMessage());
        } catch (RuntimeException e) {
            return message.withProblem("artifact fetch failed: " + e);
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
