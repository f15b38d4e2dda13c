package dev.beex.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: replaced by the owner of this command; fails loudly until then.
@Command(name = "train", mixinStandardHelpOptions = true, description = "Trains a BEExformer and writes the model artifact.")
public final class TrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'train' is not implemented yet");
    }
}
