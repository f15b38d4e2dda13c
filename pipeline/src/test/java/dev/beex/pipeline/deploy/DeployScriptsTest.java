package dev.beex.pipeline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/'s process handling (pid files, stop reporting, temp dirs, log appending): deploy/test/process-scripts-test.sh. */
class DeployScriptsTest {

    @Test
    void stopScriptsCheckPidFilesReportFailuresAndCleanUp() throws Exception {
        Path script = Path.of("..", "deploy", "test", "process-scripts-test.sh").toAbsolutePath().normalize();
        assertThat(script).exists();
        Process p = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("deploy process scripts: ok");
        assertThat(Files.readString(script.getParent().getParent().resolve("flink/conf/log4j.properties")))
                .contains("appender.main.append = true");
    }
}
