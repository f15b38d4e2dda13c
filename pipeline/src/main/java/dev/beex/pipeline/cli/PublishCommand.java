package dev.beex.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: replaced by the owner of this command; fails loudly until then.
@Command(name = "publish", mixinStandardHelpOptions = true, description = "Publishes a model update to the control topic.")
public final class PublishCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'publish' is not implemented yet");
    }
}
