package dev.beex.operators;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Fetches an artifact named by URI: {@code file:} (a path every TaskManager can read, e.g. a
 * shared volume) or {@code http:}/{@code https:} (java.net.http, redirects followed). Reads at
 * most {@code maxBytes}. Transient I/O failures are retried a few times, because every subtask
 * fetches on its own and they must all reach the same decision; the SHA-256 check afterwards
 * makes sure they all got the same bytes.
 */
final class ArtifactFetcher {

    static final int ATTEMPTS = 3;
    private static final long[] BACKOFF_MS = {200, 1000};

    private final int maxBytes;
    private final Duration timeout;

    ArtifactFetcher(int maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    byte[] fetch(String uriText) throws ModelRejectedException {
        URI uri;
        try {
            uri = new URI(uriText.trim());
        } catch (URISyntaxException e) {
            throw new ModelRejectedException("artifact uri '" + uriText + "' is malformed: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("file") && !scheme.equals("http") && !scheme.equals("https")) {
            throw new ModelRejectedException("artifact uri '" + uriText + "': unsupported scheme '" + scheme
                    + "' (file, http, https)");
        }
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return scheme.equals("file") ? readFile(uri) : readHttp(uri);
            } catch (NoSuchFileException e) {
                throw new ModelRejectedException("artifact uri '" + uriText + "': no such file");
            } catch (TooLarge e) {
                throw new ModelRejectedException("artifact uri '" + uriText + "': " + e.getMessage());
            } catch (IOException e) {
                last = e;
            }
            if (attempt < BACKOFF_MS.length) {
                try {
                    Thread.sleep(BACKOFF_MS[attempt]);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new ModelRejectedException("artifact uri '" + uriText + "' could not be fetched: "
                + (last == null ? "interrupted" : last.getMessage()));
    }

    private byte[] readFile(URI uri) throws IOException {
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException e) {
            throw new NoSuchFileException(uri.toString());
        }
        long size = Files.size(path);
        if (size > maxBytes) {
            throw new TooLarge(size);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return readBounded(in);
        }
    }

    private byte[] readHttp(URI uri) throws IOException {
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream in = response.body()) {
            if (response.statusCode() == 404) {
                throw new NoSuchFileException(uri.toString());
            }
            if (response.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + response.statusCode());
            }
            return readBounded(in);
        }
    }

    private byte[] readBounded(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) {
            throw new TooLarge(bytes.length);
        }
        return bytes;
    }

    /** Too large is final, not transient; surfaced through the retry loop's message. */
    private final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long size) {
            super("artifact is larger than the limit of " + maxBytes + " bytes" + (size > maxBytes + 1 ? " (" + size + " bytes)" : ""));
        }
    }
}
