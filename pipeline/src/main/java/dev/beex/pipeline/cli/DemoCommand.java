package dev.beex.pipeline.cli;

import dev.beex.pipeline.demo.Demo;
import dev.beex.pipeline.demo.DemoSummary;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Everything on one machine with nothing installed: Kafka, Flink, the bundled models, real data. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs everything locally: an in-process Kafka broker and Flink MiniCluster (127.0.0.1), "
            + "the bundled spam model v1, the real spam test split streamed through with a few malformed "
            + "records, model v2 published mid-stream; prints live progress and a summary. Stops by itself.")
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    JsonOutputOption json = new JsonOutputOption();

    @Option(names = "--rate", paramLabel = "N", defaultValue = "100", description = "Records per second (default 100).")
    int rate;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "2", description = "Flink subtasks = text partitions (default 2).")
    int parallelism;

    @Option(names = "--time-limit", paramLabel = "SECONDS", defaultValue = "110", description = "Stop after this long, complete or not (default 110).")
    int timeLimit;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "Send only the first N test records (default: all).")
    int limit;

    @Override
    public Integer call() throws Exception {
        if (rate < 1 || parallelism < 1 || timeLimit < 10 || limit < 0) {
            throw new UserException("--rate and --parallelism must be >= 1, --time-limit >= 10, --limit >= 0");
        }
        EmbeddedBrokerCheck.require("demo");
        DemoSummary summary = new Demo(new Demo.Options(rate, Duration.ofSeconds(timeLimit), parallelism, limit), System.err).run();
        if (json.enabled()) {
            System.out.println(summary.toJson());
        } else {
            summary.print(System.out);
        }
        return summary.complete() ? 0 : 3;
    }
}
