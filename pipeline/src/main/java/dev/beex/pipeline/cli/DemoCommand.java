package dev.beex.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: replaced by the owner of this command; fails loudly until then.
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Runs everything locally: embedded Kafka, Flink, a model and real data.")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'demo' is not implemented yet");
    }
}
