package dev.beex.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: replaced by the owner of this command; fails loudly until then.
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs the streaming job.")
public final class RunCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'run' is not implemented yet");
    }
}
