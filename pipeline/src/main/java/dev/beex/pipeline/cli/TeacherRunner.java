package dev.beex.pipeline.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Runs {@code beex teacher} in a child JVM to fill a teacher cache for {@code beex train}. The
 * teacher (ONNX Runtime, ~220 MB of jars) lives in its own jar so that it never enters beex.jar;
 * the {@code ./beex} launcher builds it and names it in {@value #JAR_ENV}.
 */
final class TeacherRunner {
    /** Environment variable with the path of beex-teacher.jar (set by the ./beex launcher). */
    static final String JAR_ENV = "BEEX_TEACHER_JAR";
    /** System property that overrides {@link #JAR_ENV} (tests, embedding). */
    static final String JAR_PROPERTY = "beex.teacher.jar";

    private final Path jar;

    private TeacherRunner(Path jar) {
        this.jar = jar;
    }

    /** The runner of the teacher jar this process was pointed at, if any and if it exists. */
    static Optional<TeacherRunner> find() {
        String named = System.getProperty(JAR_PROPERTY, System.getenv(JAR_ENV));
        if (named == null || named.isBlank() || !Files.isRegularFile(Path.of(named))) {
            return Optional.empty();
        }
        return Optional.of(new TeacherRunner(Path.of(named)));
    }

    /**
     * Writes the teacher's outputs for {@code data} into {@code cacheDir} (its tokenizer words with
     * the vocabulary budget of the training run), copying the child's output to {@code log}.
     */
    void run(Path data, Path cacheDir, int vocab, int minCount, PrintStream log) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "teacher", "--data", data.toString(), "--out", cacheDir.toString(),
                "--vocab", Integer.toString(vocab), "--min-count", Integer.toString(minCount));
        log.println("teacher: computing its outputs for " + data.getFileName() + " into " + cacheDir + " (once per file)");
        int rc;
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            try (InputStream out = p.getInputStream()) {
                out.transferTo(log);
            }
            rc = p.waitFor();
        } catch (IOException e) {
            throw new UserException("teacher: cannot run " + jar + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("teacher: interrupted");
        }
        log.println();
        if (rc != 0) {
            throw new UserException("teacher: beex teacher --data " + data + " failed (exit " + rc + ")");
        }
    }
}
