package dev.beex.pipeline.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

// PLACEHOLDER: replaced by the owner of this command; fails loudly until then.
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measures the inference engine's throughput and latency.")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UserException("'bench' is not implemented yet");
    }
}
