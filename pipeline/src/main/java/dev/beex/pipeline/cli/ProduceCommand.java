package dev.beex.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: replaced by the owner of this command; fails loudly until then.
@Command(name = "produce", mixinStandardHelpOptions = true, description = "Streams a data set into a Kafka topic.")
public final class ProduceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'produce' is not implemented yet");
    }
}
