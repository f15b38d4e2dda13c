package dev.beex.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: replaced by the owner of this command; fails loudly until then.
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluates a model artifact on labeled data.")
public final class EvalCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'eval' is not implemented yet");
    }
}
