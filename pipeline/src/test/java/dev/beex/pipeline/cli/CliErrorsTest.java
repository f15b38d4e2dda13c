package dev.beex.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URL;
import java.net.URLClassLoader;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User mistakes end in one line on stderr and a non-zero exit, never a stack trace. */
class CliErrorsTest {

    private record Result(int code, String err) {
    }

    private static Result run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = BeexMain.run(args);
            return new Result(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void anUnknownOptionPrintsOneErrorLineAndExitsNonZero() {
        Result r = run("run", "--no-such-flag");
        assertThat(r.code()).isNotZero();
        assertThat(r.err().lines().filter(l -> l.startsWith("beex: ")).toList()).hasSize(1);
        assertThat(r.err()).contains("--no-such-flag").doesNotContain("\tat ");
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String command : new String[] {"data", "train", "eval", "bench", "run", "publish", "produce", "demo"}) {
            PrintStream saved = System.out;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            Result r;
            try {
                r = run(command, "--help");
            } finally {
                System.setOut(saved);
            }
            assertThat(r.code()).as(command + " --help").isZero();
            assertThat(r.err()).as(command + " --help").isEmpty();
            assertThat(out.toString(StandardCharsets.UTF_8)).as(command + " --help").startsWith("Usage: beex " + command);
        }
    }

    @Test
    void aBadValueNamesTheKey() {
        Result r = run("run", "--delivery", "sometimes");
        assertThat(r.code()).isNotZero();
        assertThat(r.err().strip()).isEqualTo("beex: delivery must be exactly-once or at-least-once, not 'sometimes'");
    }

    @Test
    void aMissingModelFileIsOneLine(@TempDir Path dir) {
        Result r = run("publish", "--model", dir.resolve("nope.beex").toString(), "--version", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: model file not found: " + dir.resolve("nope.beex"));
    }

    @Test
    void aFileThatIsNotAModelIsRefusedBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        Path fake = Files.writeString(dir.resolve("fake.beex"), "not a model");
        Result r = run("publish", "--model", fake.toString(), "--version", "1");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("beex: " + fake + ": not a valid model artifact").doesNotContain("\tat ");
    }

    @Test
    void anInvalidGateExpressionIsOneLineBeforeAnythingIsReadOrSent(@TempDir Path dir) {
        // The model file does not even exist: the gate is checked first.
        String model = dir.resolve("m.beex").toString();
        Result r = run("publish", "--model", model, "--version", "2", "--mode", "shadow",
                "--promote-when", "agreement>=0.97,recrods>=5000");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --promote-when: gate 'agreement>=0.97,recrods>=5000': unknown term"
                + " 'recrods' (terms: agreement, records, accuracy, meanBlocks, p99Micros, latencyRatio)");
        r = run("publish", "--model", model, "--mode", "shadow", "--reject-when", "agreement<<0.9");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().lines().toList()).singleElement().asString().startsWith("beex: --reject-when: gate 'agreement<<0.9'");
        r = run("publish", "--model", model, "--promote-when", "records>=10");
        assertThat(r.err().strip()).isEqualTo("beex: --sample, --fraction, --promote-when and --reject-when need --mode"
                + " shadow or canary (and no --rollback)");
        r = run("publish", "--model", model, "--mode", "canary", "--promote-when", "records>=10");
        assertThat(r.err().strip()).isEqualTo("beex: --mode canary needs --fraction F");
        r = run("publish", "--model", model, "--mode", "canary", "--fraction", "0");
        assertThat(r.err().strip()).isEqualTo("beex: --fraction must be in (0, 1], got 0.0");
        r = run("publish", "--model", model, "--mode", "shadow", "--sample", "1.5");
        assertThat(r.err().strip()).isEqualTo("beex: --sample must be in (0, 1], got 1.5");
        r = run("publish", "--model", model, "--mode", "blue-green");
        assertThat(r.err().strip()).isEqualTo("beex: --mode must be active, shadow or canary, not 'blue-green'");
    }

    @Test
    void aMissingDataFileIsOneLine(@TempDir Path dir) {
        Result r = run("produce", "--data", dir.resolve("none.jsonl").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: --data: data file not found: " + dir.resolve("none.jsonl"));
    }

    @Test
    void anUnknownConfigKeyIsOneLine(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("job.properties"), "bootstrap.servers=127.0.0.1:1\ntopic.txt=x\n");
        Result r = run("run", "--config", cfg.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("beex: unknown configuration key 'topic.txt'");
    }

    @Test
    void aBrokerCommandRunFromTheJarWithoutABrokerEndsInOneLine() throws Exception {
        // beex.jar has no in-process broker; a class loader that sees only the JDK stands in for it.
        try (URLClassLoader jdkOnly = new URLClassLoader(new URL[0], null)) {
            Assertions.assertThatThrownBy(() -> EmbeddedBrokerCheck.require("bench --pipeline", jdkOnly))
                    .isInstanceOf(UserException.class)
                    .hasMessage("this jar has no in-process Kafka broker: run ./beex bench --pipeline"
                            + " (the launcher picks beex-demo.jar) or java -jar beex-demo.jar bench --pipeline");
        }
        EmbeddedBrokerCheck.require("demo");   // the test class path has the broker, as beex-demo.jar does
    }
}
