package dev.beex.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: replaced by the owner of this command; fails loudly until then.
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetches the real labeled data sets and writes the canonical splits.")
public final class DataCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'data' is not implemented yet");
    }
}
